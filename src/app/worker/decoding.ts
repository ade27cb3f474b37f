// Reading, decoding and series grouping for the worker, through src/imaging.
import type { DecodedImage } from '../../imaging/types';
import { decodeWithTimeLimit } from '../../imaging/time-limit';
import { groupSeries } from '../../imaging/series';
import { timed } from '../../ml';
import type { DroppedFile } from './protocol';

const reason = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * One file the page handed over, read and decoded under the per-file time
 * limit. A file removed or locked since the drop fails with its own message;
 * decoding errors keep theirs (ImagingError and its code).
 */
export async function readAndDecode({ name, file }: DroppedFile): Promise<DecodedImage> {
  let bytes: ArrayBuffer;
  try {
    bytes = await timed('read', () => file.arrayBuffer());
  } catch (e) {
    throw new Error(`${name}: the file could not be read (${reason(e) || 'read error'})`);
  }
  return timed('decode', () => decodeWithTimeLimit(name, new Uint8Array(bytes)));
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
