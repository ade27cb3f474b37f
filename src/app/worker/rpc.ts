/**
 * The one call protocol of the page's two workers (ML and training), over
 * Comlink: a worker `serve`s an object of async methods, the page `connect`s
 * and calls them as promises. Progress travels back through a callback
 * argument (wrap it in `callback`). Calls run one at a time in the worker, so
 * tfjs work is serialised and memory stays bounded, except the methods named
 * as concurrent (a cancel must overtake the job it cancels).
 */
import { expose, proxy, wrap, type Remote } from 'comlink';

export { proxy as callback };

type Method = (...args: never[]) => unknown;

/** Worker side: expose `api`; calls queue behind each other unless listed in `concurrent`. */
export function serve<T extends Record<string, Method>>(api: T, concurrent: readonly (keyof T)[] = []): void {
  let queue: Promise<unknown> = Promise.resolve();
  const served: Record<string, Method> = {};
  for (const [name, fn] of Object.entries(api)) {
    const run = (...args: never[]) => Promise.resolve().then(() => fn(...args));
    served[name] = concurrent.includes(name)
      ? run
      : (...args: never[]) => {
          const result = queue.then(() => run(...args));
          queue = result.catch(() => undefined);
          return result;
        };
  }
  expose(served);
}

/**
 * Worker side, for a method's progress callback: `emit` posts at once;
 * `flush` waits until the page has seen every event, so a call's result
 * (sent on the call's own channel) never overtakes its last events.
 */
export function eventSink<E>(onEvent?: (event: E) => unknown): { emit(event: E): void; flush(): Promise<void> } {
  const delivered: Promise<unknown>[] = [];
  return {
    emit(event) {
      if (onEvent) delivered.push(Promise.resolve(onEvent(event)).catch(() => undefined));
    },
    async flush() {
      await Promise.all(delivered.splice(0));
    },
  };
}

/** Worker side: runs `run` with an `emit` for the call's progress callback, and answers only once the page has seen every event. */
export async function withEvents<E, R>(onEvent: ((event: E) => unknown) | undefined, run: (emit: (event: E) => void) => Promise<R>): Promise<R> {
  const sink = eventSink(onEvent);
  try {
    return await run(sink.emit);
  } finally {
    await sink.flush();
  }
}

export interface Connection<T> {
  api: Remote<T>;
  /** Ends the worker; calls in flight (and later ones) reject with `reason`. */
  terminate(reason: Error): void;
}

/**
 * Page side. A worker that fails (a script error, a failed start) rejects
 * every call in flight and every later one with its message, instead of
 * leaving them pending for ever.
 */
export function connect<T>(worker: Worker, onFailure?: (message: string) => void): Connection<T> {
  let fail!: (e: Error) => void;
  const failed = new Promise<never>((_, reject) => (fail = reject));
  failed.catch(() => undefined);
  worker.addEventListener('error', (e) => {
    const message = e.message || 'the worker failed to start';
    fail(new Error(message));
    onFailure?.(message);
  });
  const remote = wrap<T>(worker);
  const api = new Proxy(remote as object, {
    get(target, prop) {
      const member = Reflect.get(target, prop);
      if (typeof member !== 'function' || typeof prop === 'symbol' || prop === 'then') return member;
      return (...args: unknown[]) => Promise.race([(member as (...a: unknown[]) => Promise<unknown>)(...args), failed]);
    },
  }) as Remote<T>;
  return {
    api,
    terminate(reason) {
      worker.terminate();
      fail(reason);
    },
  };
}
