/**
 * Training defaults the page's main thread also shows, kept free of tfjs
 * imports so the React bundle does not pull in the runtime.
 */

/** Augmented views per training image in head mode (feature-views.ts); 0 turns them off. */
export const DEFAULT_HEAD_VIEWS = 4;
