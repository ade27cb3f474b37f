import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireSharedData } from '../../test-data';
import { chestFilmDicom } from '../../report/testing/film-dicom';
import { dciodvfy, findByMeaning, pydicomReadBack } from '../../report/testing/validate';
import { initCliBackend, loadCliModel } from '../ml-setup';
import { buildServer, type Ready } from './app';

const dir = mkdtempSync(join(tmpdir(), 'radlens-serve-'));
const kermany = (cls: string, name: string) => new Uint8Array(readFileSync(requireSharedData('xray', 'kermany224', 'train', cls, name)));
const film = chestFilmDicom(kermany('PNEUMONIA', 'person1000_bacteria_2931.jpeg'), { patientName: 'Secret^Patient', patientId: 'SECRET-ID' });
const jpeg = kermany('NORMAL', 'IM-0115-0001.jpeg');
const pngMagic = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

let ready: Ready;
let app: FastifyInstance;
const logs: string[] = [];
const logStream = new Writable({
  write(chunk, _enc, done) {
    logs.push(String(chunk));
    done();
  },
});

beforeAll(async () => {
  const backend = await initCliBackend('wasm');
  ready = { model: await loadCliModel(undefined), backend };
  app = await buildServer({ ready: Promise.resolve(ready), logger: { level: 'info', stream: logStream } });
});
afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

const post = (server: FastifyInstance, payload: Uint8Array | string, headers: Record<string, string>) =>
  server.inject({ method: 'POST', url: '/v1/classify', payload: typeof payload === 'string' ? payload : Buffer.from(payload), headers });

describe('serve', () => {
  it('answers /healthz 503 until the model is ready, then 200 with backend and model', async () => {
    let resolve!: (r: Ready) => void;
    const later = await buildServer({ ready: new Promise<Ready>((r) => (resolve = r)) });
    const before = await later.inject({ url: '/healthz' });
    expect(before.statusCode).toBe(503);
    expect(before.json().ok).toBe(false);
    expect((await post(later, jpeg, { 'content-type': 'image/jpeg' })).statusCode).toBe(503);
    resolve(ready);
    await new Promise((r) => setTimeout(r, 0));
    const after = await later.inject({ url: '/healthz' });
    expect(after.statusCode).toBe(200);
    expect(after.json()).toEqual({ ok: true, backend: 'wasm', model: ready.model.tag });
    await later.close();
  });

  it('classifies a DICOM and a JPEG body with the classify line', async () => {
    const res = await post(app, film.bytes, { 'content-type': 'application/dicom', 'x-file-name': 'Secret-Patient.dcm' });
    expect(res.statusCode).toBe(200);
    const line = res.json();
    expect(line.file).toBe('Secret-Patient.dcm');
    expect(line.model).toBe(ready.model.tag);
    expect(line.ood).toBe(false);
    expect(line.probability).toBe(line.scores[line.label]);
    expect(Object.keys(line)).toEqual(expect.arrayContaining(['file', 'model', 'label', 'probability', 'scores', 'threshold', 'unsure', 'ood']));
    const j = await post(app, jpeg, { 'content-type': 'image/jpeg' });
    expect(j.statusCode).toBe(200);
    expect(j.json().scores.PNEUMONIA).toBeLessThan(line.scores.PNEUMONIA);
  });

  it('answers the DICOM SR with Accept: application/dicom, and 406 for a JPEG', async () => {
    const res = await post(app, film.bytes, { 'content-type': 'application/dicom', accept: 'application/dicom' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/dicom');
    const path = join(dir, 'served.sr.dcm');
    writeFileSync(path, res.rawPayload);
    expect(dciodvfy(path).errors).toEqual([]);
    const [back] = pydicomReadBack([path]);
    expect(back.attributes.PatientName).toBe('Secret^Patient');
    expect(back.attributes.StudyInstanceUID).toBe(film.studyInstanceUid);
    const line = (await post(app, film.bytes, { 'content-type': 'application/dicom' })).json();
    expect(findByMeaning(back.content, 'Calibrated probability of PNEUMONIA')[0].value).toBeCloseTo(line.scores.PNEUMONIA, 5);
    expect(res.headers['x-radlens-finding']).toBe(line.unsure ? 'unsure' : line.label === 'PNEUMONIA' ? 'present' : 'absent');
    const refused = await post(app, jpeg, { 'content-type': 'image/jpeg', accept: 'application/dicom' });
    expect(refused.statusCode).toBe(406);
    expect(refused.json().error).toMatch(/only for DICOM/);
  });

  it('gives 400 for a damaged file, 415 for an unknown format or type, 413 for an oversized body', async () => {
    const truncated = await post(app, film.bytes.subarray(0, 4000), { 'content-type': 'application/dicom' });
    expect(truncated.statusCode).toBe(400);
    expect(truncated.json().error).toMatch(/truncated|damaged/);
    const brokenPng = await post(app, pngMagic, { 'content-type': 'image/png' });
    expect(brokenPng.statusCode).toBe(400);
    expect((await post(app, 'hello', { 'content-type': 'application/octet-stream' })).statusCode).toBe(415);
    const text = await post(app, 'hello', { 'content-type': 'text/plain' });
    expect(text.statusCode).toBe(415);
    expect(text.json().error).toMatch(/Content-Type/);
    expect((await post(app, new Uint8Array(0), { 'content-type': 'application/dicom' })).statusCode).toBe(400);
    const small = await buildServer({ ready: Promise.resolve(ready), maxBytes: 4096 });
    const big = await post(small, film.bytes, { 'content-type': 'application/dicom' });
    expect(big.statusCode).toBe(413);
    expect(big.json().error).toBeTruthy();
    await small.close();
  });

  it('lists the model card, serves OpenAPI, and requires the bearer token on /v1 when set', async () => {
    const models = (await app.inject({ url: '/v1/models' })).json();
    expect(models.models[0].id).toBe('cxr-pneumonia');
    expect(models.models[0].weights[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    const spec = (await app.inject({ url: '/openapi.json' })).json();
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/healthz', '/v1/classify', '/v1/models']));
    const locked = await buildServer({ ready: Promise.resolve(ready), token: 's3cret' });
    expect((await locked.inject({ url: '/v1/models' })).statusCode).toBe(401);
    expect((await locked.inject({ url: '/v1/models', headers: { authorization: 'Bearer wrong' } })).statusCode).toBe(401);
    expect((await locked.inject({ url: '/v1/models', headers: { authorization: 'Bearer s3cret' } })).statusCode).toBe(200);
    expect((await post(locked, jpeg, { 'content-type': 'image/jpeg', authorization: 'Bearer s3cret' })).statusCode).toBe(200);
    expect((await locked.inject({ url: '/healthz' })).statusCode).toBe(200);
    await locked.close();
  });

  it('answers 503 with Retry-After when the queue is full, and recovers', async () => {
    const busy = await buildServer({ ready: Promise.resolve(ready), maxWaiting: 1 });
    const answers = await Promise.all(Array.from({ length: 8 }, () => post(busy, jpeg, { 'content-type': 'image/jpeg' })));
    const codes = answers.map((a) => a.statusCode);
    expect(codes.filter((c) => c === 200).length).toBeGreaterThanOrEqual(2);
    expect(codes.filter((c) => c === 503).length).toBeGreaterThanOrEqual(1);
    expect(codes.every((c) => c === 200 || c === 503)).toBe(true);
    for (const a of answers.filter((x) => x.statusCode === 503)) {
      expect(Number(a.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(a.json().error).toMatch(/busy/);
    }
    expect((await post(busy, jpeg, { 'content-type': 'image/jpeg' })).statusCode).toBe(200);
    await busy.close();
  });

  it('logs no patient data: no names, IDs, file names or error texts', async () => {
    await post(app, film.bytes.subarray(0, 4000), { 'content-type': 'application/dicom', 'x-file-name': 'Secret-Patient.dcm' });
    const all = logs.join('');
    expect(all).toContain('/v1/classify');
    expect(all).not.toMatch(/Secret|SECRET/);
  });
});
