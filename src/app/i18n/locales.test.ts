import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = join(import.meta.dirname, 'locales');

/** Keys with plural suffixes folded (zh has only _other). */
function keys(obj: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) =>
    v && typeof v === 'object' ? keys(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k.replace(/_(zero|one|two|few|many|other)$/, '')}`],
  );
}

describe('locales', () => {
  for (const ns of readdirSync(join(dir, 'en')).filter((f) => f.endsWith('.json'))) {
    it(`${ns}: English and Chinese have the same keys`, () => {
      const en = JSON.parse(readFileSync(join(dir, 'en', ns), 'utf8'));
      const zh = JSON.parse(readFileSync(join(dir, 'zh', ns), 'utf8'));
      expect([...new Set(keys(zh))].sort()).toEqual([...new Set(keys(en))].sort());
    });
  }
});
