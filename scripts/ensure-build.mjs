// Builds the app when dist/ is missing or older than its sources.
import { spawnSync } from 'node:child_process';
import { buildIsStale } from './build-state.mjs';

if (buildIsStale()) {
  console.error('[radlens] building the app (dist/ is missing or stale)…');
  const result = spawnSync('npx', ['vite', 'build'], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
