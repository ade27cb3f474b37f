import { useSyncExternalStore } from 'react';

/**
 * The page's single polite live region: pages call announce() and the shell
 * renders the latest message, so screen readers hear results as they arrive.
 */
let message = '';
const listeners = new Set<() => void>();

export function announce(text: string): void {
  // Re-announce the same text by clearing first.
  message = message === text ? `${text}\u200b` : text;
  for (const l of listeners) l();
}

export function useAnnouncement(): string {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => message,
  );
}
