import { readFile, rename, writeFile } from 'node:fs/promises';
import { SR_SERIES_DESCRIPTION } from '../../report/sr';

/**
 * Orthanc → RadLens service → Orthanc. Polls Orthanc's change log (/changes)
 * from a cursor kept on disk; each new CR/DX instance is sent to `serve` with
 * Accept: application/dicom and the SR that comes back is stored in Orthanc,
 * where it joins the same study (it copies the study's identity). The cursor
 * moves past a change only once that change is done, so while the service is
 * down (refused connection, 5xx, 503 busy) nothing is skipped: the same change
 * is retried until the service answers, across bridge restarts too.
 */

export interface BridgeOptions {
  orthancUrl: string;
  /** "user:password" for Orthanc's HTTP basic auth, if enabled. */
  orthancAuth?: string;
  serveUrl: string;
  serveToken?: string;
  /** Where the last handled change's sequence number is kept. */
  cursorFile: string;
  modalities?: string[];
  log?: (message: string) => void;
}

interface Change {
  ChangeType: string;
  ID: string;
  ResourceType: string;
  Seq: number;
}

export type Outcome = 'stored' | 'skipped' | 'rejected';

/** The service could not be reached or was busy: try this change again later. */
export class RetryLater extends Error {}

export class OrthancBridge {
  private readonly modalities: Set<string>;
  private readonly log: (message: string) => void;
  readonly counts = { stored: 0, skipped: 0, rejected: 0, retries: 0 };

  constructor(private readonly opts: BridgeOptions) {
    this.modalities = new Set((opts.modalities ?? ['CR', 'DX']).map((m) => m.toUpperCase()));
    this.log = opts.log ?? ((m) => process.stderr.write(m + '\n'));
  }

  private orthancHeaders(extra: Record<string, string> = {}): Record<string, string> {
    return { ...(this.opts.orthancAuth ? { authorization: `Basic ${Buffer.from(this.opts.orthancAuth).toString('base64')}` } : {}), ...extra };
  }

  private async orthanc(path: string, init: RequestInit = {}): Promise<Response> {
    const r = await fetch(`${this.opts.orthancUrl}${path}`, { ...init, headers: this.orthancHeaders((init.headers as Record<string, string>) ?? {}) });
    if (!r.ok) throw new Error(`Orthanc ${init.method ?? 'GET'} ${path}: HTTP ${r.status}`);
    return r;
  }

  async readCursor(): Promise<number> {
    try {
      const n = Number(JSON.parse(await readFile(this.opts.cursorFile, 'utf8')).last);
      return Number.isFinite(n) ? n : 0;
    } catch {
      return 0;
    }
  }

  /** Written to a temp file and renamed, so a crash never leaves a torn cursor. */
  private async saveCursor(last: number): Promise<void> {
    const tmp = `${this.opts.cursorFile}.tmp`;
    await writeFile(tmp, JSON.stringify({ last }));
    await rename(tmp, this.opts.cursorFile);
  }

  /** One instance: classify through the service and store the SR, or say why not. */
  async handleInstance(id: string): Promise<Outcome> {
    const found = await fetch(`${this.opts.orthancUrl}/instances/${id}/simplified-tags`, { headers: this.orthancHeaders() });
    if (found.status === 404) return 'skipped'; // deleted since it arrived
    if (!found.ok) throw new Error(`Orthanc GET /instances/${id}/simplified-tags: HTTP ${found.status}`);
    const tags = (await found.json()) as Record<string, unknown>;
    const modality = String(tags.Modality ?? '').toUpperCase();
    if (!this.modalities.has(modality)) return 'skipped';
    if (await this.alreadyReported(id, String(tags.SOPInstanceUID ?? ''))) return 'skipped';
    const dicom = new Uint8Array(await (await this.orthanc(`/instances/${id}/file`)).arrayBuffer());
    let answer: Response;
    try {
      answer = await fetch(`${this.opts.serveUrl}/v1/classify`, {
        method: 'POST',
        headers: { 'content-type': 'application/dicom', accept: 'application/dicom', ...(this.opts.serveToken ? { authorization: `Bearer ${this.opts.serveToken}` } : {}) },
        body: dicom,
      });
    } catch (e) {
      throw new RetryLater(`service unreachable (${(e as Error).message})`);
    }
    if (answer.status === 503 || answer.status >= 500 || answer.status === 401) {
      throw new RetryLater(`service answered ${answer.status}`);
    }
    if (!answer.ok) {
      // The file itself is the problem (400/406/413/415): retrying cannot help.
      const body = (await answer.json().catch(() => ({}))) as { error?: string };
      this.log(`bridge: instance ${id} not classified (HTTP ${answer.status}): ${body.error ?? ''}`);
      return 'rejected';
    }
    const sr = new Uint8Array(await answer.arrayBuffer());
    await this.orthanc('/instances', { method: 'POST', headers: { 'content-type': 'application/dicom' }, body: sr });
    this.log(`bridge: instance ${id}: SR stored (${answer.headers.get('x-radlens-finding') ?? 'result'})`);
    return 'stored';
  }

  /**
   * Whether the instance's study already holds a RadLens SR that references it:
   * a bridge that crashed between storing an SR and saving its cursor, or lost
   * its cursor file, must not file a second SR for the same image.
   */
  private async alreadyReported(instanceId: string, sopInstanceUid: string): Promise<boolean> {
    if (!sopInstanceUid) return false;
    const study = (await (await this.orthanc(`/instances/${instanceId}/study`)).json()) as { ID: string };
    const series = (await (await this.orthanc(`/studies/${study.ID}/series`)).json()) as Array<{ MainDicomTags: Record<string, string>; Instances: string[] }>;
    for (const s of series) {
      if (s.MainDicomTags.Modality !== 'SR' || s.MainDicomTags.SeriesDescription !== SR_SERIES_DESCRIPTION) continue;
      for (const sr of s.Instances) {
        const srTags = await (await this.orthanc(`/instances/${sr}/simplified-tags`)).text();
        if (srTags.includes(`"${sopInstanceUid}"`)) return true;
      }
    }
    return false;
  }

  /**
   * Handles every change after the cursor, in order. Returns at the first
   * change that must be retried (the cursor stays before it) or when the log
   * is drained.
   */
  async poll(): Promise<{ handled: number; blocked: boolean }> {
    let since = await this.readCursor();
    let handled = 0;
    for (;;) {
      const page = (await (await this.orthanc(`/changes?since=${since}&limit=100`)).json()) as { Changes: Change[]; Done: boolean; Last: number };
      for (const change of page.Changes) {
        if (change.ChangeType === 'NewInstance' && change.ResourceType === 'Instance') {
          try {
            this.counts[await this.handleInstance(change.ID)]++;
          } catch (e) {
            if (e instanceof RetryLater) {
              this.counts.retries++;
              this.log(`bridge: will retry change ${change.Seq}: ${e.message}`);
              return { handled, blocked: true };
            }
            throw e;
          }
        }
        since = change.Seq;
        await this.saveCursor(since);
        handled++;
      }
      if (page.Done || !page.Changes.length) {
        if (page.Last > since) {
          since = page.Last;
          await this.saveCursor(since);
        }
        return { handled, blocked: false };
      }
    }
  }

  /** Polls until `signal` aborts; waits `idleMs` when drained and backs off (to 5 s) while the service is away. */
  async run(signal: AbortSignal, idleMs = 1000): Promise<void> {
    let backoff = idleMs;
    while (!signal.aborted) {
      let wait = idleMs;
      try {
        const { blocked } = await this.poll();
        backoff = blocked ? Math.min(5_000, backoff * 2) : idleMs;
        wait = blocked ? backoff : idleMs;
      } catch (e) {
        this.log(`bridge: ${(e as Error).message}; retrying`);
        wait = backoff = Math.min(5_000, backoff * 2);
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, wait);
        signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
      });
    }
  }
}
