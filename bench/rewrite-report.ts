// Rewrites bench/results.md from bench/results.json, e.g. after results from separate runs were combined.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../src/config';
import { markdownReport } from './report';
import { rowsMarkdown } from './engines';

const dir = join(PROJECT_ROOT, 'bench');
const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
const order = ['engines', 'bundle', 'node', 'memory', 'chromium', 'imaging', 'training', 'ct', 'serve', 'reliability'];
results.measurements.sort((a: { section: string }, b: { section: string }) => order.indexOf(a.section) - order.indexOf(b.section));
writeFileSync(join(dir, 'results.json'), JSON.stringify(results, null, 2) + '\n');
writeFileSync(join(dir, 'results.md'), markdownReport(results.measurements, results.environment, results.rows?.length ? rowsMarkdown(results.rows) : ''));
