import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../config';
import { requireSharedData } from '../../test-data';
import { chestFilmDicom, type FilmDicom } from '../../report/testing/film-dicom';
import { dciodvfy, flatten, pydicomReadBack } from '../../report/testing/validate';

/**
 * A real PACS in the loop: Debian's Orthanc (own config and storage in a temp
 * folder, loopback ports, no system service), `npm run serve` and
 * `npm run orthanc-bridge` as a hospital runs them. Real Kermany films are
 * wrapped as CR DICOM, uploaded through Orthanc's REST API, and their SRs must
 * appear in the same study. In the middle the service is stopped (and the
 * bridge restarted): films that arrive meanwhile get their SR once it is back.
 */

const ORTHANC = '/usr/sbin/Orthanc';
const base = Number(process.env.RADLENS_TEST_PORT_BASE || 46140);
const SERVE_PORT = base;
const HTTP_PORT = base + 2;
const DICOM_PORT = base + 3;
const orthancUrl = `http://127.0.0.1:${HTTP_PORT}`;
const serveUrl = `http://127.0.0.1:${SERVE_PORT}`;
const work = mkdtempSync(join(tmpdir(), 'radlens-orthanc-'));
const children = new Set<ChildProcess>();
const timings: Record<string, number> = {};

afterAll(async () => {
  for (const c of children) await stop(c);
  rmSync(work, { recursive: true, force: true });
  process.stderr.write(`[orthanc e2e] timings (s): ${JSON.stringify(timings)}\n`);
  if (process.env.RADLENS_E2E_TIMINGS) writeFileSync(process.env.RADLENS_E2E_TIMINGS, JSON.stringify(timings, null, 2));
});

function start(command: string, args: string[], env: Record<string, string> = {}): ChildProcess {
  const child = spawn(command, args, { cwd: PROJECT_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr!.on('data', () => {}); // drained, so a chatty child never blocks
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => (clearTimeout(kill), resolve()));
    child.kill('SIGTERM');
  });
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined | null | false>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const tsxNode = (script: string) => [process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'src', 'cli', script)]] as const;

function startServe(): Promise<ChildProcess> {
  const [cmd, args] = tsxNode('serve.ts');
  const child = start(cmd, [...args], { HOST: '127.0.0.1', PORT: String(SERVE_PORT), LOG_LEVEL: 'warn', RADLENS_BACKEND: 'wasm' });
  return until('serve /healthz', 60_000, async () => (await fetch(`${serveUrl}/healthz`)).status === 200 && child);
}

function startBridge(): ChildProcess {
  const [cmd, args] = tsxNode('orthanc-bridge.ts');
  return start(cmd, [...args], { ORTHANC_URL: orthancUrl, RADLENS_URL: serveUrl, RADLENS_CURSOR: join(work, 'cursor.json'), RADLENS_POLL_MS: '300' });
}

async function upload(film: FilmDicom): Promise<string> {
  const r = await fetch(`${orthancUrl}/instances`, { method: 'POST', body: film.bytes, headers: { 'content-type': 'application/dicom' } });
  expect(r.status).toBe(200);
  return ((await r.json()) as { ParentStudy: string }).ParentStudy;
}

/** The SR instances Orthanc holds in a study (Orthanc study id). */
async function srInstances(studyId: string): Promise<string[]> {
  const series = (await (await fetch(`${orthancUrl}/studies/${studyId}/series`)).json()) as Array<{ MainDicomTags: { Modality?: string }; Instances: string[] }>;
  return series.filter((s) => s.MainDicomTags.Modality === 'SR').flatMap((s) => s.Instances);
}

async function srFinding(instanceId: string, name: string): Promise<{ finding: string; study: string; patient: string }> {
  const path = join(work, `${name}.sr.dcm`);
  writeFileSync(path, new Uint8Array(await (await fetch(`${orthancUrl}/instances/${instanceId}/file`)).arrayBuffer()));
  expect(dciodvfy(path).errors).toEqual([]);
  const [back] = pydicomReadBack([path]);
  const evaluation = flatten(back.content).find((n) => n.type === 'CODE' && n.name?.meaning === 'Pneumonia' && n.relationship === 'CONTAINS' && (n.value as { meaning: string }).meaning !== 'Pneumonia');
  return { finding: (evaluation?.value as { meaning: string }).meaning, study: String(back.attributes.StudyInstanceUID), patient: String(back.attributes.PatientName) };
}

const film = (cls: 'PNEUMONIA' | 'NORMAL', name: string, who: string) =>
  chestFilmDicom(new Uint8Array(readFileSync(requireSharedData('xray', 'kermany224', 'train', cls, name))), { patientName: `${who}^Test`, patientId: who });

describe('Orthanc → serve → SR in the same study', () => {
  it('stores an SR with the expected finding within 30 s, and loses no image while serve is down', { timeout: 150_000 }, async () => {
    if (!existsSync(ORTHANC)) throw new Error(`${ORTHANC} is missing: install Debian's orthanc package (.ci/run does)`);
    const t0 = Date.now();
    const config = join(work, 'orthanc.json');
    writeFileSync(config, JSON.stringify({
      Name: 'RadLensTest', StorageDirectory: join(work, 'db'), IndexDirectory: join(work, 'db'),
      HttpPort: HTTP_PORT, DicomPort: DICOM_PORT, RemoteAccessAllowed: false, AuthenticationEnabled: false, Plugins: [], StableAge: 1,
    }));
    start(ORTHANC, [config]);
    await until('Orthanc /system', 30_000, async () => (await fetch(`${orthancUrl}/system`)).ok);
    const [serve] = await Promise.all([startServe()]);
    let bridge = startBridge();
    timings['orthanc + serve ready'] = (Date.now() - t0) / 1000;

    // 1. One film with both running: its SR lands in its study within 30 s.
    const a = film('PNEUMONIA', 'person1000_bacteria_2931.jpeg', 'Alpha');
    const tA = Date.now();
    const studyA = await upload(a);
    const [srA] = await until('the SR of film A', 30_000, async () => {
      const list = await srInstances(studyA);
      return list.length ? list : undefined;
    });
    timings['upload → SR in study (serve up)'] = (Date.now() - tA) / 1000;
    const resultA = await srFinding(srA, 'a');
    expect(resultA).toEqual({ finding: 'Present', study: a.studyInstanceUid, patient: 'Alpha^Test' });

    // 2. serve goes away (and the bridge restarts meanwhile); two films arrive.
    await stop(serve);
    const b = film('NORMAL', 'IM-0115-0001.jpeg', 'Bravo');
    const c = film('PNEUMONIA', 'person1001_bacteria_2932.jpeg', 'Charlie');
    const studyB = await upload(b);
    const studyC = await upload(c);
    await new Promise((r) => setTimeout(r, 2000));
    expect(await srInstances(studyB)).toEqual([]);
    expect(await srInstances(studyC)).toEqual([]);
    await stop(bridge);
    bridge = startBridge();

    // 3. serve is back: both get their SR, from the persisted cursor.
    const tBack = Date.now();
    await startServe();
    timings['serve restart → healthy'] = (Date.now() - tBack) / 1000;
    const [srB, srC] = await until('the SRs of films B and C', 60_000, async () => {
      const [lb, lc] = await Promise.all([srInstances(studyB), srInstances(studyC)]);
      return lb.length && lc.length ? [lb[0], lc[0]] : undefined;
    });
    timings['serve restart → both backlog SRs stored'] = (Date.now() - tBack) / 1000;
    expect(await srFinding(srB, 'b')).toEqual({ finding: 'Absent', study: b.studyInstanceUid, patient: 'Bravo^Test' });
    expect(await srFinding(srC, 'c')).toEqual({ finding: 'Present', study: c.studyInstanceUid, patient: 'Charlie^Test' });

    // Nothing twice, and the bridge's own SRs are not classified again.
    await new Promise((r) => setTimeout(r, 1500));
    for (const s of [studyA, studyB, studyC]) expect(await srInstances(s)).toHaveLength(1);

    // A bridge that lost its cursor replays the whole change log without filing a second SR.
    await stop(bridge);
    const cursor = () => (existsSync(join(work, 'cursor.json')) ? (JSON.parse(readFileSync(join(work, 'cursor.json'), 'utf8')).last as number) : 0);
    const reached = cursor();
    expect(reached).toBeGreaterThan(0);
    rmSync(join(work, 'cursor.json'));
    const tReplay = Date.now();
    bridge = startBridge();
    await until('the replayed change log', 30_000, async () => cursor() >= reached);
    timings['replay of the whole change log (no cursor)'] = (Date.now() - tReplay) / 1000;
    for (const s of [studyA, studyB, studyC]) expect(await srInstances(s)).toHaveLength(1);
    timings.total = (Date.now() - t0) / 1000;
    await stop(bridge);
  });
});
