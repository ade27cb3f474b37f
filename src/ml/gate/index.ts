export type { GateSpec } from './types';
export { gateDistance } from './distance';
export { gateFeatures, gateTrunk } from './trunk';
export { assessGate, type GateResult } from './assess';
