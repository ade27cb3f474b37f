import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT, sharedDataDir } from '../src/config';
import { chestFilmDicom } from '../src/report/testing/film-dicom';
import { percentile, round, type Measurement } from './measurement';

/**
 * `npm run serve` under load, on loopback only: one service process (as a
 * hospital runs it), N clients each sending a fixed number of requests one
 * after another (bounded loops, no open-ended soak). Reported per level:
 * requests/s, p50/p95 latency, error rate; then a deliberately full queue,
 * where every refusal must be a clean 503 with Retry-After and the service
 * must stay healthy.
 */

const section = 'serve' as const;
const LEVELS: Array<{ clients: number; perClient: number }> = [
  { clients: 1, perClient: 40 },
  { clients: 4, perClient: 15 },
  { clients: 16, perClient: 6 },
];

interface Service {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

async function startService(env: Record<string, string>): Promise<Service> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'src', 'cli', 'serve.ts')], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: process.env.BENCH_SERVE_PORT ?? '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${err.slice(-500)}`)), 60_000);
    child.stderr!.on('data', (d: Buffer) => {
      err += String(d);
      const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`serve exited (${code}): ${err.slice(-500)}`)));
  });
  // Ready = model loaded.
  for (let i = 0; i < 600; i++) {
    const r = await fetch(`${url}/healthz`).catch(() => null);
    if (r?.status === 200) break;
    await new Promise((res) => setTimeout(res, 100));
  }
  return {
    url,
    child,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Peak resident memory of the service process (Linux /proc), MB. */
function peakRssMb(pid: number | undefined): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]);
    return Number.isFinite(kb) ? round(kb / 1024) : null;
  } catch {
    return null;
  }
}

interface Outcome {
  ms: number;
  status: number;
  retryAfter: string | null;
  jsonError: boolean;
}

async function request(url: string, body: Uint8Array<ArrayBuffer>): Promise<Outcome> {
  const t0 = performance.now();
  try {
    const r = await fetch(`${url}/v1/classify`, { method: 'POST', headers: { 'content-type': 'application/dicom' }, body });
    const text = await r.text();
    let jsonError = false;
    try {
      jsonError = typeof JSON.parse(text).error === 'string';
    } catch {
      // not JSON
    }
    return { ms: performance.now() - t0, status: r.status, retryAfter: r.headers.get('retry-after'), jsonError };
  } catch {
    return { ms: performance.now() - t0, status: 0, retryAfter: null, jsonError: false };
  }
}

async function load(url: string, body: Uint8Array<ArrayBuffer>, clients: number, perClient: number): Promise<{ outcomes: Outcome[]; seconds: number }> {
  const outcomes: Outcome[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = 0; i < perClient; i++) outcomes.push(await request(url, body));
    }),
  );
  return { outcomes, seconds: (performance.now() - t0) / 1000 };
}

export async function serveBench(): Promise<Measurement[]> {
  const jpeg = readFileSync(join(sharedDataDir(), 'xray', 'kermany224', 'train', 'PNEUMONIA', 'person1000_bacteria_2931.jpeg'));
  const body = chestFilmDicom(new Uint8Array(jpeg), { patientName: 'Bench^Patient', patientId: 'BENCH' }).bytes;
  const out: Measurement[] = [];
  const queueLength = 16;
  const service = await startService({ RADLENS_QUEUE: String(queueLength) });
  try {
    await load(service.url, body, 1, 5); // warm-up: first inference compiles kernels
    for (const { clients, perClient } of LEVELS) {
      const { outcomes, seconds } = await load(service.url, body, clients, perClient);
      const ok = outcomes.filter((o) => o.status === 200);
      const ms = ok.map((o) => o.ms);
      const note = `${clients} client(s) × ${perClient} requests, 224² CR DICOM body, queue ${queueLength}`;
      out.push(
        { section, name: `${clients} client(s): throughput`, value: round(ok.length / seconds, 1), unit: 'req/s', n: outcomes.length, note },
        { section, name: `${clients} client(s): latency p50`, value: ms.length ? round(percentile(ms, 50)) : null, unit: 'ms', n: ms.length },
        { section, name: `${clients} client(s): latency p95`, value: ms.length ? round(percentile(ms, 95)) : null, unit: 'ms', n: ms.length },
        { section, name: `${clients} client(s): error rate`, value: round((outcomes.length - ok.length) / outcomes.length, 3), unit: 'ratio', n: outcomes.length },
      );
    }
    out.push({ section, name: 'service peak RSS after the load levels', value: peakRssMb(service.child.pid), unit: 'MB' });
  } finally {
    await service.stop();
  }

  // Saturation: no waiting room, 16 clients at once. Refusals must be clean 503s and the service must live on.
  const full = await startService({ RADLENS_QUEUE: '0' });
  try {
    await load(full.url, body, 1, 2);
    const { outcomes } = await load(full.url, body, 16, 4);
    const refused = outcomes.filter((o) => o.status === 503);
    const clean = refused.filter((o) => o.retryAfter && Number(o.retryAfter) >= 1 && o.jsonError);
    const other = outcomes.filter((o) => o.status !== 200 && o.status !== 503);
    const healthy = (await fetch(`${full.url}/healthz`)).status === 200;
    const after = await request(full.url, body);
    out.push(
      { section, name: 'full queue (RADLENS_QUEUE=0, 16 clients × 4): answered 503', value: refused.length, unit: 'count', n: outcomes.length, note: `${outcomes.length - refused.length - other.length} answered 200` },
      { section, name: 'full queue: 503s with Retry-After and a JSON error', value: refused.length ? round(clean.length / refused.length, 3) : null, unit: 'ratio', n: refused.length },
      { section, name: 'full queue: answers other than 200/503 (crashes, resets)', value: other.length, unit: 'count', n: outcomes.length },
      { section, name: 'full queue: healthy afterwards (healthz 200 and next request 200)', value: healthy && after.status === 200 ? 1 : 0, unit: 'bool' },
      { section, name: 'full queue: service peak RSS', value: peakRssMb(full.child.pid), unit: 'MB' },
    );
  } finally {
    await full.stop();
  }
  return out;
}
