import type { InputSpec } from '../src/imaging/types';

/** The reference chest X-ray model's input, as written into its card. */
export const CXR_INPUT_SPEC: InputSpec = {
  size: [128, 128],
  channels: 1,
  fit: 'stretch',
  interpolation: 'area',
  window: { kind: 'display' },
  normalization: { kind: 'zscore-image' },
};
