/**
 * A bounded work queue. A request is admitted (or refused at once, before its
 * body is read) when it arrives: at most `concurrency` run and `maxWaiting`
 * wait, so the service never holds more than concurrency + maxWaiting bodies
 * in memory; everything beyond gets 503 with Retry-After.
 */
export class QueueFullError extends Error {
  constructor(readonly retryAfterS: number) {
    super('the service is busy (its queue is full); retry later');
    this.name = 'QueueFullError';
  }
}

export class BoundedQueue {
  private admitted = 0;
  private running = 0;
  private waiting: Array<() => void> = [];
  /** Recent task durations (ms), for a Retry-After that reflects the load. */
  private meanMs = 200;

  constructor(
    readonly concurrency: number,
    readonly maxWaiting: number,
  ) {
    if (concurrency < 1) throw new Error('queue concurrency must be at least 1');
    if (maxWaiting < 0) throw new Error('queue length must not be negative');
  }

  get capacity(): number {
    return this.concurrency + this.maxWaiting;
  }

  get depth(): { admitted: number; running: number; waiting: number } {
    return { admitted: this.admitted, running: this.running, waiting: this.waiting.length };
  }

  /** Seconds until a slot is likely free: the work ahead of a caller at the recent pace. */
  retryAfterS(): number {
    return Math.max(1, Math.ceil(((this.admitted / this.concurrency) * this.meanMs) / 1000));
  }

  /** Takes a place in the queue, or throws QueueFullError; pair with `release`. */
  admit(): void {
    if (this.admitted >= this.capacity) throw new QueueFullError(this.retryAfterS());
    this.admitted++;
  }

  release(): void {
    if (this.admitted > 0) this.admitted--;
  }

  /** Runs an admitted task once one of the `concurrency` slots is free. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      // The finishing task hands its slot straight over, so `running` never overshoots.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else this.running++;
    const start = performance.now();
    try {
      return await task();
    } finally {
      this.meanMs = 0.8 * this.meanMs + 0.2 * (performance.now() - start);
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  /** admit → run → release, for callers that hold the request for the whole task. */
  async submit<T>(task: () => Promise<T>): Promise<T> {
    this.admit();
    try {
      return await this.run(task);
    } finally {
      this.release();
    }
  }
}
