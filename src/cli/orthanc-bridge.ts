import './quiet-console';
import { OrthancBridge } from './pacs/bridge';

/**
 * npm run orthanc-bridge — sends each new CR/DX instance in Orthanc to the
 * RadLens service and stores the SR it returns in the same study.
 * Environment: ORTHANC_URL (default http://127.0.0.1:8042), ORTHANC_AUTH
 * (user:password), RADLENS_URL (default http://127.0.0.1:4190), RADLENS_TOKEN,
 * RADLENS_CURSOR (file keeping the change-log position; default
 * ./radlens-orthanc-cursor.json), RADLENS_MODALITIES (default CR,DX),
 * RADLENS_POLL_MS (default 1000).
 */
const bridge = new OrthancBridge({
  orthancUrl: (process.env.ORTHANC_URL || 'http://127.0.0.1:8042').replace(/\/$/, ''),
  orthancAuth: process.env.ORTHANC_AUTH || undefined,
  serveUrl: (process.env.RADLENS_URL || 'http://127.0.0.1:4190').replace(/\/$/, ''),
  serveToken: process.env.RADLENS_TOKEN || undefined,
  cursorFile: process.env.RADLENS_CURSOR || 'radlens-orthanc-cursor.json',
  modalities: (process.env.RADLENS_MODALITIES || 'CR,DX').split(',').map((m) => m.trim()).filter(Boolean),
});
const stop = new AbortController();
process.on('SIGTERM', () => stop.abort());
process.on('SIGINT', () => stop.abort());
process.stderr.write(`orthanc-bridge: polling ${process.env.ORTHANC_URL || 'http://127.0.0.1:8042'}/changes from change ${await bridge.readCursor()}\n`);
await bridge.run(stop.signal, Number(process.env.RADLENS_POLL_MS || 1000));
process.stderr.write(`orthanc-bridge: stopped (${JSON.stringify(bridge.counts)})\n`);
