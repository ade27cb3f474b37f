import type { DecodedImage, VolumeGeometry } from './types';

/**
 * Groups single DICOM slices into volumes by SeriesInstanceUID and orders
 * them along the slice normal: position = ImagePositionPatient · (row × column
 * direction cosines), then InstanceNumber for ties or missing positions.
 * Only slices of a cross-sectional acquisition are stacked (see
 * `isVolumeSlice`); projection films, multi-frame files and non-DICOM images
 * pass through unchanged, one group each.
 */

export interface SeriesGroup {
  seriesInstanceUid: string | null;
  /** The stacked volume (one frame per slice), or the lone image. */
  image: DecodedImage;
  /** Source file of each frame, in volume order. */
  files: string[];
}

/**
 * Projection radiography: every file is a picture of its own, even when a PA
 * and a lateral film (or a repeat) share one series.
 */
export const PROJECTION_MODALITIES: ReadonlySet<string> = new Set(['CR', 'DX', 'DR', 'MG', 'XA', 'RF', 'IO', 'PX', 'DF', 'DS', 'RG', 'BMD']);
/** Cross-sectional modalities: single-frame files of one series are slices of one volume. */
export const CROSS_SECTIONAL_MODALITIES: ReadonlySet<string> = new Set(['CT', 'MR', 'PT', 'NM', 'ST']);

/** What the rule reads of a decoded image (training import keeps no pixels, only their count). */
export type SliceCandidate = Pick<DecodedImage, 'format' | 'modality' | 'series' | 'rows' | 'columns'> & { frames: { length: number } };

/**
 * The one rule for what becomes a volume, shared by the page, the CLI, the
 * bench and training import: a single-frame DICOM in an identifiable series
 * whose modality is cross-sectional. For a modality that is neither known
 * projection nor cross-sectional (OT, SC, US, missing…) the file's own
 * geometry decides: a slice says where it lies in space (Image Position and
 * Orientation (Patient)); a photo, a screenshot or a film does not.
 */
export function isVolumeSlice(img: SliceCandidate): boolean {
  if (img.format !== 'dicom' || img.frames.length !== 1 || !seriesKey(img)) return false;
  const modality = (img.modality ?? '').trim().toUpperCase();
  if (CROSS_SECTIONAL_MODALITIES.has(modality)) return true;
  if (PROJECTION_MODALITIES.has(modality)) return false;
  return !!(img.series?.imagePositionPatient && img.series.imageOrientationPatient);
}

const UNEVEN_TOLERANCE_MM = 0.01;
const TILT_TOLERANCE = 1e-3;

export function groupSeries(images: DecodedImage[]): SeriesGroup[] {
  const groups = new Map<string, DecodedImage[]>();
  const out: SeriesGroup[] = [];
  for (const img of images) {
    const uid = seriesKey(img);
    if (!uid || !isVolumeSlice(img)) {
      out.push({ seriesInstanceUid: uid ?? null, image: img, files: [img.file] });
      continue;
    }
    const list = groups.get(uid) ?? [];
    list.push(img);
    groups.set(uid, list);
  }
  for (const [uid, slices] of groups) {
    if (slices.length === 1) out.push({ seriesInstanceUid: slices[0].series?.seriesInstanceUid ?? null, image: slices[0], files: [slices[0].file] });
    else out.push(stackSeries(uid, slices));
  }
  return out;
}

/**
 * SeriesInstanceUID, or, when an anonymiser emptied it, the study, frame of
 * reference, series number/description, size and orientation together.
 */
export function seriesKey(img: Pick<DecodedImage, 'series' | 'rows' | 'columns'>): string | undefined {
  const s = img.series;
  if (!s) return undefined;
  if (s.seriesInstanceUid) return s.seriesInstanceUid;
  const parts = [s.studyInstanceUid, s.frameOfReferenceUid, s.seriesNumber, s.seriesDescription];
  if (parts.every((p) => p === undefined) && !s.imageOrientationPatient) return undefined;
  return `unidentified series: ${parts.map((p) => p ?? '-').join('|')}|${img.columns}x${img.rows}|${s.imageOrientationPatient?.map((v) => v.toFixed(3)).join(',') ?? '-'}`;
}

function normalOf(iop: readonly number[]): [number, number, number] {
  const [rx, ry, rz, cx, cy, cz] = iop;
  return [ry * cz - rz * cy, rz * cx - rx * cz, rx * cy - ry * cx];
}

export function stackSeries(uid: string, slices: DecodedImage[]): SeriesGroup {
  const warnings: string[] = [];
  const iop = slices.find((s) => s.series?.imageOrientationPatient)?.series?.imageOrientationPatient;
  const normal = iop ? normalOf(iop) : undefined;
  const position = (s: DecodedImage): number | undefined => {
    const ipp = s.series?.imagePositionPatient;
    if (!ipp || !normal) return undefined;
    return ipp[0] * normal[0] + ipp[1] * normal[1] + ipp[2] * normal[2];
  };
  const missing = slices.filter((s) => position(s) === undefined).length;
  if (missing) warnings.push(`${missing} of ${slices.length} slices have no Image Position/Orientation (Patient); ordered by Instance Number`);
  const sorted = [...slices].sort((a, b) => {
    const pa = position(a), pb = position(b);
    if (pa !== undefined && pb !== undefined && Math.abs(pa - pb) > 1e-6) return pa - pb;
    if (pa !== undefined && pb === undefined) return -1;
    if (pa === undefined && pb !== undefined) return 1;
    return (a.series?.instanceNumber ?? 0) - (b.series?.instanceNumber ?? 0);
  });

  const first = sorted[0];
  const sameSize = sorted.filter((s) => s.rows === first.rows && s.columns === first.columns && s.samplesPerPixel === first.samplesPerPixel);
  if (sameSize.length !== sorted.length) {
    warnings.push(`${sorted.length - sameSize.length} slices differ in size from ${first.columns}×${first.rows} and were left out of the volume`);
  }
  if (iop && sorted.some((s) => s.series?.imageOrientationPatient?.some((v, i) => Math.abs(v - iop[i]) > TILT_TOLERANCE))) {
    warnings.push('slices have different orientations (Image Orientation (Patient) varies)');
  }

  const sliceGaps: number[] = [];
  for (let i = 1; i < sameSize.length; i++) {
    const p0 = position(sameSize[i - 1]), p1 = position(sameSize[i]);
    if (p0 !== undefined && p1 !== undefined) sliceGaps.push(+(p1 - p0).toFixed(6));
  }
  if (sliceGaps.length > 1) {
    const lo = Math.min(...sliceGaps), hi = Math.max(...sliceGaps);
    if (hi - lo > UNEVEN_TOLERANCE_MM) warnings.push(`uneven slice spacing: gaps from ${lo.toFixed(3)} to ${hi.toFixed(3)} mm`);
    if (sliceGaps.some((g) => Math.abs(g) < 1e-6)) warnings.push('two or more slices share one position (duplicates?)');
  }
  // Gantry tilt: consecutive positions step off the slice normal.
  if (normal && sameSize.length > 1) {
    const a = sameSize[0].series?.imagePositionPatient, b = sameSize[1].series?.imagePositionPatient;
    if (a && b) {
      const d = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
      const len = Math.hypot(d[0], d[1], d[2]);
      const along = Math.abs(d[0] * normal[0] + d[1] * normal[1] + d[2] * normal[2]);
      if (len > 0 && along / len < 1 - TILT_TOLERANCE) {
        warnings.push(`gantry tilt or sheared stack: slices step ${((Math.acos(Math.min(1, along / len)) * 180) / Math.PI).toFixed(1)}° off the slice normal`);
      }
    }
  }

  const geometry: VolumeGeometry = { sliceGaps, pixelSpacing: first.geometry?.pixelSpacing, warnings };
  const image: DecodedImage = {
    ...first,
    file: first.series?.seriesDescription ? `${first.series.seriesDescription} (${sameSize.length} slices)` : `series ${first.series?.seriesInstanceUid ?? first.series?.seriesNumber ?? ''} (${sameSize.length} slices)`,
    frames: sameSize.map((s) => s.frames[0]),
    geometry,
    series: { ...first.series, instanceNumber: undefined },
    downsampled: sameSize.find((s) => s.downsampled)?.downsampled,
    dicom: first.dicom && { ...first.dicom, instances: sameSize.flatMap((s) => s.dicom?.instances ?? []) },
  };
  if (!first.series?.seriesInstanceUid) warnings.push('the slices have no Series Instance UID; grouped by study, frame of reference, series number, size and orientation');
  return { seriesInstanceUid: first.series?.seriesInstanceUid ?? null, image, files: sameSize.map((s) => s.file) };
}
