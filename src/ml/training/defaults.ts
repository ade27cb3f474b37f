/**
 * Training defaults the page's main thread also shows, kept free of tfjs
 * imports so the React bundle does not pull in the runtime.
 */

/**
 * Augmented views per training image in head mode (feature-views.ts); 0 turns
 * them off. Two, since the shipped head is refitted on every labelled image:
 * four views of all images would not fit `npm run train`'s 90 s on a 2-core
 * machine, and two gave the same cross-source AUC within noise (0.860 vs 0.864).
 */
export const DEFAULT_HEAD_VIEWS = 2;

/**
 * 'auto' views (the Training page's default): as many as fit this many
 * seconds, at the pace the plain features took, up to DEFAULT_HEAD_VIEWS.
 * None when even one view of every image would not fit. Head training on 500
 * images is the plain features (T), the views, and about 25 s of fitting, cross-
 * validation, calibration and the refit; 15 s keeps it under a minute. On a
 * 2-core machine without a GPU the page (two wasm threads) takes T ≈ 18 s and
 * gets no views (with one it took 59–63 s); a machine twice as fast gets one.
 */
export const VIEW_BUDGET_SECONDS = 15;

export function autoViews(secondsPerImage: number, images: number, budgetSeconds = VIEW_BUDGET_SECONDS): number {
  if (!(secondsPerImage > 0) || images <= 0) return DEFAULT_HEAD_VIEWS;
  return Math.max(0, Math.min(DEFAULT_HEAD_VIEWS, Math.floor(budgetSeconds / (secondsPerImage * images))));
}
