import type { ModelCard } from '../../ml';
import type { Card } from './cards';

/**
 * The page's DICOM SR export: the same src/report writer as `classify --sr`
 * and the service, loaded only when asked (dcmjs is large), fed from the
 * card's result and the source identity the worker sent with the item.
 */

export interface SrFile {
  name: string;
  bytes: Uint8Array<ArrayBuffer>;
}

/** Cards an SR can be made for: DICOM, analysed (a refusal is a result too). */
export function srEligible(card: Card): boolean {
  return !!card.item?.dicom && !!card.result && (card.status === 'done' || card.status === 'ood');
}

export async function srForCard(card: Card, model: ModelCard | null): Promise<SrFile> {
  const r = card.result;
  if (!card.item?.dicom || !r) throw new Error(`${card.file}: only an analysed DICOM image can be exported as a DICOM SR`);
  if (!model || `${model.id}@${model.version}` !== r.result.model) {
    throw new Error(`${card.file}: the model changed since this result (${r.result.model}); analyse the file again to export its SR`);
  }
  const { buildSr, srFileName } = await import('../../report/sr');
  const doc = buildSr({
    source: card.item.dicom,
    result: r.result,
    model,
    backend: r.backend,
    aggregate: r.aggregate && r.slices ? { maxFrame: r.aggregate.maxFrame, meanProbability: r.aggregate.meanProbability, slices: r.slices.length } : undefined,
  });
  return { name: srFileName(card.file), bytes: doc.bytes };
}

/** One zip of every eligible card's SR, names made unique; cards that fail are listed, not fatal. */
export async function srZip(cards: Card[], model: ModelCard | null): Promise<{ zip: Uint8Array<ArrayBuffer>; count: number; failed: string[] }> {
  const { default: JSZip } = await import('jszip');
  const zip = new JSZip();
  const used = new Set<string>();
  const failed: string[] = [];
  let count = 0;
  for (const card of cards.filter(srEligible)) {
    try {
      const file = await srForCard(card, model);
      let name = file.name;
      for (let n = 2; used.has(name); n++) name = file.name.replace(/\.sr\.dcm$/, `-${n}.sr.dcm`);
      used.add(name);
      zip.file(name, file.bytes);
      count++;
    } catch (e) {
      failed.push((e as Error).message);
    }
  }
  return { zip: (await zip.generateAsync({ type: 'uint8array' })) as Uint8Array<ArrayBuffer>, count, failed };
}
