import type { TFunction } from 'i18next';
import type { Card } from './cards';
import { oodText } from './ood-text';
import { formatPercent } from '../charts/format';

/**
 * The attributes that scripts read on every `[data-testid="result"]`
 * (CONTRACT.md). The full card and the light row far from the viewport both
 * take them from here, so the two can never disagree.
 */
export function resultAttrs(card: Card): Record<string, string> {
  const r = card.result;
  const attrs: Record<string, string> = { 'data-file': card.file, 'data-status': card.status };
  if (card.status === 'done' && r) {
    attrs['data-label'] = r.result.label ?? '';
    attrs['data-probability'] = String(r.result.probability);
    attrs['data-unsure'] = String(r.result.unsure);
  }
  if (r) attrs['data-model'] = r.result.model;
  return attrs;
}

/** The card's error sentence as plain text: what went wrong with this file. */
export function errorText(card: Card, t: TFunction): string {
  const parts: string[] = [];
  if (card.errorScope === 'decode' || card.errorScope === 'analyse') parts.push(t(card.errorScope === 'analyse' ? 'card.analyseErrorPrefix' : 'card.errorPrefix'));
  if (card.errorCode) {
    const summary = t(`decodeErrors.${card.errorCode}`, { defaultValue: '' });
    if (summary) parts.push(summary);
  }
  if (card.error) parts.push(card.error);
  return parts.join(' ');
}

/** One line a person can read: the file, then its finding, refusal, error or state. */
export function resultLine(card: Card, t: TFunction): string {
  const r = card.result;
  const name = card.item?.kind === 'volume' ? `${card.file} · ${t('card.slices', { count: card.item.frames })}` : card.file;
  switch (card.status) {
    case 'pending':
      return `${name} — ${card.item ? t('card.analysing') : t('card.waiting')}`;
    case 'error':
      return `${name} — ${errorText(card, t)}`;
    case 'ood':
      return `${name} — ${r ? t('card.notAnalysed', { reason: oodText(r.result) }) : t('card.outOfScope')}`;
    case 'done': {
      if (!r) return name;
      const unsure = r.result.unsure ? ` · ${t('card.unsure')}` : '';
      return `${name} — ${r.result.label} ${formatPercent(r.result.probability)}${unsure}`;
    }
  }
}
