import * as nifti from 'nifti-reader-js';
import { Gunzip, gunzipSync } from 'fflate';
import { blockAverage, planSize } from './limits';
import { type DecodedImage, ImagingError, type ValueUnits } from './types';

/**
 * NIfTI-1/2 volumes (plain or gzip). Frames are slices along the third voxel
 * axis (k). Display orientation, the same for every file: frame row r is voxel
 * row j = ny-1-r (j flipped so the +j direction, anterior in a RAS-stored
 * axial volume, is at the top), column c is voxel i as stored. The affine is
 * not resampled. scl_slope/scl_inter are applied (slope 0 or non-finite means
 * none); NaN/Inf voxels are kept for preprocess.cleanNonFinite.
 */

const GZIP = [0x1f, 0x8b];

export function isNifti(bytes: Uint8Array): boolean {
  if (bytes.length >= 2 && bytes[0] === GZIP[0] && bytes[1] === GZIP[1]) {
    try {
      // Only the header is needed to recognise it; inflate a small prefix.
      const head = gunzipPrefix(bytes, 544);
      return headerSize(head) !== 0;
    } catch {
      return false;
    }
  }
  return headerSize(bytes) !== 0;
}

function headerSize(b: Uint8Array): number {
  if (b.length < 348) return 0;
  const le = b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24);
  const be = (b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3];
  const size = le === 348 || le === 540 ? le : be === 348 || be === 540 ? be : 0;
  if (size === 348) {
    const magic = String.fromCharCode(b[344], b[345], b[346]);
    return magic === 'n+1' || magic === 'ni1' ? 348 : 0;
  }
  if (size === 540) {
    const magic = String.fromCharCode(b[4], b[5], b[6]);
    return magic === 'n+2' || magic === 'ni2' ? 540 : 0;
  }
  return 0;
}

function gunzipPrefix(bytes: Uint8Array, want: number): Uint8Array {
  const chunks: Uint8Array[] = [];
  let got = 0;
  const g = new Gunzip((chunk) => {
    chunks.push(chunk);
    got += chunk.length;
  });
  for (let i = 0; i < bytes.length && got < want; i += 4096) g.push(bytes.subarray(i, Math.min(bytes.length, i + 4096)), false);
  const out = new Uint8Array(got);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

export async function decodeNifti(file: string, bytes: Uint8Array): Promise<DecodedImage> {
  let raw: Uint8Array;
  try {
    raw = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
  } catch (err) {
    throw new ImagingError(`${file}: the gzip-compressed NIfTI is truncated or damaged (${(err as Error).message})`, 'truncated');
  }
  const buffer = raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength) as ArrayBuffer;
  if (!nifti.isNIFTI(buffer)) throw new ImagingError(`${file}: not a NIfTI-1/2 volume`, 'unsupported-format');
  const header = nifti.readHeader(buffer);
  const dims = header.dims;
  const nx = Math.max(1, dims[1] || 1);
  const ny = dims[0] >= 2 ? Math.max(1, dims[2] || 1) : 1;
  // Everything past the third axis (time, components) is stacked as more frames.
  let nz = 1;
  for (let d = 3; d <= Math.min(7, dims[0]); d++) nz *= Math.max(1, dims[d] || 1);
  const plan = planSize(file, ny, nx, nz, 1);
  const read = voxelReader(file, header.datatypeCode, header.littleEndian);
  const voxelBytes = read.bytes;
  const offset = Math.round(header.vox_offset);
  const needed = offset + nx * ny * nz * voxelBytes;
  if (raw.length < needed) throw new ImagingError(`${file}: the NIfTI voxel data is truncated (${raw.length} of ${needed} bytes)`, 'truncated');

  const slope = Number.isFinite(header.scl_slope) && header.scl_slope !== 0 ? header.scl_slope : 1;
  const inter = Number.isFinite(header.scl_slope) && header.scl_slope !== 0 && Number.isFinite(header.scl_inter) ? header.scl_inter : 0;
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const frames: Float32Array[] = [];
  let min = Infinity;
  for (let k = 0; k < nz; k++) {
    const slice = new Float32Array(nx * ny);
    const base = offset + k * nx * ny * voxelBytes;
    for (let j = 0; j < ny; j++) {
      const row = ny - 1 - j;
      for (let i = 0; i < nx; i++) {
        const v = read.get(view, base + (j * nx + i) * voxelBytes) * slope + inter;
        slice[row * nx + i] = v;
        if (v < min) min = v;
      }
    }
    frames.push(blockAverage(slice, ny, nx, 1, plan));
  }
  const units = niftiUnits(header.datatypeCode, slope, inter, min);
  const spacing: [number, number] | undefined = header.pixDims?.length > 2 ? [header.pixDims[2], header.pixDims[1]] : undefined;
  const gap = header.pixDims?.[3];
  return {
    file,
    format: 'nifti',
    modality: null,
    photometric: 'MONOCHROME2',
    transferSyntax: null,
    rows: plan.outRows,
    columns: plan.outColumns,
    samplesPerPixel: 1,
    frames,
    units,
    windows: units === 'HU' ? [{ center: 40, width: 400, source: 'preset', name: 'soft tissue' }] : [],
    metadata: [
      { name: 'NIfTI', value: header instanceof nifti.NIFTI2 ? 'NIfTI-2' : 'NIfTI-1', phi: false },
      { name: 'Datatype', value: `${header.getDatatypeCodeString(header.datatypeCode)} (${header.datatypeCode})`, phi: false },
      { name: 'Dimensions', value: dims.slice(1, dims[0] + 1).join(' × '), phi: false },
      { name: 'Voxel size', value: header.pixDims.slice(1, Math.min(4, dims[0] + 1)).map((v: number) => +v.toFixed(4)).join(' × '), phi: false },
      { name: 'Scaling', value: `scl_slope ${header.scl_slope}, scl_inter ${header.scl_inter}`, phi: false },
      ...(header.description?.trim() ? [{ name: 'Description', value: header.description.trim(), phi: true }] : []),
      { name: 'Orientation', value: 'slices along k; rows show j flipped (ny-1-j), columns i', phi: false },
    ],
    geometry: {
      sliceGaps: nz > 1 && Number.isFinite(gap) && gap > 0 ? new Array(nz - 1).fill(Math.abs(gap)) : [],
      pixelSpacing: spacing,
      warnings: [],
    },
    downsampled: plan.note,
  };
}

/**
 * 'HU' only when the numbers can only be Hounsfield units: a signed integer
 * volume stored unscaled, whose minimum is air (between -3100 and -900, the
 * range scanners write for air and padding). TotalSegmentator CT int32 volumes
 * qualify; a uint8 angiogram with a scale factor, or a label map, do not.
 */
export function niftiUnits(datatype: number, slope: number, inter: number, min: number): ValueUnits {
  const signedInt = datatype === 4 || datatype === 8 || datatype === 1024 || datatype === 256;
  if (signedInt && slope === 1 && inter === 0 && min >= -3100 && min <= -900) return 'HU';
  return 'intensity';
}

function voxelReader(file: string, code: number, le: boolean): { bytes: number; get: (v: DataView, o: number) => number } {
  switch (code) {
    case 2: return { bytes: 1, get: (v, o) => v.getUint8(o) };
    case 256: return { bytes: 1, get: (v, o) => v.getInt8(o) };
    case 4: return { bytes: 2, get: (v, o) => v.getInt16(o, le) };
    case 512: return { bytes: 2, get: (v, o) => v.getUint16(o, le) };
    case 8: return { bytes: 4, get: (v, o) => v.getInt32(o, le) };
    case 768: return { bytes: 4, get: (v, o) => v.getUint32(o, le) };
    case 16: return { bytes: 4, get: (v, o) => v.getFloat32(o, le) };
    case 64: return { bytes: 8, get: (v, o) => v.getFloat64(o, le) };
    case 1024: return { bytes: 8, get: (v, o) => Number(v.getBigInt64(o, le)) };
    case 1280: return { bytes: 8, get: (v, o) => Number(v.getBigUint64(o, le)) };
    default:
      throw new ImagingError(`${file}: NIfTI datatype ${code} is not supported (RGB and complex volumes are not handled)`, 'unsupported-format');
  }
}
