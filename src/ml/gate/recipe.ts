/**
 * The trunk `npm run gate:fit` fits the refusal gate on: a thin member of the
 * texture-trunk family (the same seeded-Gaussian construction, src/ml/trunk/build.ts)
 * run on the classifier's own 128 px input, so the gate needs no second
 * resize. The channels were chosen on validation only (training/README.md,
 * "Refusal gate: trunk width"). What the page builds comes from the card's
 * `gate.trunk` record, never from this constant, so a card fitted on another
 * recipe keeps working.
 */
export const GATE_TRUNK = {
  id: 'gate-texture-trunk',
  version: '1.0.0',
  size: 128,
  channels: [8, 16, 32, 64, 64],
  seed: 7,
} as const;
