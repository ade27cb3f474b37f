import './quiet-console';
import { existsSync, statSync } from 'node:fs';
import { mkdir, writeFile, readFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { runCli, parseArgs, printJson, listInputFiles, readFileBytes, logInfo, fail } from './io';
import { initCliBackend, loadCliBase, DEFAULT_MODEL_ID } from './ml-setup';
import { TEXTURE_TRUNK, SSL_TRUNK, DEFAULT_HEAD_BASE, TRAINING_MODES, trainModel, DEFAULT_HEAD_VIEWS, isTrainingMode, modeBackendProblem, cliBackends, type TrainingMode, userPatientPattern, modelTag } from '../ml';
import { decodeFile } from '../imaging/decode';

/**
 * npm run --silent train -- --data <folder> --out <model dir> [--base <model id>]
 *   [--mode head|finetune|scratch] [--epochs N]
 * Extra: --labels <csv> --patient-pattern <regex> --positive <label>
 *   --modalities CT,MR --lr 0.001 --patience 10 --seed 42 --backend cpu|wasm --id --name
 *   --views N|auto (head mode: augmented views per training image, default 2; 0 = none;
 *   auto = what fits about 15 s, as on the Training page)
 *   --no-refit (head mode: ship the head fitted on the training split, not the one
 *   refitted on every labelled image after measuring)
 * Bases: texture-trunk (untrained, the default), radiology-ssl-trunk
 * (self-supervised on CT + chest films), cxr-pneumonia, or a model folder.
 * Default base: DEFAULT_HEAD_BASE (src/ml/trunk/constants.ts) for head mode, the
 * chest X-ray model for fine-tuning (a fixed random trunk is no start for it).
 * Same code path as the page's training worker. Prints one JSON object.
 */

const USAGE = 'usage: npm run --silent train -- --data <folder> --out <model dir> [--base <model id>] [--mode head|finetune|scratch] [--epochs N]';

function flag(flags: Record<string, string | true>, name: string): string | undefined {
  const v = flags[name];
  if (v === true) fail(`--${name} needs a value. ${USAGE}`);
  return v;
}

/** Without --modalities: a folder path naming CT (…/ct/…, covid-ct) marks CT data; DICOM tags win anyway. */
function modalitiesFromPath(data: string): string[] | undefined {
  return /(^|[\\/_.-])ct([\\/_.-]|$)/i.test(resolve(data)) ? ['CT'] : undefined;
}

/**
 * The backend a mode trains on (TRAINING_MODES): an explicit --backend it
 * cannot run on fails with the reason; without --backend the first of wasm,
 * cpu that it can run on, said on stderr when that is not the default wasm.
 */
function trainBackendFlag(mode: TrainingMode, requested: string | true | undefined): string | true | undefined {
  if (requested === 'cpu' || requested === 'wasm') {
    const problem = modeBackendProblem(mode, requested);
    if (problem) fail(`--backend ${requested}: ${problem}`);
    return requested;
  }
  if (requested !== undefined) return requested; // initCliBackend says what is allowed
  const [first] = cliBackends(mode);
  if (first !== 'wasm') logInfo(`train: ${mode} training runs on ${first}, not wasm: ${modeBackendProblem(mode, 'wasm')}`);
  return first === 'wasm' ? undefined : first;
}

async function main(): Promise<void> {
  const { flags } = parseArgs(process.argv.slice(2));
  const data = flag(flags, 'data'), out = flag(flags, 'out');
  if (!data || !out) fail(`--data and --out are required. ${USAGE}`);
  if (!existsSync(data) || !statSync(data).isDirectory()) fail(`--data ${data} is not a folder`);
  const modeFlag = flag(flags, 'mode') ?? 'head';
  if (!isTrainingMode(modeFlag)) fail(`--mode must be head, finetune or scratch (got ${modeFlag})`);
  const mode: TrainingMode = modeFlag;
  const num = (name: string) => {
    const v = flag(flags, name);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) fail(`--${name} must be a positive number (got ${v})`);
    return n;
  };
  const epochs = num('epochs');
  const viewsFlag = flag(flags, 'views');
  const views = viewsFlag === undefined ? DEFAULT_HEAD_VIEWS : viewsFlag === 'auto' ? 'auto' : Number(viewsFlag);
  if (views !== 'auto' && (!Number.isInteger(views) || views < 0 || views > 16)) fail(`--views must be a whole number from 0 to 16, or auto (got ${viewsFlag})`);
  const backend = await initCliBackend(trainBackendFlag(mode, flags.backend));
  logInfo(`train: backend ${backend}, mode ${mode}`);

  const spec = TRAINING_MODES[mode];
  const baseRef = flag(flags, 'base') ?? (spec.defaultBase === 'trunk' ? DEFAULT_HEAD_BASE : DEFAULT_MODEL_ID);
  const base = spec.base === 'optional' && !flags.base ? undefined : await loadCliBase(baseRef);
  const paths = await listInputFiles([data]);
  const files = paths.map((p) => ({ file: relative(data, p).split(sep).join('/'), read: () => readFileBytes(p) }));
  const labelsPath = flag(flags, 'labels');
  const modalitiesFlag = flag(flags, 'modalities');
  const patternFlag = flag(flags, 'patient-pattern');
  let lastLog = 0;
  const result = await trainModel({
    files,
    labelsCsv: labelsPath ? await readFile(labelsPath, 'utf8') : undefined,
    decode: decodeFile,
    mode,
    base,
    epochs,
    augmentViews: views,
    learningRate: num('lr'),
    patience: num('patience'),
    seed: num('seed'),
    refit: !flags['no-refit'],
    positiveLabel: flag(flags, 'positive'),
    modalities: modalitiesFlag ? modalitiesFlag.split(',').map((m) => m.trim().toUpperCase()) : modalitiesFromPath(data),
    patientPatterns: patternFlag ? [userPatientPattern(patternFlag)] : undefined,
    id: flag(flags, 'id'),
    name: flag(flags, 'name'),
    description: `${relative(process.cwd(), resolve(data)) || data}`,
    tool: 'npm run train (src/cli/train.ts)',
    onProgress: (stage, done, total) => {
      if (Date.now() - lastLog > 2000 || done === total) { logInfo(`train: ${stage} ${done}/${total}`); lastLog = Date.now(); }
    },
    onEpoch: (s) => logInfo(`train: epoch ${s.epoch} loss ${s.loss.toFixed(4)} acc ${s.acc.toFixed(3)} val AUC ${s.valAuc.toFixed(4)} (${s.seconds.toFixed(2)} s)`),
  });
  await mkdir(out, { recursive: true });
  for (const [name, bytes] of result.files) await writeFile(join(out, name), bytes);
  const { validation, test } = result.card.metrics;
  printJson({
    ...validation,
    test: test ?? null,
    warnings: result.warnings.map((w) => w.message),
    warningCodes: result.warnings.map((w) => w.code),
    model: modelTag(result.card),
    out: resolve(out),
    mode,
    base: result.card.training.baseModel ?? null,
    modalities: result.card.modalities,
    labels: result.card.labels,
    positiveLabel: result.card.positiveLabel,
    temperature: result.card.temperature,
    unsureBand: result.card.unsureBand,
    counts: result.card.trainingData.counts,
    split: result.card.trainingData.split,
    epochs: result.history.length,
    augmentViews: result.card.training.augmentViews ?? 0,
    l2Penalty: result.card.training.l2Penalty ?? null,
    crossValidation: result.card.training.crossValidation ?? null,
    finalFit: result.card.training.finalFit ?? null,
    bestValAuc: Math.max(...result.history.map((h) => (Number.isFinite(h.valAuc) ? h.valAuc : -1))),
    unreadable: result.unreadable.length,
    seconds: Math.round(result.seconds * 10) / 10,
    backend,
  });
  result.model.dispose();
  base?.dispose();
}

void runCli(main);
