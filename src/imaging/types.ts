import type { DicomSource } from './dicom/source';

/**
 * Shared shapes of the imaging pipeline. Everything here is plain data so that
 * it crosses a Web Worker boundary (structured clone) and runs in Node.
 */

export type ImageFormat = 'dicom' | 'png' | 'jpeg' | 'nifti';

/** What the numbers in `DecodedImage.frames` mean after the modality LUT. */
export type ValueUnits = 'HU' | 'stored' | 'intensity';

export interface VoiWindow {
  center: number;
  width: number;
  /** Where the window came from, shown to the user. */
  source?: 'file' | 'preset' | 'minmax' | 'card' | 'user';
  name?: string;
}

/** One metadata entry for the viewer's panel; PHI entries are masked until asked. */
export interface MetadataEntry {
  tag?: string;
  name: string;
  value: string;
  phi: boolean;
}

export interface VolumeGeometry {
  /** Millimetres between slice centres, one per gap (length frames-1). */
  sliceGaps: number[];
  pixelSpacing?: [number, number];
  /** Human-readable warnings: gantry tilt, uneven spacing, missing positions. */
  warnings: string[];
}

/**
 * A decoded image or volume: every frame's values after the modality LUT
 * (rescale slope/intercept, Modality LUT Sequence, NIfTI scl_slope/scl_inter),
 * before any VOI windowing or MONOCHROME1 inversion.
 */
export interface DecodedImage {
  file: string;
  format: ImageFormat;
  modality: string | null;
  photometric: string;
  transferSyntax: string | null;
  rows: number;
  columns: number;
  /** 1 for colour-converted RGB (interleaved), otherwise 1 sample per pixel. */
  samplesPerPixel: 1 | 3;
  /** One array per frame (slice), each rows*columns*samplesPerPixel long. */
  frames: Float32Array[];
  units: ValueUnits;
  /** Windows stored in the file (DICOM Window Center/Width), in output units. */
  windows: VoiWindow[];
  /** A DICOM VOI LUT, if the file has one (applied instead of a linear window). */
  voiLut?: { firstMapped: number; bitsPerEntry: number; data: Uint16Array | Float32Array };
  /** Body part / view hints from the header, used by the out-of-distribution check. */
  bodyPart?: string | null;
  viewPosition?: string | null;
  metadata: MetadataEntry[];
  geometry?: VolumeGeometry;
  /** Set when the decoder had to shrink a very large image, with the rule used. */
  downsampled?: string;
  /** DICOM identity and geometry used to group single slices into a series volume. */
  series?: {
    studyInstanceUid?: string;
    seriesInstanceUid?: string;
    seriesDescription?: string;
    seriesNumber?: number;
    frameOfReferenceUid?: string;
    instanceNumber?: number;
    imagePositionPatient?: [number, number, number];
    imageOrientationPatient?: [number, number, number, number, number, number];
    sliceThickness?: number;
  };
  /** Patient identity for splitting datasets by patient; never shown unmasked by default. */
  patientId?: string;
  /** DICOM PatientAge (AS, e.g. "045Y"), PatientBirthDate and StudyDate (DA), for the model's population check. */
  patient?: { age?: string; birthDate?: string; studyDate?: string };
  /** DICOM only: what a Structured Report about this image copies and references. */
  dicom?: DicomSource;
}

/** A decoding failure that names what is wrong with one file. */
export class ImagingError extends Error {
  constructor(
    message: string,
    readonly code:
      | 'unsupported-format'
      | 'truncated'
      | 'not-dicom'
      | 'unsupported-transfer-syntax'
      | 'no-pixel-data'
      | 'empty-image'
      | 'too-large'
      | 'corrupt',
  ) {
    super(message);
    this.name = 'ImagingError';
  }
}

/** How a model wants its pixels, as declared in its card. */
export interface InputSpec {
  /** [height, width] of the model input. */
  size: [number, number];
  channels: 1 | 3;
  /**
   * stretch: the whole image scaled to size, aspect not kept (how the Kermany
   * set was made). center-crop: shorter side to size, centre kept.
   */
  fit: 'stretch' | 'center-crop';
  /** area: box-filter average (anti-aliased downsampling); bilinear: half-pixel centres. */
  interpolation: 'area' | 'bilinear';
  /**
   * How modality values become display values in [0, 1] before resizing:
   * - display: the file's own VOI window (else min-max), MONOCHROME1 inverted;
   * - window: a fixed window in the image's units (e.g. lung -600/1500 HU);
   * - minmax: the frame's finite minimum and maximum.
   */
  window: { kind: 'display' } | { kind: 'window'; center: number; width: number } | { kind: 'minmax' };
  /**
   * zscore-image: subtract the image mean and divide by its standard deviation
   * (constant images give zeros); fixed: (x - mean) / std per channel; unit: leave [0, 1].
   */
  normalization: { kind: 'zscore-image' } | { kind: 'fixed'; mean: number[]; std: number[] } | { kind: 'unit' };
}
