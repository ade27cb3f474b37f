import './quiet-console';
import { dirname } from 'node:path';
import { decodeFile } from '../imaging/decode';
import { groupSeries, isVolumeSlice } from '../imaging/series';
import type { DecodedImage } from '../imaging/types';
import { DEFAULT_BATCH, type Classifier } from '../ml';
import { errorMessage, fail, listInputFiles, logInfo, parseArgs, printJsonLine, readFileBytes, runCli } from './io';
import { initCliBackend, loadCliModel } from './ml-setup';
import { classifyVolumeLine, resultLine, type Classified, type Line } from './lines';
import { SrWriter } from './sr-writer';

/**
 * npm run --silent classify -- <file-or-folder>... [--model <dir or id>] [--backend cpu|wasm] [--sr <dir>]
 * One JSON line per image (per series for DICOM slices that share a series),
 * a bad file gets its own line with "error" and the batch goes on.
 */

const USAGE = 'usage: npm run --silent classify -- <file-or-folder>... [--model <model dir or id>] [--backend cpu|wasm] [--sr <dir>]';

interface Pending {
  file: string;
  image: DecodedImage;
  frame: number;
}

/** Classifies a volume and prints its line (with its SR when --sr is given). */
async function classifyVolume(model: Classifier, file: string, image: DecodedImage, extra: Record<string, unknown> = {}): Promise<void> {
  const classified = await classifyVolumeLine(model, file, image, extra);
  printJsonLine(await withSr(classified.line, image, classified));
}

export { resultLine };

/** Set by --sr <dir>: writes each DICOM result's SR and adds its path to the line. */
let srWriter: SrWriter | null = null;

function withSr(line: Line, image: DecodedImage, classified: Classified): Promise<Line> | Line {
  return srWriter ? srWriter.attach(line, image, classified) : line;
}

async function flush(model: Classifier, pending: Pending[]): Promise<void> {
  if (!pending.length) return;
  const items = pending.splice(0, pending.length);
  try {
    const results = await model.classifyBatch(items.map(({ image, frame }) => ({ image, frame })));
    for (const [i, p] of items.entries()) printJsonLine(await withSr(resultLine(p.file, results[i]), p.image, { line: {}, result: results[i] }));
  } catch {
    // One image the model cannot take must not sink its batch: retry one by one.
    for (const p of items) {
      try {
        const [result] = await model.classifyBatch([{ image: p.image, frame: p.frame }]);
        printJsonLine(await withSr(resultLine(p.file, result), p.image, { line: {}, result }));
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
  if (flags.sr === true) fail('--sr needs a folder to write the DICOM SRs to');
  if (flags.sr) srWriter = new SrWriter(flags.sr, model, backend);
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
    if (image.frames.length > 1) await classifyOrReport(file, () => classifyVolume(model, file, image));
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
      await classifyOrReport(file, () => classifyVolume(model, file, image, extra));
    }
  } finally {
    model.dispose();
  }
}

await runCli(main);
