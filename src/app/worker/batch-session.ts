/**
 * The streaming side of a Classify batch in the worker: the page sends a big
 * drop as small chunks (batch-queue.ts), and each chunk is decoded, shown and
 * classified before the next arrives, so only a few files are ever in memory
 * and the first result comes after one chunk, not after the whole drop.
 * Single images of a chunk share one forward pass (the batch rate, not the
 * one-at-a-time rate). DICOM slices that may belong to a series wait for the
 * batch's final chunk, where they are stacked like before.
 */
import type { DecodedImage } from '../../imaging/types';
import { ImagingError } from '../../imaging/types';
import type { Classification } from '../../ml';
import { isVolumeSlice } from '../../imaging/series';
import { groupDecoded, readAndDecode, type DecodedGroup } from './decoding';
import type { ClassifyEvent, DroppedFile, ItemDescriptor, ItemResult } from './protocol';

export interface BatchHost {
  emit(event: ClassifyEvent): void;
  /** Caches the image for the viewer and Grad-CAM and describes its card. */
  register(image: DecodedImage, files: string[]): Promise<ItemDescriptor>;
  /** Single frames in one forward pass, in order. */
  classifySingles(images: DecodedImage[]): Promise<Classification[]>;
  classifyVolume(itemId: string, image: DecodedImage): Promise<ItemResult>;
  /** Wraps model work: recovers a failed backend and retries (backend-recovery.ts). */
  guard<T>(work: () => Promise<T>): Promise<T>;
  backend(): ItemResult['backend'];
  positiveLabel(): string;
}

export interface ChunkSummary {
  items: number;
  errors: number;
  cancelled: boolean;
}

interface Session {
  held: { file: string; image: DecodedImage }[];
  cancelled: boolean;
}

const sessions = new Map<number, Session>();

function session(batch: number): Session {
  let s = sessions.get(batch);
  if (!s) sessions.set(batch, (s = { held: [], cancelled: false }));
  return s;
}

/** Marks a batch cancelled: the chunk running stops at its next file, later chunks do nothing. */
export function cancelBatch(batch: number): void {
  const s = session(batch);
  s.cancelled = true;
  s.held = [];
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** A macrotask turn, so a `cancel` message can be handled between files. */
function yieldToMessages(): Promise<void> {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      ch.port1.close();
      resolve();
    };
    ch.port2.postMessage(null);
  });
}

export async function classifyChunk(host: BatchHost, batch: number, files: DroppedFile[], final: boolean): Promise<ChunkSummary> {
  const s = session(batch);
  let errors = 0;
  const ready: { file: string; image: DecodedImage }[] = [];
  for (let i = 0; i < files.length; i++) {
    await yieldToMessages();
    if (s.cancelled) break;
    const { name } = files[i];
    try {
      const image = await readAndDecode(files[i]);
      // Slices wait for the batch's last chunk, where the whole series is stacked; projection films stream.
      (isVolumeSlice(image) ? s.held : ready).push({ file: name, image });
    } catch (e) {
      errors++;
      host.emit({ kind: 'file-error', file: name, message: message(e), ...(e instanceof ImagingError ? { code: e.code } : {}) });
    }
  }
  const groups: DecodedGroup[] = groupDecoded(ready);
  if (final && !s.cancelled) groups.push(...groupDecoded(s.held));
  if (final || s.cancelled) sessions.delete(batch);
  if (s.cancelled) return { items: 0, errors, cancelled: true };

  const singles = groups.filter((g) => g.image.frames.length === 1);
  const volumes = groups.filter((g) => g.image.frames.length > 1);
  errors += await classifySingleGroups(host, singles);
  for (const g of volumes) {
    await yieldToMessages();
    if (s.cancelled) return { items: singles.length, errors, cancelled: true };
    const item = await host.register(g.image, g.files);
    host.emit({ kind: 'item', item });
    try {
      host.emit({ kind: 'item-result', result: await host.guard(() => host.classifyVolume(item.itemId, g.image)) });
    } catch (e) {
      errors++;
      host.emit({ kind: 'item-error', itemId: item.itemId, message: message(e) });
    }
  }
  return { items: groups.length, errors, cancelled: false };
}

/**
 * One forward pass for the chunk's single images; if it fails, each image
 * alone, so one bad image fails only itself. A card whose thumbnail is ready
 * while the pass still runs goes out at once. On WASM the pass holds this
 * thread, so the thumbnails usually finish after it; each card then goes out
 * with its result, in one message and one render.
 */
async function classifySingleGroups(host: BatchHost, groups: DecodedGroup[]): Promise<number> {
  if (!groups.length) return 0;
  // The thumbnails' JPEG encoding runs off this thread while the forward pass
  // runs on it: a single film waits for the longer of the two, not their sum.
  const registering = groups.map((g) => host.register(g.image, g.files));
  let settled = false;
  const batch = host.guard(() => host.classifySingles(groups.map((g) => g.image)));
  batch.then(() => (settled = true), () => (settled = true)); // awaited below; a failure falls back to one image at a time
  const items: ItemDescriptor[] = [];
  const shown: boolean[] = [];
  for (const registered of registering) {
    const item = await registered;
    items.push(item);
    shown.push(!settled);
    if (!settled) host.emit({ kind: 'item', item });
  }
  const answer = (item: ItemDescriptor, result: Classification): ItemResult => ({ itemId: item.itemId, result, positiveLabel: host.positiveLabel(), backend: host.backend() });
  const send = (i: number, result: Classification) =>
    host.emit(shown[i] ? { kind: 'item-result', result: answer(items[i], result) } : { kind: 'item', item: items[i], result: answer(items[i], result) });
  try {
    const results = await batch;
    items.forEach((_, i) => send(i, results[i]));
    return 0;
  } catch {
    items.forEach((item, i) => {
      if (!shown[i]) host.emit({ kind: 'item', item });
      shown[i] = true;
    });
    let errors = 0;
    for (let i = 0; i < groups.length; i++) {
      try {
        send(i, (await host.guard(() => host.classifySingles([groups[i].image])))[0]);
      } catch (e) {
        errors++;
        host.emit({ kind: 'item-error', itemId: items[i].itemId, message: message(e) });
      }
    }
    return errors;
  }
}
