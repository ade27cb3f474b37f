import { decodeDicom } from './dicom/decode-dicom';
import { looksLikeDicom } from './dicom/parse';
import { isNifti, decodeNifti } from './nifti';
import { decodeRaster, isJpeg, isPng } from './raster';
import { type DecodedImage, ImagingError } from './types';

/**
 * Decodes one file by its content, never by its extension alone: DICOM
 * (Part 10 or a raw data set), NIfTI-1/2 (plain or gzip), PNG, JPEG.
 */
export async function decodeFile(name: string, bytes: Uint8Array): Promise<DecodedImage> {
  if (!bytes.length) throw new ImagingError(`${name}: the file is empty`, 'truncated');
  if (isPng(bytes) || isJpeg(bytes)) return decodeRaster(name, bytes);
  if (looksLikeDicom(bytes)) return decodeDicom(name, bytes);
  if (isNifti(bytes)) return decodeNifti(name, bytes);
  const lower = name.toLowerCase();
  if (lower.endsWith('.dcm') || lower.endsWith('.dicom')) {
    throw new ImagingError(`${name}: named like DICOM but is not a DICOM file (no 'DICM' marker at byte 128 and no DICOM data set at the start)`, 'not-dicom');
  }
  if (lower.endsWith('.nii') || lower.endsWith('.nii.gz')) {
    throw new ImagingError(`${name}: named like NIfTI but has no NIfTI-1/2 header`, 'unsupported-format');
  }
  throw new ImagingError(`${name}: unsupported file format (not DICOM, NIfTI, PNG or JPEG)`, 'unsupported-format');
}

export interface BatchResult {
  file: string;
  image?: DecodedImage;
  error?: string;
  code?: ImagingError['code'];
}

/** Decodes many files; one bad file becomes an error entry and the rest go on. */
export async function decodeFiles(files: Array<{ name: string; bytes: Uint8Array }>): Promise<BatchResult[]> {
  const out: BatchResult[] = [];
  for (const f of files) {
    try {
      out.push({ file: f.name, image: await decodeFile(f.name, f.bytes) });
    } catch (err) {
      out.push({
        file: f.name,
        error: err instanceof Error ? err.message : String(err),
        code: err instanceof ImagingError ? err.code : 'corrupt',
      });
    }
  }
  return out;
}
