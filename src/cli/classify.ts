import './quiet-console';
import { dirname } from 'node:path';
import { decodeFile } from '../imaging/decode';
import { groupSeries, isVolumeSlice } from '../imaging/series';
import type { DecodedImage } from '../imaging/types';
import { DEFAULT_BATCH, type Classification, type Classifier } from '../ml';
import { errorMessage, fail, listInputFiles, logInfo, parseArgs, printJsonLine, readFileBytes, runCli } from './io';
import { initCliBackend, loadCliModel } from './ml-setup';

/**
 * npm run --silent classify -- <file-or-folder>... [--model <dir or id>] [--backend cpu|wasm]
 * One JSON line per image (per series for DICOM slices that share a series),
 * a bad file gets its own line with "error" and the batch goes on.
 */

const USAGE = 'usage: npm run --silent classify -- <file-or-folder>... [--model <model dir or id>] [--backend cpu|wasm]';

interface Pending {
  file: string;
  image: DecodedImage;
  frame: number;
}

/**
 * Every slice of a volume (series, NIfTI, multi-frame) is classified; the line
 * reports the slice with the highest positive probability (a finding on one
 * slice is a finding) and the mean, like the page's series card.
 */
async function classifyVolumeLine(model: Classifier, file: string, image: DecodedImage, extra: Record<string, unknown> = {}): Promise<void> {
  const { slices, aggregate } = await model.classifyVolume(image);
  const warnings = [...(image.geometry?.warnings ?? []), ...(image.downsampled ? [image.downsampled] : [])];
  const positive = model.card.positiveLabel;
  printJsonLine(
    resultLine(file, aggregate.representative, {
      ...extra,
      ...(warnings.length ? { warnings } : {}),
      slices: slices.length,
      aggregate: {
        positiveLabel: positive,
        maxSlice: aggregate.maxFrame,
        maxProbability: aggregate.maxProbability,
        meanProbability: aggregate.meanProbability,
      },
      sliceProbabilities: slices.map((c) => c.scores[positive] ?? 0),
    }),
  );
}

export function resultLine(file: string, c: Classification, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    file,
    model: c.model,
    label: c.label,
    probability: c.probability,
    scores: c.scores,
    threshold: c.threshold,
    unsure: c.unsure,
    ood: c.ood,
    ...(c.oodReason ? { oodReason: c.oodReason } : {}),
    ...(c.oodDistance !== undefined ? { oodDistance: c.oodDistance } : {}),
    ...extra,
  };
}

async function flush(model: Classifier, pending: Pending[]): Promise<void> {
  if (!pending.length) return;
  const items = pending.splice(0, pending.length);
  try {
    const results = await model.classifyBatch(items.map(({ image, frame }) => ({ image, frame })));
    items.forEach((p, i) => printJsonLine(resultLine(p.file, results[i])));
  } catch {
    // One image the model cannot take must not sink its batch: retry one by one.
    for (const p of items) {
      try {
        const [result] = await model.classifyBatch([{ image: p.image, frame: p.frame }]);
        printJsonLine(resultLine(p.file, result));
      } catch (err) {
        printJsonLine({ file: p.file, error: errorMessage(err) });
      }
    }
  }
}

async function classifyOrReport(file: string, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (err) {
    printJsonLine({ file, error: errorMessage(err) });
  }
}

async function main(): Promise<void> {
  const { positional, flags } = parseArgs(process.argv.slice(2));
  if (!positional.length) fail(USAGE);
  const files = await listInputFiles(positional);
  if (!files.length) fail(`no files found in ${positional.join(', ')}`);
  const backend = await initCliBackend(flags.backend);
  const model = await loadCliModel(flags.model);
  logInfo(`classify: ${model.tag} on ${backend}, ${files.length} file(s)`);

  const pending: Pending[] = [];
  const slices: DecodedImage[] = []; // single DICOM slices, grouped into series at the end
  for (const file of files) {
    let image: DecodedImage;
    try {
      image = await decodeFile(file, await readFileBytes(file));
    } catch (err) {
      printJsonLine({ file, error: errorMessage(err) });
      continue;
    }
    if (isVolumeSlice(image)) {
      slices.push(image);
      continue;
    }
    if (image.frames.length > 1) await classifyOrReport(file, () => classifyVolumeLine(model, file, image));
    else {
      pending.push({ file, image, frame: 0 });
      if (pending.length >= DEFAULT_BATCH) await flush(model, pending);
    }
  }
  try {
    await flush(model, pending);
    for (const group of groupSeries(slices)) {
      const { image, files: groupFiles } = group;
      const file = groupFiles.length > 1 ? dirname(groupFiles[0]) : groupFiles[0];
      const uid = group.seriesInstanceUid ?? image.series?.seriesInstanceUid;
      // `files` names every input of a multi-file series, so each input can be found in the output.
      const extra = groupFiles.length > 1 ? { files: groupFiles, series: { ...(uid ? { seriesInstanceUid: uid } : {}), files: groupFiles.length } } : {};
      await classifyOrReport(file, () => classifyVolumeLine(model, file, image, extra));
    }
  } finally {
    model.dispose();
  }
}

await runCli(main);
