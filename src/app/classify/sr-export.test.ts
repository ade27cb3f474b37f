import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { decodeFile } from '../../imaging/decode';
import { dicomParser } from '../../imaging/dicom/parse';
import type { ModelCard } from '../../ml';
import { chestFilmDicom } from '../../report/testing/film-dicom';
import { requireSharedData } from '../../test-data';
import type { Card } from './cards';
import { srEligible, srForCard, srZip } from './sr-export';

const model: ModelCard = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'public', 'models', 'cxr-pneumonia', 'card.json'), 'utf8'));

async function dicomCard(key: string, file: string, p: number, status: Card['status'] = 'done'): Promise<Card> {
  const f = chestFilmDicom(new Uint8Array(readFileSync(requireSharedData('xray', 'kermany224', 'train', 'PNEUMONIA', 'person1000_bacteria_2931.jpeg'))), { patientName: 'Page^Test', patientId: key });
  const image = await decodeFile(file, f.bytes);
  return {
    key, batch: 1, file, files: [file], status,
    item: { itemId: key, file, files: [file], frames: 1, kind: 'image', rows: image.rows, columns: image.columns, modality: 'CR', format: 'dicom', thumbnail: { width: 1, height: 1, rgba: new Uint8ClampedArray(4) }, warnings: [], dicom: image.dicom },
    result: {
      itemId: key, positiveLabel: 'PNEUMONIA', backend: 'webgl',
      result: { label: status === 'ood' ? null : 'PNEUMONIA', probability: p, scores: { NORMAL: 1 - p, PNEUMONIA: p }, threshold: model.threshold, unsure: false, ood: status === 'ood', ...(status === 'ood' ? { oodReason: 'not a chest film' } : {}), model: `${model.id}@${model.version}` },
    },
  };
}

describe('page SR export', () => {
  it('makes one SR per DICOM card and a zip for the batch, skipping non-DICOM cards', async () => {
    const a = await dicomCard('a', 'dir/a.dcm', 0.9);
    const b = await dicomCard('b', 'other/a.dcm', 0.8, 'ood');
    const png: Card = { ...a, key: 'c', file: 'c.png', item: { ...a.item!, dicom: undefined, format: 'png' } };
    expect([a, b, png].map(srEligible)).toEqual([true, true, false]);
    const single = await srForCard(a, model);
    expect(single.name).toBe('a.sr.dcm');
    const ds = dicomParser.parseDicom(single.bytes);
    expect(ds.string('x00100010')).toBe('Page^Test');
    expect(ds.string('x00080060')).toBe('SR');
    const { zip, count, failed } = await srZip([a, b, png], model);
    expect(failed).toEqual([]);
    expect(count).toBe(2);
    const names = Object.keys((await JSZip.loadAsync(zip)).files).sort();
    expect(names).toEqual(['a-2.sr.dcm', 'a.sr.dcm']);
  });

  it('refuses when the loaded model is not the one that made the result', async () => {
    const a = await dicomCard('a', 'a.dcm', 0.9);
    await expect(srForCard(a, { ...model, version: '9.9.9' })).rejects.toThrow(/model changed/);
  });
});
