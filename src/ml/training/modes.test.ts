import { describe, expect, it } from 'vitest';
import { cliBackends, isTrainingMode, modeBackendProblem, pageModes, TRAINING_MODES } from './modes';

describe('training modes as data', () => {
  it('says where each mode runs: wasm trains heads only, fine-tuning wants a GPU in the page', () => {
    expect(pageModes('wasm')).toEqual(['head']);
    expect(pageModes('cpu')).toEqual(['head', 'scratch']);
    expect(pageModes('webgpu')).toEqual(['head', 'finetune', 'scratch']);
    expect(pageModes(null)).toEqual(['head', 'finetune', 'scratch']);
    expect(cliBackends('head')).toEqual(['wasm', 'cpu']);
    expect(cliBackends('finetune')).toEqual(['cpu']);
    expect(cliBackends('scratch')).toEqual(['cpu']);
  });

  it('gives a reason in words where a mode cannot run, and none where it can', () => {
    expect(modeBackendProblem('scratch', 'wasm')).toBe('scratch training needs the WebGPU, WebGL or cpu backend (the wasm backend cannot train convolutions); head training works on wasm');
    expect(modeBackendProblem('head', 'wasm')).toBeUndefined();
    expect(modeBackendProblem('finetune', 'cpu')).toBeUndefined();
  });

  it('holds each mode’s base, defaults and how its model is chosen', () => {
    expect(TRAINING_MODES.head).toMatchObject({ base: 'required', defaultBase: 'trunk', selection: 'converged', reads: 'features' });
    expect(TRAINING_MODES.finetune).toMatchObject({ base: 'required', defaults: { learningRate: 1e-4, epochs: 5 }, selection: 'best-epoch' });
    expect(TRAINING_MODES.scratch).toMatchObject({ base: 'optional', defaults: { learningRate: 1e-3, epochs: 10, batchSize: 32 }, reads: 'images' });
    expect(['head', 'finetune', 'scratch', 'Head', 'lora'].map(isTrainingMode)).toEqual([true, true, true, false, false]);
  });
});
