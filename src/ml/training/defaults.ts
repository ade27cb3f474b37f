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
 * None when even one view of every image would not fit. With the plain
 * features (T), the views and about 15 s of fitting and calibration, 20 s
 * keeps 500 images under a minute: a 2-core laptop without a GPU takes T ≈ 23 s
 * there and gets no views, a machine with T ≤ 20 s gets one.
 */
export const VIEW_BUDGET_SECONDS = 20;

export function autoViews(secondsPerImage: number, images: number, budgetSeconds = VIEW_BUDGET_SECONDS): number {
  if (!(secondsPerImage > 0) || images <= 0) return DEFAULT_HEAD_VIEWS;
  return Math.max(0, Math.min(DEFAULT_HEAD_VIEWS, Math.floor(budgetSeconds / (secondsPerImage * images))));
}
