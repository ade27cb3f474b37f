import './quiet-console';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeFile } from '../imaging/decode';
import { DEFAULT_BATCH, type Classification, type Classifier, bootstrapAucCI, metricsAt } from '../ml';
import { errorMessage, fail, listInputFiles, logInfo, parseArgs, printJson, readFileBytes, runCli } from './io';
import { initCliBackend, loadCliModel } from './ml-setup';

/**
 * npm run --silent evaluate -- --data <folder> [--model <dir or id>] [--backend cpu|wasm] [--details]
 * <folder> has one subfolder per card label. Every decodable image counts,
 * out-of-distribution refusals included, so a refusal never hides an error.
 */

const USAGE = 'usage: npm run --silent evaluate -- --data <folder> [--model <model dir or id>] [--backend cpu|wasm] [--details]';

interface Scored {
  file: string;
  truth: string;
  positive: number;
  result: Classification;
}

/** Subfolders matched to the card's labels (case-insensitively); other folders are reported, not guessed at. */
async function labelFolders(data: string, labels: string[]): Promise<{ label: string; dir: string }[]> {
  let entries;
  try {
    entries = await readdir(data, { withFileTypes: true });
  } catch {
    fail(`--data ${data} is not a readable folder`);
  }
  const found: { label: string; dir: string }[] = [];
  for (const e of entries) {
    if (!e.isDirectory() || e.name.startsWith('.')) continue;
    const label = labels.find((l) => l.toLowerCase() === e.name.toLowerCase());
    if (label) found.push({ label, dir: join(data, e.name) });
    else logInfo(`evaluate: ignoring folder ${e.name} (not one of the model's labels: ${labels.join(', ')})`);
  }
  if (!found.length) fail(`${data} has no subfolder named after the model's labels (${labels.join(', ')})`);
  return found;
}

async function scoreFiles(model: Classifier, files: { file: string; truth: string }[], errors: { file: string; error: string }[]): Promise<Scored[]> {
  const scored: Scored[] = [];
  const positive = model.card.positiveLabel;
  for (let start = 0; start < files.length; start += DEFAULT_BATCH) {
    const chunk = files.slice(start, start + DEFAULT_BATCH);
    const decoded = [];
    for (const f of chunk) {
      try {
        decoded.push({ ...f, image: await decodeFile(f.file, await readFileBytes(f.file)) });
      } catch (err) {
        errors.push({ file: f.file, error: errorMessage(err) });
      }
    }
    const results = await model.classifyBatch(decoded.map(({ image }) => ({ image, frame: Math.floor((image.frames.length - 1) / 2) })));
    decoded.forEach((d, i) => scored.push({ file: d.file, truth: d.truth, positive: results[i].scores[positive], result: results[i] }));
    if ((start / DEFAULT_BATCH) % 20 === 19) logInfo(`evaluate: ${scored.length} of ${files.length}`);
  }
  return scored;
}

async function main(): Promise<void> {
  const { flags } = parseArgs(process.argv.slice(2));
  const data = flags.data;
  if (typeof data !== 'string') fail(`--data <folder> is required. ${USAGE}`);
  const started = Date.now();
  const backend = await initCliBackend(flags.backend);
  const model = await loadCliModel(flags.model);
  const { card } = model;
  const files: { file: string; truth: string }[] = [];
  for (const { label, dir } of await labelFolders(data, card.labels))
    for (const file of await listInputFiles([dir])) files.push({ file, truth: label });
  if (!files.length) fail(`no images in the label folders of ${data}`);
  logInfo(`evaluate: ${model.tag} on ${backend}, ${files.length} file(s)`);

  const errors: { file: string; error: string }[] = [];
  const scored = await scoreFiles(model, files, errors);
  model.dispose();
  if (!scored.length) fail(`none of the ${files.length} files in ${data} could be read (first: ${errors[0]?.error})`);

  const scores = scored.map((s) => s.positive);
  const labels = scored.map((s) => (s.truth === card.positiveLabel ? 1 : 0));
  const m = metricsAt(scores, labels, card.threshold);
  const perLabel: Record<string, number> = {};
  for (const s of scored) perLabel[s.truth] = (perLabel[s.truth] ?? 0) + 1;
  printJson({
    n: m.n,
    auc: m.auc,
    aucCI95: bootstrapAucCI(scores, labels, { resamples: 1000, seed: 1 }),
    accuracy: m.accuracy,
    sensitivity: m.sensitivity,
    specificity: m.specificity,
    threshold: m.threshold,
    confusion: m.confusion,
    oodRefused: scored.filter((s) => s.result.ood).length,
    unsure: scored.filter((s) => s.result.unsure).length,
    positiveLabel: card.positiveLabel,
    counts: perLabel,
    model: model.tag,
    backend,
    seconds: Math.round((Date.now() - started) / 100) / 10,
    errors: errors.length,
    ...(errors.length ? { errorFiles: errors } : {}),
    ...(flags.details
      ? {
          details: scored.map((s) => ({
            file: s.file,
            truth: s.truth,
            score: s.positive,
            label: s.result.label,
            ood: s.result.ood,
            ...(s.result.oodReason ? { oodReason: s.result.oodReason } : {}),
          })),
        }
      : {}),
  });
}

await runCli(main);
