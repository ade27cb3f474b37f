import i18n from 'i18next';
import type { FrameScore } from '../worker/protocol';

/**
 * A refusal in the user's language. English shows the classifier's own
 * sentence, which names the model's domain; other languages word the finding
 * from its code and parameters.
 */
export function oodText(result: Pick<FrameScore, 'oodReason' | 'oodFinding'>): string {
  const fallback = result.oodReason ?? i18n.t('card.outOfScope', { ns: 'classify' });
  const finding = result.oodFinding;
  if (!finding || (i18n.language ?? 'en').startsWith('en')) return fallback;
  return i18n.t(`oodReasons.${finding.code}`, { ns: 'classify', ...finding.params, defaultValue: fallback });
}
