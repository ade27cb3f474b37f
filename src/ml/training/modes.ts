import type { BackendName } from '../runtime';

/**
 * The three training modes, described once: where each can run, what it
 * starts from, its defaults and how its result is read. The Training form,
 * the pipeline and `npm run train` all decide from this table.
 */

export type TrainingMode = 'head' | 'finetune' | 'scratch';

export interface TrainingModeSpec {
  mode: TrainingMode;
  /** Backends that can run it at all. tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter: convolution weights cannot learn there. */
  backends: readonly BackendName[];
  /** Backends on which the Training page offers it (fine-tuning convolutions on cpu is only practical for tiny models). */
  pageBackends: readonly BackendName[];
  /** What it starts from: a frozen trunk or classifier (required), or nothing (a base only lends its input spec). */
  base: 'required' | 'optional';
  /** The base a run takes when none is named: the texture trunk, or the bundled chest X-ray classifier. */
  defaultBase: 'trunk' | 'classifier';
  /** Optimiser defaults when the caller gives none (undefined epochs: the fit decides when it has converged). */
  defaults: { learningRate: number; epochs?: number; batchSize?: number; patience?: number };
  /**
   * How the reported model is chosen: the last round of a converged fit
   * (a linear head on frozen features), or the epoch with the best validation
   * AUC under early stopping.
   */
  selection: 'converged' | 'best-epoch';
  /** What is kept per image while reading: frozen-trunk features, or model-size pixels (and features for a head on top). */
  reads: 'features' | 'features+images' | 'images';
}

const ALL: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];
const NO_WASM: readonly BackendName[] = ['webgpu', 'webgl', 'cpu'];

export const TRAINING_MODES: Readonly<Record<TrainingMode, TrainingModeSpec>> = {
  head: {
    mode: 'head', backends: ALL, pageBackends: ALL, base: 'required', defaultBase: 'trunk',
    defaults: { learningRate: 1e-3 }, selection: 'converged', reads: 'features',
  },
  finetune: {
    mode: 'finetune', backends: NO_WASM, pageBackends: ['webgpu', 'webgl'], base: 'required', defaultBase: 'classifier',
    defaults: { learningRate: 1e-4, epochs: 5 }, selection: 'best-epoch', reads: 'features+images',
  },
  scratch: {
    mode: 'scratch', backends: NO_WASM, pageBackends: NO_WASM, base: 'optional', defaultBase: 'classifier',
    defaults: { learningRate: 1e-3, epochs: 10, batchSize: 32, patience: 0 }, selection: 'best-epoch', reads: 'images',
  },
};

export const TRAINING_MODE_NAMES = Object.keys(TRAINING_MODES) as TrainingMode[];

export function isTrainingMode(value: string): value is TrainingMode {
  return (TRAINING_MODE_NAMES as string[]).includes(value);
}

const SHOWN: Record<BackendName, string> = { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'wasm', cpu: 'cpu' };
const either = (xs: string[]) => (xs.length > 1 ? `${xs.slice(0, -1).join(', ')} or ${xs[xs.length - 1]}` : xs[0]);

/** Why `mode` cannot run on `backend`, in words for the user; undefined when it can. */
export function modeBackendProblem(mode: TrainingMode, backend: BackendName): string | undefined {
  const spec = TRAINING_MODES[mode];
  if (spec.backends.includes(backend)) return undefined;
  const why = backend === 'wasm' ? 'the wasm backend cannot train convolutions' : `it does not run on ${backend}`;
  const others = TRAINING_MODE_NAMES.filter((m) => TRAINING_MODES[m].backends.includes(backend));
  return `${mode} training needs the ${either(spec.backends.map((b) => SHOWN[b]))} backend (${why}); ${either(others)} training works on ${backend}`;
}

/** The modes the Training page offers on `backend` (all of them before a backend is known). */
export function pageModes(backend: BackendName | null): TrainingMode[] {
  return TRAINING_MODE_NAMES.filter((m) => !backend || TRAINING_MODES[m].pageBackends.includes(backend));
}

/** Backends a command-line run of `mode` may use, in the CLI's order of preference (wasm is faster than cpu). */
export function cliBackends(mode: TrainingMode): BackendName[] {
  return (['wasm', 'cpu'] as BackendName[]).filter((b) => TRAINING_MODES[mode].backends.includes(b));
}
