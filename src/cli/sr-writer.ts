import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DecodedImage } from '../imaging/types';
import type { LoadedModel } from '../ml';
import { buildSr, srFileName } from '../report/sr';
import { errorMessage } from './io';
import { srInputFor, type Classified, type Line } from './lines';

/**
 * classify --sr <dir>: one DICOM SR per DICOM result, written beside the
 * others in <dir>; the line gets `sr` (the path), or `srError` when the file
 * cannot have one (the classification itself still stands).
 */
export class SrWriter {
  private used = new Set<string>();
  private ready: Promise<unknown>;

  constructor(
    private readonly dir: string,
    private readonly model: LoadedModel,
    private readonly backend: string,
  ) {
    this.ready = mkdir(dir, { recursive: true });
  }

  private uniqueName(file: string): string {
    const name = srFileName(file);
    let candidate = name;
    for (let n = 2; this.used.has(candidate); n++) candidate = name.replace(/\.sr\.dcm$/, `-${n}.sr.dcm`);
    this.used.add(candidate);
    return candidate;
  }

  async attach(line: Line, image: DecodedImage, classified: Classified): Promise<Line> {
    if (image.format !== 'dicom') return line;
    try {
      const doc = buildSr(srInputFor(image, classified, this.model, this.backend));
      await this.ready;
      const path = join(this.dir, this.uniqueName(String(line.file)));
      await writeFile(path, doc.bytes);
      return { ...line, sr: path };
    } catch (err) {
      return { ...line, srError: `no DICOM SR written: ${errorMessage(err)}` };
    }
  }
}
