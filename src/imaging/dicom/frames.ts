import { ImagingError } from '../types';
import { type DataSet, type Element, dicomParser, elementOverruns } from './parse';

/** Byte ranges of each frame in the Pixel Data element, native or encapsulated. */

export function nativeFrameBytes(
  file: string,
  ds: DataSet,
  el: Element,
  frames: number,
  bytesPerFrame: number,
): (index: number) => { bytes: Uint8Array; bitOffset: number } {
  const available = Math.min(el.length, ds.byteArray.length - el.dataOffset);
  const needed = Math.ceil(frames * bytesPerFrame);
  if (available < needed || elementOverruns(ds, el)) {
    throw new ImagingError(
      `${file}: the pixel data is truncated (${available} of ${needed} bytes for ${frames} frame${frames > 1 ? 's' : ''})`,
      'truncated',
    );
  }
  return (index) => {
    const startBits = index * bytesPerFrame * 8;
    const start = el.dataOffset + Math.floor(startBits / 8);
    return {
      bytes: ds.byteArray.subarray(start, start + Math.ceil(bytesPerFrame) + 1),
      bitOffset: Math.round(startBits % 8),
    };
  };
}

export function encapsulatedFrames(file: string, ds: DataSet, el: Element, frames: number, isJpeg: boolean): (index: number) => Uint8Array {
  const fragments = el.fragments ?? [];
  if (!fragments.length) throw new ImagingError(`${file}: the compressed pixel data has no fragments`, 'no-pixel-data');
  for (const f of fragments) {
    if (f.position + f.length > ds.byteArray.length) {
      throw new ImagingError(`${file}: the compressed pixel data is truncated (a fragment runs past the end of the file)`, 'truncated');
    }
  }
  const bot = el.basicOffsetTable ?? [];
  return (index) => {
    try {
      if (frames === 1) return copy(dicomParser.readEncapsulatedPixelDataFromFragments(ds, el, 0, fragments.length));
      if (bot.length === frames) return copy(dicomParser.readEncapsulatedImageFrame(ds, el, index, bot));
      if (fragments.length === frames) return copy(dicomParser.readEncapsulatedPixelDataFromFragments(ds, el, index, 1));
      if (isJpeg) {
        const table = dicomParser.createJPEGBasicOffsetTable(ds, el);
        return copy(dicomParser.readEncapsulatedImageFrame(ds, el, index, table));
      }
    } catch (err) {
      throw new ImagingError(`${file}: frame ${index + 1} could not be read from the compressed pixel data (${String((err as Error)?.message ?? err)})`, 'corrupt');
    }
    throw new ImagingError(
      `${file}: cannot find frame ${index + 1} (${frames} frames in ${fragments.length} fragments without an offset table)`,
      'corrupt',
    );
  };
}

// Codecs may keep or transfer buffers; never hand them a view into the file.
function copy(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes);
}
