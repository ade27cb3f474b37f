import { loadavg } from 'node:os';
import { ensureBuild, startPreview } from './browser';
import { bigBatchBench, launchForReliability, soakBench } from './reliability';
import { round, type Measurement } from './measurement';

/** `--only reliability`: the built app in its own preview and Chromium; BIG_BATCH / SOAK_IMAGES env shrink it for a quick look. */
export async function reliabilityBench(log: (msg: string) => void): Promise<Measurement[]> {
  ensureBuild();
  const server = await startPreview();
  const browser = await launchForReliability();
  const big = Number(process.env.BIG_BATCH || 1000);
  const soak = Number(process.env.SOAK_IMAGES || 2000);
  const out: Measurement[] = [];
  const load = () => `load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${process.env.HOSTNAME ?? 'this machine'}`;
  try {
    log(`  batch of ${big} (${load()})…`);
    out.push(...(await bigBatchBench(browser, server.url, big)).map((m) => ({ ...m, note: [m.note, load()].filter(Boolean).join('; ') })));
    log(`  soak of ${soak} (${load()})…`);
    const { measurements, curve } = await soakBench(browser, server.url, soak);
    out.push(...measurements);
    for (const p of curve)
      out.push({
        section: 'reliability',
        backend: 'wasm',
        name: `soak curve: after ${p.images} images, page JS heap (after GC)`,
        value: round(p.heapMB, 1),
        unit: 'MB',
        note: `numTensors ${p.numTensors}, tensor bytes ${p.tensorMB} MB, GPU bytes ${p.gpuMB === null ? 'n/a on wasm' : `${p.gpuMB} MB`}`,
      });
    out[out.length - 1].note += `; ${load()} at the end`;
  } catch (e) {
    out.push({ section: 'reliability', name: 'run', value: null, unit: 'ms', note: `failed: ${(e as Error).message.split('\n')[0]}` });
  } finally {
    await browser.close();
    server.stop();
  }
  return out;
}
