import './quiet-console';
import { buildServer, DEFAULT_MAX_BYTES, type Ready } from './server/app';
import { errorMessage, logInfo } from './io';
import { initCliBackend, loadCliModel } from './ml-setup';

/**
 * npm run serve — the model as an HTTP service on the hospital's own server.
 * Environment: HOST (default 127.0.0.1), PORT (default 4190), RADLENS_TOKEN
 * (bearer token for /v1/*), RADLENS_MODEL (folder or bundled id),
 * RADLENS_BACKEND (cpu|wasm), RADLENS_MAX_BYTES, RADLENS_QUEUE (requests
 * allowed to wait). It listens at once; /healthz says when the model is ready.
 */

function intEnv(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer ≥ ${min} (got ${raw})`);
  return n;
}

async function load(): Promise<Ready> {
  const backend = await initCliBackend(process.env.RADLENS_BACKEND || undefined);
  const model = await loadCliModel(process.env.RADLENS_MODEL || undefined);
  logInfo(`serve: ${model.card.id}@${model.card.version} ready on ${backend}`);
  return { model, backend };
}

async function main(): Promise<void> {
  const host = process.env.HOST || '127.0.0.1';
  const port = intEnv('PORT', 4190, 0);
  const ready = load();
  const app = await buildServer({
    ready,
    maxBytes: intEnv('RADLENS_MAX_BYTES', DEFAULT_MAX_BYTES, 1024),
    maxWaiting: intEnv('RADLENS_QUEUE', 8, 0),
    token: process.env.RADLENS_TOKEN || undefined,
    logger: { level: process.env.LOG_LEVEL || 'info' },
  });
  ready.catch((e) => logInfo(`serve: the model could not be loaded: ${errorMessage(e)}`));
  const stop = async (signal: string) => {
    logInfo(`serve: ${signal}, finishing requests in flight`);
    await app.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  // One bad request must never take the service down.
  process.on('unhandledRejection', (e) => logInfo(`serve: unhandled rejection: ${errorMessage(e)}`));
  const address = await app.listen({ host, port });
  logInfo(`serve: listening on ${address} (OpenAPI at /openapi.json)`);
}

main().catch((e) => {
  process.stdout.write(JSON.stringify({ error: errorMessage(e) }) + '\n');
  process.exit(1);
});
