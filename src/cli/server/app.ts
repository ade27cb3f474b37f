import { timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import swagger from '@fastify/swagger';
import { decodeFile } from '../../imaging/decode';
import { looksLikeDicom } from '../../imaging/dicom/parse';
import { isJpeg, isPng } from '../../imaging/raster';
import { ImagingError } from '../../imaging/types';
import type { Classifier, ModelCard } from '../../ml';
import { buildSr } from '../../report/sr';
import { errorMessage } from '../io';
import { classifyDecoded, srInputFor } from '../lines';
import { BoundedQueue, QueueFullError } from './queue';

/**
 * The model service: the same decode → classify → line (and SR) code as the
 * command line, behind Fastify. It keeps no state between requests beyond the
 * loaded model, so any number of copies can sit behind a load balancer.
 */

export interface Ready {
  model: Classifier;
  backend: string;
}

export interface ServerOptions {
  /** Resolves once the backend and model are ready; /healthz answers 503 until then. */
  ready: Promise<Ready>;
  /** Largest request body, bytes. */
  maxBytes?: number;
  /** Classifications at once (tfjs in one process runs one at a time) and requests allowed to wait. */
  concurrency?: number;
  maxWaiting?: number;
  /** Bearer token required on /v1/* when set. */
  token?: string;
  /** Fastify logger options, or false. Only method, route and status are ever logged. */
  logger?: boolean | Record<string, unknown>;
}

export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
const BODY_TYPES = ['application/dicom', 'image/png', 'image/jpeg', 'application/octet-stream'];
const DICOM = 'application/dicom';

/** A failure with the HTTP status it maps to; the message is the one the page would show. */
class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

function statusFor(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof QueueFullError) return new HttpError(503, err.message, { 'retry-after': String(err.retryAfterS) });
  if (err instanceof ImagingError) return new HttpError(err.code === 'unsupported-format' ? 415 : 400, err.message);
  const fe = err as FastifyError;
  if (fe?.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new HttpError(413, fe.message);
  if (fe?.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return new HttpError(415, `unsupported Content-Type: send the file as ${BODY_TYPES.join(', ')}`);
  }
  if (typeof fe?.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) return new HttpError(fe.statusCode, errorMessage(err));
  return new HttpError(500, `internal error: ${errorMessage(err)}`);
}

/** Cards as /v1/models lists them: everything but the OOD statistics' large matrices. */
export function publicCard(card: ModelCard): Record<string, unknown> {
  const { ood, ...rest } = card;
  return { ...rest, ...(ood ? { ood: { method: ood.method, threshold: ood.threshold, thresholdRule: ood.thresholdRule } } : {}) };
}

/** Request logs carry the method, the route pattern and the status: never file names, headers or bodies. */
const SAFE_LOG = {
  serializers: {
    req: (req: { method: string; routeOptions?: { url?: string } }) => ({ method: req.method, route: req.routeOptions?.url ?? 'unknown' }),
    res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
  },
};

function bearerOk(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (!m) return false;
  const a = Buffer.from(m[1].trim()), b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The body's format by content, never by the Content-Type alone: 415 for anything else. */
function sniff(bytes: Uint8Array): 'dicom' | 'png' | 'jpeg' {
  if (!bytes.length) throw new HttpError(400, 'the request body is empty: send one DICOM, PNG or JPEG file');
  if (isPng(bytes)) return 'png';
  if (isJpeg(bytes)) return 'jpeg';
  if (looksLikeDicom(bytes)) return 'dicom';
  throw new HttpError(415, 'unsupported file format (not DICOM, PNG or JPEG)');
}

export async function buildServer(opts: ServerOptions): Promise<FastifyInstance> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const queue = new BoundedQueue(opts.concurrency ?? 1, opts.maxWaiting ?? 8);
  let ready: Ready | null = null;
  let loadError: string | null = null;
  opts.ready.then(
    (r) => (ready = r),
    (e) => (loadError = errorMessage(e)),
  );

  const logger = (opts.logger === undefined || opts.logger === false ? false : { ...(typeof opts.logger === 'object' ? opts.logger : {}), ...SAFE_LOG }) as FastifyServerOptions['logger'];
  const app = Fastify({ logger, bodyLimit: maxBytes, return503OnClosing: true });

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'RadLens model service',
        version: '1',
        description: 'Classifies one chest image per request with the same code as the RadLens page and command line. Not a diagnosis: for review by a qualified clinician.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
  });

  // Only image bodies: JSON or text gets 415 rather than being parsed.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(BODY_TYPES, { parseAs: 'buffer', bodyLimit: maxBytes }, (_req, body, done) => done(null, body));

  app.setErrorHandler((err, req, reply) => {
    const e = statusFor(err);
    // The message can name the file; logs get only the status.
    if (e.statusCode >= 500) req.log.error({ statusCode: e.statusCode }, 'request failed');
    void reply.code(e.statusCode).headers(e.headers).send({ error: e.message });
  });
  app.setNotFoundHandler((_req, reply) => void reply.code(404).send({ error: 'no such endpoint: see /openapi.json' }));

  if (opts.token) {
    const token = opts.token;
    app.addHook('onRequest', async (req) => {
      if (!req.url.startsWith('/v1/')) return;
      if (!bearerOk(req.headers.authorization, token)) throw new HttpError(401, 'missing or wrong bearer token', { 'www-authenticate': 'Bearer' });
    });
  }

  const errorSchema = { type: 'object', properties: { error: { type: 'string' } }, required: ['error'] };
  const lineSchema = {
    type: 'object',
    description: 'The same object as one line of `npm run classify`.',
    additionalProperties: true,
    properties: {
      file: { type: 'string' },
      model: { type: 'string' },
      label: { type: 'string', nullable: true },
      probability: { type: 'number' },
      scores: { type: 'object', additionalProperties: { type: 'number' } },
      threshold: { type: 'number' },
      unsure: { type: 'boolean' },
      ood: { type: 'boolean' },
      oodReason: { type: 'string' },
    },
  };

  app.get(
    '/healthz',
    {
      schema: {
        description: 'Ready when the backend and model are loaded (200), 503 before.',
        response: {
          200: { type: 'object', properties: { ok: { type: 'boolean' }, backend: { type: 'string' }, model: { type: 'string' } } },
          503: { type: 'object', properties: { ok: { type: 'boolean' }, error: { type: 'string' } } },
        },
      },
    },
    async (_req, reply) => {
      if (!ready) return reply.code(503).header('retry-after', '2').send({ ok: false, error: loadError ? `model failed to load: ${loadError}` : 'loading the model' });
      return { ok: true, backend: ready.backend, model: `${ready.model.card.id}@${ready.model.card.version}` };
    },
  );

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.get(
    '/v1/models',
    { schema: { description: 'The model cards this service serves.', security: [{ bearer: [] }], response: { 503: errorSchema } } },
    async (_req, reply) => {
      if (!ready) return reply.code(503).header('retry-after', '2').send({ error: 'loading the model' });
      return { models: [publicCard(ready.model.card)] };
    },
  );

  // Admission when the request arrives, before its body is read: a busy service must not buffer more uploads.
  const admitted = new WeakSet<object>();
  const admit = async (req: { raw: object }) => {
    queue.admit();
    admitted.add(req.raw);
  };
  const release = async (req: { raw: object }) => {
    if (admitted.delete(req.raw)) queue.release();
  };

  app.post(
    '/v1/classify',
    {
      onRequest: admit,
      onResponse: release,
      onRequestAbort: release,
      schema: {
        description:
          'Body: one DICOM, PNG or JPEG file. Answers the classify line as JSON, or with `Accept: application/dicom` the DICOM SR (Comprehensive SR, TID 1500) of a DICOM input. Optional header X-File-Name names the file in the answer.',
        security: [{ bearer: [] }],
        consumes: BODY_TYPES,
        response: { 200: lineSchema, 400: errorSchema, 406: errorSchema, 413: errorSchema, 415: errorSchema, 503: errorSchema },
      },
    },
    async (req, reply) => {
      if (!ready) throw new HttpError(503, loadError ? `model failed to load: ${loadError}` : 'the model is still loading', { 'retry-after': '2' });
      const { model, backend } = ready;
      const body = req.body as Buffer | undefined;
      const bytes = body ? new Uint8Array(body.buffer, body.byteOffset, body.byteLength) : new Uint8Array(0);
      const format = sniff(bytes);
      const wantsSr = (req.headers.accept ?? '').toLowerCase().includes(DICOM);
      if (wantsSr && format !== 'dicom') throw new HttpError(406, `a DICOM SR is made only for DICOM input (this is ${format.toUpperCase()}); ask for application/json`);
      const name = String(req.headers['x-file-name'] ?? 'upload').slice(0, 255);
      return queue.run(async () => {
        // Let requests that arrived meanwhile be admitted (or refused) before the synchronous model work.
        await new Promise((r) => setImmediate(r));
        const image = await decodeFile(name, bytes);
        const classified = await classifyDecoded(model, name, image);
        if (!wantsSr) return classified.line;
        const doc = buildSr(srInputFor(image, classified, model, backend));
        return reply.type(DICOM).header('x-radlens-finding', doc.finding).header('content-disposition', 'attachment; filename="radlens.sr.dcm"').send(Buffer.from(doc.bytes));
      });
    },
  );

  return app;
}
