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
 * seconds, at the pace the plain features took, up to DEFAULT_HEAD_VIEWS and
 * at least one. Keeps head training on a few hundred images near a minute on
 * a 2-core laptop without a GPU, and gives all of them where the machine is fast.
 */
export const VIEW_BUDGET_SECONDS = 25;

export function autoViews(secondsPerImage: number, trainImages: number, budgetSeconds = VIEW_BUDGET_SECONDS): number {
  if (!(secondsPerImage > 0) || trainImages <= 0) return DEFAULT_HEAD_VIEWS;
  return Math.max(1, Math.min(DEFAULT_HEAD_VIEWS, Math.floor(budgetSeconds / (secondsPerImage * trainImages))));
}
