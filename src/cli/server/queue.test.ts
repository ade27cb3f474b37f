import { describe, expect, it } from 'vitest';
import { BoundedQueue, QueueFullError } from './queue';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('BoundedQueue', () => {
  it('runs at most `concurrency` tasks, admits `maxWaiting` more, refuses the rest', async () => {
    const q = new BoundedQueue(2, 1);
    let live = 0;
    let peak = 0;
    const release: Array<() => void> = [];
    const task = () =>
      q.submit(async () => {
        live++;
        peak = Math.max(peak, live);
        await new Promise<void>((r) => release.push(r));
        live--;
        return 'ok';
      });
    const a = task(), b = task(), c = task();
    await tick();
    expect(q.depth).toEqual({ admitted: 3, running: 2, waiting: 1 });
    await expect(task()).rejects.toBeInstanceOf(QueueFullError);
    while (release.length || q.depth.running) {
      release.shift()?.();
      await tick();
    }
    expect(await Promise.all([a, b, c])).toEqual(['ok', 'ok', 'ok']);
    expect(peak).toBe(2);
    expect(q.depth).toEqual({ admitted: 0, running: 0, waiting: 0 });
  });

  it('frees the place when a task throws', async () => {
    const q = new BoundedQueue(1, 0);
    await expect(q.submit(async () => { throw new Error('bad'); })).rejects.toThrow('bad');
    expect(await q.submit(async () => 1)).toBe(1);
    expect(new QueueFullError(3).retryAfterS).toBe(3);
  });
});
