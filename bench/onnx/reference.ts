import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { decodeFile } from '../../src/imaging/decode';
import { prepareModelInput } from '../../src/imaging/preprocess';
import type { InputSpec } from '../../src/imaging/types';
import { fsReader, loadModel, forwardPrepared, calibratedProbabilities } from '../../src/ml';
import { mixedKermany } from '../inputs';

/**
 * The bench's shared inputs: real Kermany films decoded and preprocessed by
 * src/imaging exactly as the page does, one NHWC batch; and our own
 * probabilities for them (tfjs, the loaded model, the card's temperature).
 */
export async function referenceInputs(card: { input: InputSpec }, count: number, skip = 60): Promise<{ batch: Float32Array; n: number; shape: number[]; files: string[] }> {
  const files = mixedKermany(count, skip);
  const [h, w] = card.input.size;
  const per = h * w * card.input.channels;
  const batch = new Float32Array(per * files.length);
  for (let i = 0; i < files.length; i++) {
    const image = await decodeFile(basename(files[i]), new Uint8Array(readFileSync(files[i])));
    batch.set(prepareModelInput(image, 0, card.input), i * per);
  }
  return { batch, n: files.length, shape: [h, w, card.input.channels], files };
}

export async function tfjsProbabilities(modelDir: string, batch: Float32Array, n: number): Promise<Float32Array> {
  const m = await loadModel(fsReader(modelDir));
  try {
    const per = batch.length / n;
    const inputs = Array.from({ length: n }, (_, i) => batch.subarray(i * per, (i + 1) * per));
    const out = await forwardPrepared(m, inputs);
    return Float32Array.from(out.flatMap((o) => calibratedProbabilities(o.logits, m.card.temperature)));
  } finally {
    m.dispose();
  }
}
