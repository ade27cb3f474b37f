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
 * None when even one view of every image would not fit: a 2-core laptop
 * without a GPU takes about 33 s for the plain features of 500 images, and one
 * view more would put head training past a minute. A faster machine gets views.
 */
export const VIEW_BUDGET_SECONDS = 25;

export function autoViews(secondsPerImage: number, images: number, budgetSeconds = VIEW_BUDGET_SECONDS): number {
  if (!(secondsPerImage > 0) || images <= 0) return DEFAULT_HEAD_VIEWS;
  return Math.max(0, Math.min(DEFAULT_HEAD_VIEWS, Math.floor(budgetSeconds / (secondsPerImage * images))));
}
