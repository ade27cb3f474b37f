/**
 * Storage faults in words a user can act on: a full quota, a damaged
 * IndexedDB entry. A fault concerns one entry or one write; the rest of the
 * library stays usable.
 */
export type StorageFaultKind = 'quota' | 'corrupt' | 'unavailable';

export class StorageFault extends Error {
  constructor(
    message: string,
    readonly kind: StorageFaultKind,
    readonly key?: string,
  ) {
    super(message);
    this.name = 'StorageFault';
  }
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;

export function isQuotaError(e: unknown): boolean {
  const name = (e as { name?: string } | null)?.name ?? '';
  const inner = (e as { inner?: unknown; cause?: unknown } | null)?.inner ?? (e as { cause?: unknown } | null)?.cause;
  return name === 'QuotaExceededError' || /quota/i.test((e as Error | null)?.message ?? '') || (inner !== undefined && inner !== e && isQuotaError(inner));
}

/** A write failed: a clear quota message (with what it needed and what is free), or the error as it was. */
export async function writeFault(e: unknown, what: string, bytes: number): Promise<Error> {
  if (!isQuotaError(e)) return e instanceof Error ? e : new Error(String(e));
  const estimate = typeof navigator !== 'undefined' && navigator.storage?.estimate ? await navigator.storage.estimate().catch(() => undefined) : undefined;
  const free = estimate?.quota !== undefined && estimate.usage !== undefined ? `; ${mb(Math.max(0, estimate.quota - estimate.usage))} free of ${mb(estimate.quota)}` : '';
  return new StorageFault(
    `Not enough storage space in this browser to save ${what} (it needs ${mb(bytes)}${free}). Nothing was saved and the models already stored are unchanged. Delete models you no longer need on the Models page, or free disk space, then try again.`,
    'quota',
  );
}

export function corruptEntry(key: string, detail: string): StorageFault {
  return new StorageFault(
    `The stored model ${key} is damaged (${detail}). Delete it on the Models page and import or train it again; the other models are not affected.`,
    'corrupt',
    key,
  );
}
