// `npm start`: build when needed, then serve the built app on 127.0.0.1:$PORT
// (default 4173). The built app is static: any static server can serve dist/.
import { spawn, spawnSync } from 'node:child_process';
import { buildIsStale } from './build-state.mjs';

const port = process.env.PORT || '4173';

if (buildIsStale()) {
  console.error('[radlens] building the app…');
  const built = spawnSync('npx', ['vite', 'build'], { stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

console.error(`[radlens] serving on http://127.0.0.1:${port}/`);
const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', port, '--strictPort'], {
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
