/**
 * What to do when a tfjs backend fails in the middle of a batch (a lost
 * WebGPU device, a WebGL context loss, a WASM trap). Whether the backend
 * itself is at fault is decided by the same numeric self-test that chose it:
 * an error with a healthy backend belongs to the input, not the backend.
 * A faulty backend is first recreated (a fresh WebGPU device often works
 * again), else the next backend in the order that passes the self-test takes
 * over. Tensors of the old backend are gone either way, so the caller reloads
 * its model before retrying the work in flight.
 */
import { BACKEND_ORDER, initBackend, selfTest, tf, type BackendAttempt, type BackendName } from './runtime';

export interface BackendSwitch {
  previous: BackendName;
  backend: BackendName;
  /** true: the same backend was created anew; false: it fell back to another. */
  recreated: boolean;
  /** The error that started the recovery. */
  cause: string;
  attempts: BackendAttempt[];
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e)) || 'unknown error';

/** Time limit on a self-test: a lost device can leave reads that never settle. */
const SELF_TEST_LIMIT_MS = 10_000;

function withLimit<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}

/** Whether the active backend still computes the self-test's known answer. */
export async function backendHealthy(): Promise<boolean> {
  try {
    await withLimit(selfTest(), SELF_TEST_LIMIT_MS, 'the backend self-test');
    return true;
  } catch {
    return false;
  }
}

/** Drops `name`'s instance and registers its factory again, so the next setBackend builds a new one. */
async function recreate(name: BackendName): Promise<void> {
  const engine = tf.engine() as unknown as { registryFactory: Record<string, { factory: () => unknown; priority: number }> };
  const entry = engine.registryFactory[name];
  if (!entry) throw new Error(`${name} is not registered`);
  try {
    tf.removeBackend(name);
  } catch {
    // Disposing a backend whose device is gone may throw; the registry entry is removed first.
    delete engine.registryFactory[name];
  }
  tf.registerBackend(name, entry.factory as never, entry.priority);
  if (!(await tf.setBackend(name))) throw new Error('did not initialize');
  await tf.ready();
  await withLimit(selfTest(), SELF_TEST_LIMIT_MS, 'the self-test');
}

/**
 * Recreates `failed`, else moves to the next backend of `order` after it that
 * passes the self-test. Throws when none works.
 */
export async function recoverBackend(failed: BackendName, cause: string, order: BackendName[] = BACKEND_ORDER): Promise<BackendSwitch> {
  const attempts: BackendAttempt[] = [];
  try {
    await recreate(failed);
    attempts.push({ backend: failed, ok: true });
    return { previous: failed, backend: failed, recreated: true, cause, attempts };
  } catch (e) {
    attempts.push({ backend: failed, ok: false, reason: `recreating it failed: ${message(e)}` });
  }
  const rest = order.slice(order.indexOf(failed) + 1);
  try {
    const next = await initBackend(rest.length ? rest : ['cpu']);
    return { previous: failed, backend: next.backend, recreated: false, cause, attempts: [...attempts, ...next.attempts] };
  } catch (e) {
    throw new Error(`the ${failed} backend failed (${cause}) and no other backend works: ${message(e)}`);
  }
}

export interface RecoveryHooks {
  /** The backend order the page or CLI chose from; fallbacks come from its tail. */
  order?: BackendName[];
  /** Called after a switch, before the retry: reload the model on the new backend, tell the user. */
  onSwitch(change: BackendSwitch): Promise<void>;
  /** Recoveries allowed for this one piece of work before its error stands. */
  maxSwitches?: number;
}

/**
 * Runs `work`; when it throws and the backend fails its self-test, recovers
 * the backend, lets the caller reload, and runs `work` again. An error with a
 * healthy backend is rethrown untouched (it is about the input).
 */
export async function withBackendRecovery<T>(work: () => Promise<T>, hooks: RecoveryHooks): Promise<T> {
  const max = hooks.maxSwitches ?? 2;
  for (let switches = 0; ; switches++) {
    try {
      return await work();
    } catch (e) {
      if (switches >= max || (await backendHealthy())) throw e;
      const change = await recoverBackend(tf.getBackend() as BackendName, message(e), hooks.order);
      await hooks.onSwitch(change);
    }
  }
}
