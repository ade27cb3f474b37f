import { type DecodedImage, ImagingError } from '../types';
import { blockAverage, planSize } from '../limits';
import { decodeHtj2k, decodeJpeg2000, decodeJpeg8, decodeJpegLossless, decodeJpegLs, readSof, type DecodedFrame } from './codecs';
import { encapsulatedFrames, nativeFrameBytes } from './frames';
import { decodeJpeg12 } from './jpeg12';
import { fileWindows, modalityLut, paletteToRgb, voiLut } from './luts';
import { metadataEntries, pixelSpacing, seriesInfo } from './metadata';
import { type DataSet, num, parseDicomBytes, str, transferSyntaxOf, us } from './parse';
import { codecFrameValues, nativeFrameValues, type PixelModule, ybr422NativeToRgb, ybrFullToRgb } from './pixels';
import { decodeRleFrame } from './rle';
import { dicomSource } from './source';
import { transferSyntaxInfo, type TransferSyntaxInfo } from './transfer-syntax';

/**
 * DICOM to DecodedImage: parse → transfer syntax → per frame (extract,
 * decompress, stored values, colour to RGB, modality LUT, size rule) →
 * windows, VOI LUT and header fields.
 */
export async function decodeDicom(file: string, bytes: Uint8Array): Promise<DecodedImage> {
  const ds = parseDicomBytes(file, bytes);
  const tsUid = transferSyntaxOf(ds);
  const ts = transferSyntaxInfo(tsUid);
  if (!ts) throw new ImagingError(`${file}: unsupported transfer syntax ${tsUid} (not a DICOM transfer syntax this viewer knows)`, 'unsupported-transfer-syntax');
  if (ts.unsupported) throw new ImagingError(`${file}: unsupported transfer syntax ${ts.uid} (${ts.name}): ${ts.unsupported}`, 'unsupported-transfer-syntax');

  const pixelEl = ds.elements.x7fe00010;
  if (!pixelEl) {
    const kind = ds.elements.x7fe00008 || ds.elements.x7fe00009 ? ' (float pixel data is not supported)' : '';
    throw new ImagingError(`${file}: the DICOM file has no pixel data${kind} (it may be a report, structured report or presentation state)`, 'no-pixel-data');
  }
  const pm = pixelModule(file, ds);
  const frames = Math.max(1, Math.round(num(ds, 'x00280008') ?? 1));
  const outSamples = pm.samplesPerPixel === 3 || pm.photometric === 'PALETTE COLOR' ? 3 : 1;
  const plan = planSize(file, pm.rows, pm.columns, frames, outSamples);
  if (!pixelEl.length && !pixelEl.hadUndefinedLength) throw new ImagingError(`${file}: the pixel data element is empty`, 'no-pixel-data');

  const readFrame = await frameReader(file, ds, pixelEl, pm, ts, frames);
  const lut = modalityLut(ds, pm.signed);
  const out: Float32Array[] = [];
  for (let f = 0; f < frames; f++) {
    let values = await readFrame(f);
    if (pm.photometric === 'PALETTE COLOR') values = paletteToRgb(ds, values, pm.signed);
    else if (outSamples === 1) (f === 0 ? lut : modalityLut(ds, pm.signed, f)).apply(values);
    out.push(blockAverage(values, pm.rows, pm.columns, outSamples, plan));
  }

  const modality = str(ds, 'x00080060') ?? null;
  const photometric = outSamples === 3 ? 'RGB' : pm.photometric;
  const voi = outSamples === 1 ? voiLut(ds, pm.signed) : undefined;
  return {
    file,
    format: 'dicom',
    modality,
    photometric,
    transferSyntax: ts.uid,
    rows: plan.outRows,
    columns: plan.outColumns,
    samplesPerPixel: outSamples,
    frames: out,
    units: modality === 'CT' && lut.applies ? 'HU' : 'stored',
    windows: outSamples === 1 ? fileWindows(ds) : [{ center: 128, width: 256, source: 'file', name: 'full range' }],
    voiLut: voi,
    bodyPart: str(ds, 'x00180015') ?? null,
    viewPosition: str(ds, 'x00185101') ?? null,
    metadata: [
      ...metadataEntries(ds),
      { name: 'Transfer Syntax', value: `${ts.name} (${ts.uid})`, phi: false },
      ...(pm.photometric !== photometric ? [{ name: 'Decoded colour', value: `${pm.photometric} converted to RGB`, phi: false }] : []),
    ],
    geometry: { sliceGaps: [], pixelSpacing: pixelSpacing(ds), warnings: [] },
    downsampled: plan.note,
    series: seriesInfo(ds),
    patientId: str(ds, 'x00100020'),
    patient: patientFields(ds),
    dicom: dicomSource(ds),
  };
}

/** Age evidence for the model card's population check; the first date that exists stands for the study date. */
function patientFields(ds: DataSet): DecodedImage['patient'] {
  const age = str(ds, 'x00101010');
  const birthDate = str(ds, 'x00100030');
  const studyDate = str(ds, 'x00080020') ?? str(ds, 'x00080021') ?? str(ds, 'x00080022') ?? str(ds, 'x00080023');
  return age || birthDate || studyDate ? { age, birthDate, studyDate } : undefined;
}

function pixelModule(file: string, ds: DataSet): PixelModule {
  const rows = us(ds, 'x00280010') ?? 0;
  const columns = us(ds, 'x00280011') ?? 0;
  if (!rows || !columns) throw new ImagingError(`${file}: the image has zero size (Rows ${rows}, Columns ${columns})`, 'empty-image');
  const bitsAllocated = us(ds, 'x00280100') ?? 16;
  const bitsStored = us(ds, 'x00280101') ?? bitsAllocated;
  const samplesPerPixel = us(ds, 'x00280002') ?? 1;
  if (samplesPerPixel !== 1 && samplesPerPixel !== 3) throw new ImagingError(`${file}: ${samplesPerPixel} samples per pixel is not supported`, 'corrupt');
  return {
    rows,
    columns,
    samplesPerPixel,
    bitsAllocated,
    bitsStored,
    highBit: us(ds, 'x00280102') ?? bitsStored - 1,
    signed: (us(ds, 'x00280103') ?? 0) === 1,
    planarConfiguration: us(ds, 'x00280006') ?? 0,
    photometric: (str(ds, 'x00280004') ?? (samplesPerPixel === 3 ? 'RGB' : 'MONOCHROME2')).trim().toUpperCase(),
  };
}

type FrameReader = (index: number) => Promise<Float32Array>;

async function frameReader(
  file: string,
  ds: DataSet,
  el: DataSet['elements'][string],
  pm: PixelModule,
  ts: TransferSyntaxInfo,
  frames: number,
): Promise<FrameReader> {
  const ybr = pm.photometric.startsWith('YBR');
  if (ts.encoding === 'native') {
    if (el.hadUndefinedLength) throw new ImagingError(`${file}: encapsulated pixel data under the uncompressed transfer syntax ${ts.uid}`, 'corrupt');
    const is422 = pm.photometric === 'YBR_FULL_422' && pm.bitsAllocated === 8;
    const bytesPerFrame = is422 ? pm.rows * pm.columns * 2 : (pm.rows * pm.columns * pm.samplesPerPixel * pm.bitsAllocated) / 8;
    const frame = nativeFrameBytes(file, ds, el, frames, bytesPerFrame);
    return async (i) => {
      const { bytes, bitOffset } = frame(i);
      if (is422) return ybr422NativeToRgb(bytes, pm.rows, pm.columns);
      const values = nativeFrameValues(bytes, pm, ts.littleEndian, bitOffset);
      return ybr && pm.samplesPerPixel === 3 ? ybrFullToRgb(values, 2 ** pm.bitsStored - 1) : values;
    };
  }
  if (!el.encapsulatedPixelData) throw new ImagingError(`${file}: ${ts.name} requires encapsulated pixel data, but the pixel data is not encapsulated`, 'corrupt');
  const isJpeg = ts.encoding.startsWith('jpeg-') && ts.encoding !== 'jpeg-ls';
  const frameBytes = encapsulatedFrames(file, ds, el, frames, isJpeg);
  const bytesPerSample: 1 | 2 = pm.bitsAllocated <= 8 ? 1 : 2;
  const fromCodec = async (decode: Promise<DecodedFrame>, colourDone: boolean) => {
    let frame: DecodedFrame;
    try {
      frame = await decode;
    } catch (err) {
      if (err instanceof ImagingError) throw new ImagingError(`${file}: ${err.message}`, err.code);
      throw new ImagingError(`${file}: the ${ts.name} data could not be decoded (${codecMessage(err)})`, 'corrupt');
    }
    const values = codecFrameValues(frame, pm, file);
    return ybr && pm.samplesPerPixel === 3 && !colourDone ? ybrFullToRgb(values, 2 ** pm.bitsStored - 1) : values;
  };
  switch (ts.encoding) {
    case 'rle':
      return async (i) => {
        const raw = decodeRleFrame(frameBytes(i), pm.rows, pm.columns, pm.samplesPerPixel, pm.bitsAllocated);
        const values = nativeFrameValues(raw, { ...pm, planarConfiguration: 0 }, true);
        return ybr && pm.samplesPerPixel === 3 ? ybrFullToRgb(values, 2 ** pm.bitsStored - 1) : values;
      };
    case 'jpeg-lossless':
      return (i) => fromCodec(decodeJpegLossless(frameBytes(i), bytesPerSample), false);
    case 'jpeg-ls':
      // CharLS does no colour transform: YBR stays YBR and is converted here.
      return (i) => fromCodec(decodeJpegLs(frameBytes(i)), false);
    case 'jpeg2000':
      // OpenJPEG applies the inverse component transform (YBR_ICT/RCT → RGB).
      return (i) => fromCodec(decodeJpeg2000(frameBytes(i)), true);
    case 'htj2k':
      return (i) => fromCodec(decodeHtj2k(frameBytes(i)), true);
    case 'jpeg-baseline':
    case 'jpeg-extended':
      // libjpeg-turbo and our 12-bit decoder both output RGB for 3-component YCbCr JPEG.
      return (i) => {
        const data = frameBytes(i);
        const precision = safeSof(data)?.precision ?? 8;
        return fromCodec(precision > 8 ? decodeJpeg12(data) : decodeJpeg8(data), true);
      };
  }
  throw new ImagingError(`${file}: unsupported transfer syntax ${ts.uid} (${ts.name})`, 'unsupported-transfer-syntax');
}

function safeSof(data: Uint8Array) {
  try {
    return readSof(data);
  } catch {
    return undefined;
  }
}

function codecMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'number') return `codec error ${err}`;
  return String(err);
}
