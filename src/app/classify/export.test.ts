import { describe, expect, it } from 'vitest';
import { csvCell, toCsv, toJson } from './export';
import type { Card } from './cards';

const done: Card = {
  key: 'item-1', batch: 1, file: 'a,b.png', files: ['a,b.png'], status: 'done',
  result: { itemId: 'item-1', backend: 'wasm', positiveLabel: 'PNEUMONIA', result: { label: 'PNEUMONIA', probability: 0.87, scores: { NORMAL: 0.13, PNEUMONIA: 0.87 }, threshold: 0.5, unsure: false, ood: false, model: 'cxr@1' } },
};
const failed: Card = { key: 'b1-1', batch: 1, file: '=cmd.txt', files: ['=cmd.txt'], status: 'error', error: 'not an image: "x"' };

describe('exports', () => {
  it('quotes CSV cells and defuses formulas', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell(null)).toBe('');
    const csv = toCsv([done, failed]).split('\r\n');
    expect(csv[0]).toMatch(/^file,status,label,probability/);
    expect(csv[1]).toMatch(/^"a,b.png",done,PNEUMONIA,0.87,0.5,false,false/);
    expect(csv[2]).toContain('"not an image: ""x"""');
  });

  it('writes JSON with the report metadata', () => {
    const json = JSON.parse(toJson([done], { generatedAt: 'now', model: 'cxr@1', weightsSha256: ['ab'], backend: 'wasm', notice: 'n' }));
    expect(json.results[0]).toMatchObject({ file: 'a,b.png', label: 'PNEUMONIA', probability: 0.87, unsure: false });
    expect(json.model).toBe('cxr@1');
  });
});
