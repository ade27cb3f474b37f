/**
 * Per-stage timing of the drop → result path as User Timing measures
 * ("radlens:decode", "radlens:inference", …) in whichever realm runs the stage
 * (page, worker, Node). Nothing is sent anywhere: the bench reads them from the
 * page and the worker through the DevTools protocol, and they show in a
 * browser's performance panel. Costs a few microseconds per stage.
 */
function measure(stage: string, start: number): void {
  try {
    performance.measure(`radlens:${stage}`, { start, end: performance.now() });
  } catch {
    /* User Timing unavailable: timing is optional */
  }
}

export async function timed<T>(stage: string, work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await work();
  } finally {
    measure(stage, start);
  }
}

export function timedSync<T>(stage: string, work: () => T): T {
  const start = performance.now();
  try {
    return work();
  } finally {
    measure(stage, start);
  }
}
