import './quiet-console';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDataDir, DATA_ENV } from '../config';
import type { DecodedImage } from '../imaging/types';
import { DEFAULT_BATCH, type Classification, type Classifier, modelTag } from '../ml';
import { errorMessage, fail, logInfo, parseArgs, printJson, runCli } from './io';
import { initCliBackend, loadCliModel } from './ml-setup';
import { buildCheckSets, kermanySplit, REQUIRED_DIRS, type CheckSet } from './ood-sets';

/**
 * npm run --silent ood-check -- [--model <dir or id>] [--backend cpu|wasm]
 * Measures the out-of-distribution refusal on check sets built from the
 * shared data: how many held-out chest films are refused (should be few) and
 * how many non-chest-film images are (should be nearly all). Every image goes
 * through decodeFile → classifyBatch, as `classify` does; volumes are
 * classified slice by slice and aggregated, as `classify` does. One JSON object.
 */

interface Outcome {
  refused: boolean;
  reason?: string;
  /** The refusal's finding code (OodFinding.code), for grouping. */
  code?: string;
  distance?: number;
}

const QUANTILES = [0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.97, 0.99, 1];
/** Validation quantiles offered for the card threshold (the choice is written into card.ood.thresholdRule). */
const SWEEP = [0.95, 0.96, 0.97, 0.98, 0.99, 0.995];

/** Distance refusals (the gate's, or the classifier's own features'): the ones that move with a threshold. */
const DISTANCE_CODES = new Set(['gate', 'features']);

/** A reason without its numbers, so a histogram groups like with like; distance refusals by their finding code, not their wording. */
function reasonKind(o: Outcome): string | undefined {
  if (o.reason === undefined) return undefined;
  if (o.code && DISTANCE_CODES.has(o.code)) return 'feature distance';
  const head = o.reason.split(':')[0];
  return head.replace(/\d+(\.\d+)?/g, '#');
}

function quantile(sorted: number[], q: number): number | null {
  if (!sorted.length) return null;
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos), hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

const round = (x: number | null, digits = 4) => (x === null ? null : Number(x.toFixed(digits)));

const outcome = (c: Classification): Outcome => ({ refused: c.ood, reason: c.oodReason, code: c.oodFinding?.code, distance: c.oodDistance });

async function runSet(model: Classifier, set: CheckSet): Promise<{ outcomes: Outcome[]; errors: { file: string; error: string }[] }> {
  const outcomes: Outcome[] = [];
  const errors: { file: string; error: string }[] = [];
  let pending: DecodedImage[] = [];
  const flush = async () => {
    if (!pending.length) return;
    const batch = pending;
    pending = [];
    for (const c of await model.classifyBatch(batch.map((image) => ({ image, frame: 0 })))) outcomes.push(outcome(c));
  };
  for (const item of set.items) {
    try {
      const image = await item.load();
      if (image.frames.length > 1) outcomes.push(outcome((await model.classifyVolume(image)).aggregate.representative));
      else {
        pending.push(image);
        if (pending.length >= DEFAULT_BATCH) await flush();
      }
    } catch (err) {
      errors.push({ file: item.file, error: errorMessage(err) });
    }
  }
  await flush();
  return { outcomes, errors };
}

/** Refused at another threshold: a header/image reason stays; the feature reason moves with the threshold. */
function refusedAt(o: Outcome, threshold: number): boolean {
  const other = o.refused && o.reason !== undefined && reasonKind(o) !== 'feature distance';
  return other || (o.distance !== undefined && o.distance > threshold);
}

function summarize(outcomes: Outcome[]) {
  const refused = outcomes.filter((o) => o.refused).length;
  const reasons: Record<string, number> = {};
  for (const o of outcomes) {
    const kind = reasonKind(o);
    if (kind) reasons[kind] = (reasons[kind] ?? 0) + 1;
  }
  const distances = outcomes.flatMap((o) => (o.distance === undefined ? [] : [o.distance])).sort((a, b) => a - b);
  return {
    n: outcomes.length,
    refused,
    rate: round(outcomes.length ? refused / outcomes.length : null),
    reasons,
    distanceQuantiles: Object.fromEntries(QUANTILES.map((q) => [`p${q * 100}`, round(quantile(distances, q), 3)])),
  };
}

async function main(): Promise<void> {
  const { flags } = parseArgs(process.argv.slice(2));
  const dataDir = sharedDataDir();
  const missing = REQUIRED_DIRS.filter((d) => !existsSync(join(dataDir, d)));
  if (missing.length)
    fail(`Shared data is missing: ${missing.map((d) => join(dataDir, d)).join(', ')}. Put the shared data beside the project (../shared/data) or set ${DATA_ENV}.`);
  const backend = await initCliBackend(flags.backend);
  const model = await loadCliModel(flags.model);
  const { card } = model;
  const split = await kermanySplit(dataDir);
  const sets = await buildCheckSets(dataDir, split);
  logInfo(`ood-check: ${modelTag(card)} on ${backend}; ${sets.map((s) => `${s.name} ${s.items.length}`).join(', ')}`);

  const results: Record<string, ReturnType<typeof summarize> & { errors?: { file: string; error: string }[] }> = {};
  const all: Record<string, Outcome[]> = {};
  try {
    for (const set of sets) {
      const t0 = Date.now();
      const { outcomes, errors } = await runSet(model, set);
      all[set.name] = outcomes;
      results[set.name] = { ...summarize(outcomes), ...(errors.length ? { errors } : {}) };
      logInfo(`  ${set.name}: ${results[set.name].refused}/${results[set.name].n} refused (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    }
  } finally {
    model.dispose();
  }

  const negatives = sets.filter((s) => !s.inDistribution).flatMap((s) => all[s.name]);
  const pooled = (list: Outcome[], t?: number) => {
    const refused = list.filter((o) => (t === undefined ? o.refused : refusedAt(o, t))).length;
    return { n: list.length, refused, rate: round(list.length ? refused / list.length : null) };
  };
  const valDistances = all['kermany-val'].flatMap((o) => (o.distance === undefined ? [] : [o.distance])).sort((a, b) => a - b);
  // The refusal gate decides when the card has one; older cards use the classifier's own feature distance.
  const threshold = card.gate?.threshold ?? card.ood?.threshold ?? null;
  printJson({
    model: modelTag(card),
    backend,
    dataDir,
    split: { seed: SPLIT_SEED_NOTE, val: split.val.length, test: split.test.length, matchesTrainingManifest: split.matchesManifest },
    cardThreshold: threshold,
    thresholdRule: card.gate?.thresholdRule ?? card.ood?.thresholdRule ?? null,
    distanceFrom: card.gate ? `refusal gate ${card.gate.id}@${card.gate.version}` : card.ood ? 'classifier features' : null,
    nonCxrRefusedRate: pooled(negatives).rate,
    nonCxr: pooled(negatives),
    inDistRefusedRate: { val: results['kermany-val'].rate, test: results['kermany-test'].rate },
    targets: { nonCxrRefusedAtLeast: 0.99, inDistRefusedAtMost: 0.02, everyNonCxrSetAtLeast: 0.99 },
    sets: results,
    thresholdSweep: SWEEP.map((q) => {
      const t = quantile(valDistances, q)!;
      return {
        valQuantile: q,
        threshold: round(t, 5),
        val: pooled(all['kermany-val'], t).rate,
        test: pooled(all['kermany-test'], t).rate,
        nonCxr: pooled(negatives, t).rate,
        negativeSets: Object.fromEntries(sets.filter((s) => !s.inDistribution).map((s) => [s.name, pooled(all[s.name], t).rate])),
      };
    }),
  });
}

const SPLIT_SEED_NOTE = 'training/dataset-split.ts splitByGroup, seed 20180222, 70/15/15 by patient and sha256';

await runCli(main);
