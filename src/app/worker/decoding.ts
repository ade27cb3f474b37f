// Decoding and series grouping for the worker, through src/imaging.
import type { DecodedImage } from '../../imaging/types';
import { decodeFile } from '../../imaging/decode';
import { groupSeries } from '../../imaging/series';

export function decodeInput(name: string, bytes: Uint8Array): Promise<DecodedImage> {
  return decodeFile(name, bytes);
}

export interface DecodedGroup {
  image: DecodedImage;
  /** Source file of each frame, in volume order (one entry for a single image). */
  files: string[];
}

/** Slices of one DICOM series become one volume (sorted by position); everything else stays on its own. */
export function groupDecoded(decoded: { file: string; image: DecodedImage }[]): DecodedGroup[] {
  // The decoder names images after the path it was given; keep the page's name in case it differs.
  const images = decoded.map(({ file, image }) => (image.file === file ? image : { ...image, file }));
  return groupSeries(images).map((g) => ({ image: g.image, files: g.files }));
}
