/**
 * The dataset as the Training page shows it before training: labels from
 * folders or a CSV, every file hashed and decoded once (kept as metadata and a
 * thumbnail, never as pixels), the patient grouping, the split and the
 * warnings. Runs in the training worker; a changed pattern or split reuses
 * what was already read.
 */
import type { DecodedImage } from '../../imaging/types';
import { classNames, datasetItem, duplicateGroups, guessPositiveLabel, labelsFromCsv, labelsFromFolders, type DatasetItem, type LabelledFile, sha256Hex, DEFAULT_PATIENT_PATTERNS, userPatientPattern, type PatientPattern, splitByPatient, splitCounts, type SplitRatios, datasetWarnings } from '../../ml';
import type { DatasetSummary, Thumbnail } from './train-protocol';

export interface ScanFile {
  path: string;
  /** Identifies the file's content version (size + modified time) for the cache. */
  stamp: string;
  read(): Promise<Uint8Array>;
}

type ImageMeta = Pick<DecodedImage, 'format' | 'modality' | 'rows' | 'columns' | 'samplesPerPixel' | 'patientId' | 'series'> & { frames: { length: number } };

interface Scanned {
  stamp: string;
  sha256: string;
  bytes: number;
  meta?: ImageMeta;
  thumbnail?: Thumbnail;
  error?: string;
}

export interface ScanDeps {
  decode(file: string, bytes: Uint8Array): Promise<DecodedImage>;
  thumbnail(image: DecodedImage): { width: number; height: number; rgba: Uint8ClampedArray };
}

export const THUMBNAILS_PER_CLASS = 6;

export interface ScanRequest {
  files: ScanFile[];
  csv?: string;
  patientPattern?: string;
  ratios: SplitRatios;
  seed: number;
}

export class DatasetScanner {
  private cache = new Map<string, Scanned>();
  /** The last summary's items, in the order training uses. */
  lastItems: DatasetItem[] = [];

  constructor(private deps: ScanDeps) {}

  async scan(req: ScanRequest, onProgress?: (done: number, total: number) => void, signal?: AbortSignal): Promise<DatasetSummary> {
    const paths = req.files.map((f) => f.path);
    let labelled: LabelledFile[];
    let ignored: string[];
    if (req.csv) {
      const fromCsv = labelsFromCsv(req.csv, paths);
      labelled = fromCsv.files;
      ignored = fromCsv.unlabelled;
    } else ({ files: labelled, ignored } = labelsFromFolders(paths));

    let patterns: PatientPattern[] = DEFAULT_PATIENT_PATTERNS;
    let patternError: string | undefined;
    if (req.patientPattern) {
      try {
        patterns = [userPatientPattern(req.patientPattern)];
      } catch (e) {
        patternError = (e as Error).message;
      }
    }

    const byPath = new Map(req.files.map((f) => [f.path, f]));
    const perClassThumbs = new Map<string, number>();
    const items: DatasetItem[] = [];
    const errors: { file: string; message: string }[] = [];
    const thumbnails: Record<string, Thumbnail[]> = {};
    for (let i = 0; i < labelled.length; i++) {
      if (signal?.aborted) throw new DOMException('cancelled', 'AbortError');
      const entry = labelled[i];
      const file = byPath.get(entry.file)!;
      const wantThumb = (perClassThumbs.get(entry.label) ?? 0) < THUMBNAILS_PER_CLASS;
      const scanned = await this.read(file, wantThumb);
      if (scanned.error || !scanned.meta) errors.push({ file: entry.file, message: scanned.error ?? 'unreadable' });
      else {
        items.push(datasetItem(entry, scanned.sha256, scanned.bytes, scanned.meta, patterns));
        if (wantThumb && scanned.thumbnail) {
          (thumbnails[entry.label] ??= []).push(scanned.thumbnail);
          perClassThumbs.set(entry.label, (perClassThumbs.get(entry.label) ?? 0) + 1);
        }
      }
      onProgress?.(i + 1, labelled.length);
    }

    const labels = classNames(items);
    const splits = items.length ? splitByPatient(items, req.ratios, req.seed) : [];
    const counts: Record<string, number> = {};
    for (const it of items) counts[it.label] = (counts[it.label] ?? 0) + 1;
    const patientSources: Record<string, number> = {};
    for (const it of items) patientSources[it.patientSource] = (patientSources[it.patientSource] ?? 0) + 1;
    this.lastItems = items;
    return {
      labels,
      positiveLabel: labels.length ? guessPositiveLabel(labels) : '',
      items,
      splits,
      counts,
      splitCounts: splitCounts(items, splits),
      duplicates: duplicateGroups(items),
      warnings: items.length ? datasetWarnings(items, splits) : [],
      errors,
      ignored,
      patientSources,
      patients: new Set(items.map((i) => i.patient)).size,
      thumbnails,
      patternError,
    };
  }

  private async read(file: ScanFile, wantThumb: boolean): Promise<Scanned> {
    const cached = this.cache.get(file.path);
    if (cached && cached.stamp === file.stamp && (!wantThumb || cached.thumbnail || cached.error)) return cached;
    let scanned: Scanned;
    const bytes = await file.read();
    const sha256 = cached?.stamp === file.stamp ? cached.sha256 : sha256Hex(bytes);
    try {
      const image = await this.deps.decode(file.path, bytes);
      const meta: ImageMeta = {
        format: image.format,
        modality: image.modality,
        rows: image.rows,
        columns: image.columns,
        samplesPerPixel: image.samplesPerPixel,
        patientId: image.patientId,
        series: image.series,
        frames: { length: image.frames.length },
      };
      scanned = { stamp: file.stamp, sha256, bytes: bytes.length, meta };
      if (wantThumb) scanned.thumbnail = { file: file.path, ...this.deps.thumbnail(image) };
    } catch (e) {
      scanned = { stamp: file.stamp, sha256, bytes: bytes.length, error: (e as Error).message || String(e) };
    }
    this.cache.set(file.path, scanned);
    return scanned;
  }
}
