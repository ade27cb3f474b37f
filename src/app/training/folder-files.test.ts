import { describe, expect, it } from 'vitest';
import { filesFromInput, rootCsv } from './folder-files';

function fakeFile(relativePath: string): File {
  const f = new File([new Uint8Array(1)], relativePath.split('/').pop()!);
  Object.defineProperty(f, 'webkitRelativePath', { value: relativePath });
  return f;
}

describe('folder files', () => {
  it('drops the chosen folder from directory-input paths', () => {
    const picked = filesFromInput([fakeFile('ct-small/COVID/a%1.png'), fakeFile('ct-small/NonCOVID/b.jpg'), fakeFile('ct-small/labels.csv')]);
    expect(picked.map((p) => p.path)).toEqual(['COVID/a%1.png', 'NonCOVID/b.jpg', 'labels.csv']);
    expect(rootCsv(picked)?.path).toBe('labels.csv');
  });
});
