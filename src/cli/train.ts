// `npm run train`: the main job. Loads beats, trains an autoencoder on the normal ones, picks a
// threshold without test labels, evaluates on the test file when there is one, and writes a
// model folder (weights, manifest, plots).

import fs from 'node:fs';
import path from 'node:path';
import '../index.ts';
import { MODEL_KINDS } from '../autoencoders/registry.ts';
import { defaultArchitecture, trainingDefaults } from '../autoencoders/defaults.ts';
import { evaluateDetector, fittedBeatCount, trainDetector, type Evaluation, type TrainedDetector } from '../training/pipeline.ts';
import { CROSS_FIT_FOLDS, CROSS_FIT_KINDS, crossFitFoldsFor } from '../training/cross-fit.ts';
import { formatMetricsTable } from '../evaluation/metrics.ts';
import { createProgressBar } from '../io/progress-node.ts';
import { CROSS_FIT_BELOW, DEFAULT_THRESHOLD, defaultThreshold, parseThresholdSpec, usesOutOfFold } from '../detect/thresholds.ts';
import { lossDescription } from '../autoencoders/loss-description.ts';
import { pooledSplit } from '../data/pooled-split.ts';
import { choiceFlag, labelColumnFlag, intFlag, listFlag, numberFlag, runCommand, UserError, type CommandSpec } from './args.ts';
import { LR_SCHEDULES } from '../training/trainer.ts';
import { DEFAULT_DATA_DIR, resolveTrainingData, type TrainingData } from './data-source.ts';
import { checkModelFolderTarget } from '../detect/model-folder-node.ts';
import { binaryLabels, normalizeLabel } from '../data/dataset.ts';
import { saveDetector } from './model-store.ts';
import { checkpointTargetConflict, defaultCheckpointDir, readCheckpoint, removeCheckpoint, writeCheckpoint } from '../training/checkpoint-node.ts';
import type { TrainerCheckpoint } from '../training/checkpoint.ts';
import { selectBackend, BACKEND_OPTIONS } from './backend-flags.ts';
import { describeRun, summarizeRun } from './run-summary.ts';

export const trainSpec: CommandSpec = {
  name: 'train',
  summary: 'train an ECG anomaly detector on normal beats and save it as a model folder',
  usage: 'npm run train -- [--model dense|vae|lstm|conv] [--data DIR | --train FILE [--val FILE] [--test FILE]] [options]',
  options: {
    model: { type: 'string', value: 'KIND', description: `autoencoder: ${MODEL_KINDS.join(', ')}`, default: 'dense' },
    data: { type: 'string', value: 'DIR', description: 'folder with *_TRAIN and *_TEST files (UCR .txt/.tsv/.arff, or CSV)' },
    train: { type: 'string', value: 'FILE', description: 'training beats file' },
    val: { type: 'string', value: 'FILE', description: 'labelled validation file: threshold = best F1 on it' },
    test: { type: 'string', value: 'FILE', description: 'labelled test file to evaluate on' },
    'label-column': { type: 'string', value: 'first|last', description: 'where a CSV keeps its label (default last; UCR files always first)' },
    'normal-label': { type: 'string', value: 'L', description: 'label of normal beats (default: the format\'s, else 1)' },
    hidden: { type: 'string', value: 'A,B,C', description: 'encoder sizes (dense, vae); LSTM state size (lstm); channels (conv)' },
    latent: { type: 'string', value: 'N', description: 'code size (vae 8, lstm 16, conv 8)' },
    beta: { type: 'string', value: 'X', description: 'weight of the KL term (vae; default 0.01, for min-max scaled beats)' },
    'kl-warmup': { type: 'string', value: 'N', description: 'epochs of linear KL warm-up (vae)' },
    kernel: { type: 'string', value: 'K', description: 'convolution kernel size (conv)' },
    patch: { type: 'string', value: 'P', description: 'samples per LSTM time step (lstm)' },
    'score-samples': { type: 'string', value: 'L', description: 'VAE: score by the mean of L sampled reconstructions (Monte-Carlo) instead of decoding μ' },
    scaler: { type: 'string', value: 'standard|minmax', description: 'per-timestep scaling fitted on normal training beats (default standard for conv, minmax for the others)' },
    epochs: { type: 'string', value: 'N', description: 'maximum epochs (default 100; lstm 250)' },
    batch: { type: 'string', value: 'N', description: 'mini-batch size (default 32)' },
    lr: { type: 'string', value: 'X', description: 'Adam learning rate (default 0.003; conv 0.001; lstm 0.005)' },
    'lr-schedule': { type: 'string', value: 'constant|cosine', description: 'learning rate per epoch: constant, or cosine decay from --lr toward 0 over --epochs (default constant)' },
    patience: { type: 'string', value: 'N', description: 'early-stopping patience in epochs, 0 = off (default 10; lstm 30)' },
    'val-fraction': { type: 'string', value: 'F', description: 'share of normal training beats held out for early stopping (default 0.1; conv 0.2)' },
    'cross-fit': { type: 'string', value: 'K', description: `small sets: under ${CROSS_FIT_BELOW} fitted normal beats train of a ${CROSS_FIT_KINDS.join(' or ')} model also fits K = ${CROSS_FIT_FOLDS} extra models, each on all but one fold of them, and stores every beat's error from the model that never saw it (out-of-fold errors: oof- threshold rules, npm run threshold); about K+1 times the training time; the saved model is the one fitted on all beats. K overrides the folds at any size and kind (the lstm and conv only cross-fit when asked: 4.6-4.9x their training time), 0 = off` },
    'clip-norm': { type: 'string', value: 'X', description: 'gradient-norm clipping, 0 = off (default 1 for lstm, else 0)' },
    threshold: { type: 'string', value: 'SPEC', description: `rule on the training errors: logmedian+Kmad (robust log-normal fit), median+Kmad, mean+Kstd, pN or max; heldout-RULE on the held-out beats, oof-RULE on the out-of-fold errors (--cross-fit), min(RULE,RULE) (default ${DEFAULT_THRESHOLD}; lstm ${defaultThreshold('lstm')})` },
    'pool-split': { type: 'string', value: 'F', description: 'pool the train and test files, shuffle (--split-seed) and test on a share F of them, e.g. 0.2 (the TensorFlow tutorial\'s 80/20 recipe)' },
    'split-seed': { type: 'string', value: 'S', description: 'seed of the --pool-split shuffle (default 0)' },
    seed: { type: 'string', value: 'S', description: 'seed for init, shuffling, split and noise', default: '0' },
    out: { type: 'string', value: 'DIR', description: 'model folder to write (default models/<model>); train refuses one that holds an earlier run unless --force' },
    force: { type: 'boolean', description: 'replace the run already saved in --out (without it, the earlier run is kept and train stops before training)' },
    'checkpoint-every': { type: 'string', value: 'N', description: 'write a resumable checkpoint every N epochs (to --checkpoint DIR, default <out>.checkpoint; removed when the run finishes)' },
    checkpoint: { type: 'string', value: 'DIR', description: 'folder for --checkpoint-every\'s checkpoint (a checkpoint.safetensors there that is not a checkpoint is kept: train refuses unless --force)' },
    resume: { type: 'string', value: 'DIR', description: 'continue the run checkpointed in DIR, with its flags (a flag given with another value is refused); ends bit-identical to an uninterrupted run' },
    'no-plots': { type: 'boolean', description: 'skip the SVG plots' },
    json: { type: 'boolean', description: 'print one JSON object as the last line of stdout' },
    ...BACKEND_OPTIONS,
  },
  examples: [
    'npm run train',
    'npm run train -- --data data/ecg5000 --model vae --seed 1',
    'npm run train -- --model lstm --checkpoint-every 10   # after a crash: npm run train -- --resume models/lstm.checkpoint',
    'npm run train -- --train ecg.csv --label-column last --normal-label 1 --out models/tf-ecg',
    'npm run train -- --data data/ecg5000 --pool-split 0.2 --split-seed 1   # TensorFlow tutorial: pooled 80/20',
    'npm run train -- --model vae --out models/vae-seed1 --seed 1   # a second run beside the first; npm run runs compares them',
    'npm run train -- --out models/dense --force   # replace the run saved there',
  ],
};

type Flags = Record<string, string | boolean | undefined>;
type Log = (msg: string) => void;

// `main` runs the steps below in order; each validates its flags before any training time is
// spent (the order of the checks, and so of the errors, is the command's).
async function main({ values: given, passed }: { values: Flags; passed: ReadonlySet<string> }): Promise<void> {
  const log: Log = (msg) => process.stderr.write(`${msg}\n`);
  const resume = given.resume !== undefined ? resumeRun(given, passed, log) : null;
  const values = resume ? resume.values : given;
  const settings = trainingSettings(values);
  const output = outputSettings(values, settings.kind, resume?.dir);
  const backend = await selectBackend(values, log);
  const { data, poolSplit, splitSeed } = loadRunData(values, settings.labelColumn, log);
  const model = modelSettings(values, settings, data);
  checkCrossFit(settings, model.normalLabel, data);
  log(`data: ${data.description}`);
  log(`model: ${settings.kind} ${JSON.stringify(model.architecture)} | backend ${backend}`);
  log(`loss and val: ${lossDescription(settings.kind)}`);

  const trained = train(values, settings, model, output, data, resume?.checkpoint);
  const { detector } = trained;
  const evaluation = data.test ? evaluateDetector(detector, data.test, model.normalLabel, model.knownLabels) : null;
  const { epochs, batchSize, lr, lrSchedule, patience, valFraction, scaler, threshold } = settings;
  saveDetector(output.out, {
    detector, trained, data, evaluation, seed: settings.seed, normalLabel: model.normalLabel, knownLabels: model.knownLabels,
    options: { epochs, batchSize, lr, lrSchedule, patience, valFraction, scaler, threshold, clipNorm: model.clipNorm, backend,
      ...(poolSplit !== null ? { poolSplit, splitSeed } : {}) },
    plots: values['no-plots'] !== true,
  });
  // The finished model supersedes its checkpoints: the one written now and the one resumed from.
  if (output.checkpointEvery || resume) removeCheckpoint(output.checkpointDir);
  if (resume && path.resolve(resume.dir) !== path.resolve(output.checkpointDir)) removeCheckpoint(resume.dir);
  printResult(trained, evaluation, data, output.out);
  if (values.json === true) process.stdout.write(JSON.stringify(runSummaryJson(trained, evaluation, data, settings, output.out, backend)) + '\n');
}

type TrainingSettings = ReturnType<typeof trainingSettings>;

/** The model kind and every optimisation flag, each checked, with the kind's defaults. */
function trainingSettings(values: Flags) {
  const kind = choiceFlag(values, 'model', MODEL_KINDS);
  const seed = intFlag(values, 'seed', { min: 0 });
  const defaults = trainingDefaults(kind);
  const epochs = values.epochs !== undefined ? intFlag(values, 'epochs', { min: 1 }) : defaults.epochs;
  const batchSize = values.batch !== undefined ? intFlag(values, 'batch', { min: 1 }) : defaults.batchSize;
  const lr = values.lr !== undefined ? numberFlag(values, 'lr', { min: 0 }) : defaults.lr;
  if (!(lr > 0)) throw new UserError('--lr must be greater than 0', 2);
  const lrSchedule = values['lr-schedule'] !== undefined ? choiceFlag(values, 'lr-schedule', LR_SCHEDULES) : defaults.lrSchedule;
  const patience = values.patience !== undefined ? intFlag(values, 'patience', { min: 0 }) : defaults.patience;
  const valFraction = values['val-fraction'] !== undefined ? numberFlag(values, 'val-fraction', { min: 0, max: 1, exclusiveMax: true }) : defaults.valFraction;
  const scaler = values.scaler !== undefined ? choiceFlag(values, 'scaler', ['standard', 'minmax'] as const) : defaults.scaler;
  if (values.threshold !== undefined && values.val !== undefined) {
    throw new UserError('give --threshold (a rule on training errors) or --val FILE (best F1 on labelled beats), not both', 2);
  }
  const threshold = typeof values.threshold === 'string' ? values.threshold : defaultThreshold(kind, valFraction > 0);
  try { parseThresholdSpec(threshold); } catch (e) { throw new UserError(`--threshold: ${(e as Error).message}`, 2); }
  checkFlagsFitModel(kind, values);
  const crossFit = values['cross-fit'] !== undefined ? intFlag(values, 'cross-fit', { min: 0 }) : null;
  if (crossFit === 1) throw new UserError('--cross-fit needs 2 or more folds (0 = off)', 2);
  const labelColumn = labelColumnFlag(values);
  if (patience > 0 && valFraction === 0) throw new UserError('early stopping (--patience > 0) needs held-out beats: set --val-fraction > 0 or --patience 0', 2);
  return { kind, seed, defaults, epochs, batchSize, lr, lrSchedule, patience, valFraction, scaler, threshold, crossFit, labelColumn };
}

/** Before training: folds the fitted beats allow, and an oof- rule only where out-of-fold errors will exist. */
function checkCrossFit(s: TrainingSettings, normalLabel: string, data: TrainingData): void {
  const normal = normalizeLabel(normalLabel);
  const fitted = fittedBeatCount(data.train.labels.filter((l) => normalizeLabel(l) === normal).length, s.valFraction);
  const folds = s.crossFit ?? crossFitFoldsFor(fitted, s.kind);
  if (folds > fitted) throw new UserError(`--cross-fit ${folds}: only ${fitted} normal beats are fitted (at most one fold per beat)`, 2);
  if (folds === 0 && readsOutOfFold(s.threshold)) {
    throw new UserError(`--threshold ${s.threshold} reads out-of-fold errors, and this run does not cross-fit (${fitted} fitted normal beats; ` +
      `train cross-fits ${CROSS_FIT_KINDS.join(' and ')} models under ${CROSS_FIT_BELOW}${s.crossFit === 0 ? ', and --cross-fit is 0' : ''}): pass --cross-fit K or another rule`, 2);
  }
}

const readsOutOfFold = (rule: string) => usesOutOfFold(parseThresholdSpec(rule));

type OutputSettings = ReturnType<typeof outputSettings>;

/** --out (a folder a save may write, holding no earlier run unless --force) and the checkpoint folder. */
function outputSettings(values: Flags, kind: string, resumedFrom: string | undefined) {
  const out = (values.out as string | undefined) ?? path.join('models', kind);
  try { checkModelFolderTarget(out); } catch (e) { throw new UserError(`--out: ${(e as Error).message}`, 2); }
  refuseEarlierRun(out, values.force === true);
  const checkpointEvery = values['checkpoint-every'] !== undefined ? intFlag(values, 'checkpoint-every', { min: 1 }) : 0;
  if (values.checkpoint !== undefined && !checkpointEvery) throw new UserError('--checkpoint DIR needs --checkpoint-every N', 2);
  const checkpointDir = typeof values.checkpoint === 'string' ? values.checkpoint : (resumedFrom ?? defaultCheckpointDir(out));
  if (checkpointEvery && path.resolve(checkpointDir) === path.resolve(out)) throw new UserError('--checkpoint must be another folder than --out', 2);
  if (checkpointEvery) refuseForeignCheckpointFile(checkpointDir, values.force === true);
  return { out, checkpointEvery, checkpointDir };
}

/** The beats: --data/--train/--val/--test (or the default folder, or synthetic), pooled and re-split with --pool-split. */
function loadRunData(values: Flags, labelColumn: TrainingSettings['labelColumn'], log: Log) {
  const poolSplit = values['pool-split'] !== undefined ? numberFlag(values, 'pool-split', { min: 0, max: 1, exclusiveMax: true }) : null;
  if (poolSplit === 0) throw new UserError('--pool-split must be greater than 0 (the test share, e.g. 0.2)', 2);
  if (values['split-seed'] !== undefined && poolSplit === null) throw new UserError('--split-seed needs --pool-split', 2);
  const splitSeed = values['split-seed'] !== undefined ? intFlag(values, 'split-seed', { min: 0 }) : 0;
  const loaded = resolveTrainingData({ data: values.data as string | undefined, train: values.train as string | undefined,
    val: values.val as string | undefined, test: values.test as string | undefined }, { labelColumn }, log);
  const data = poolSplit !== null ? pooled(loaded, poolSplit, splitSeed) : loaded;
  return { data, poolSplit, splitSeed };
}

type ModelSettings = ReturnType<typeof modelSettings>;

/** The architecture for these beats, gradient clipping, labels and the scoring method. */
function modelSettings(values: Flags, settings: TrainingSettings, data: TrainingData) {
  const { kind, defaults, seed } = settings;
  const architecture = defaultArchitecture(kind, data.train.length, {
    hidden: values.hidden !== undefined ? listFlag(values, 'hidden') : undefined,
    latent: values.latent !== undefined ? intFlag(values, 'latent', { min: 1 }) : undefined,
    beta: values.beta !== undefined ? numberFlag(values, 'beta', { min: 0 }) : undefined,
    klWarmup: values['kl-warmup'] !== undefined ? intFlag(values, 'kl-warmup', { min: 0 }) : undefined,
    kernel: values.kernel !== undefined ? oddFlag(values, 'kernel') : undefined,
    patch: values.patch !== undefined ? intFlag(values, 'patch', { min: 1 }) : undefined,
  });
  const clipNorm = values['clip-norm'] !== undefined ? numberFlag(values, 'clip-norm', { min: 0 }) : defaults.clipNorm;
  const normalLabel = typeof values['normal-label'] === 'string' ? values['normal-label'] : defaultNormalLabel(data);
  const knownLabels = checkLabels(data, normalLabel);
  const scoreSamples = values['score-samples'] !== undefined ? intFlag(values, 'score-samples', { min: 1 }) : 0;
  if (scoreSamples > 0 && kind !== 'vae') throw new UserError('--score-samples needs --model vae', 2);
  const scoring = scoreSamples > 0 ? { kind: 'monte-carlo' as const, samples: scoreSamples, seed } : { kind: 'deterministic' as const };
  return { architecture, clipNorm, normalLabel, knownLabels, scoring };
}

/** Trains with a progress bar (and checkpoints), then says what was kept. */
function train(values: Flags, s: TrainingSettings, m: ModelSettings, output: OutputSettings, data: TrainingData,
               resumeFrom: TrainerCheckpoint | undefined): TrainedDetector {
  const { out, checkpointEvery, checkpointDir } = output;
  const bar = createProgressBar({ total: s.epochs, label: 'train' });
  const trained = trainDetector(data.train, {
    architecture: m.architecture, scaler: s.scaler, epochs: s.epochs, batchSize: s.batchSize, lr: s.lr, lrSchedule: s.lrSchedule,
    patience: s.patience, valFraction: s.valFraction, threshold: s.threshold, normalLabel: m.normalLabel, seed: s.seed,
    clipNorm: m.clipNorm, scoring: m.scoring, ...(s.crossFit !== null ? { crossFitFolds: s.crossFit } : {}),
    onEpoch: (e) => bar.update(e.epoch, `loss ${e.loss.toFixed(4)}${e.valLoss !== null ? ` val ${e.valLoss.toFixed(4)}` : ''}`),
    checkpointEvery, resume: resumeFrom,
    onCheckpoint: (c) => writeCheckpoint(checkpointDir, { ...c, extra: { flags: runFlags({ ...values, out, ...defaultDataFlag(values, data) }), checkpointEvery, force: values.force === true } }),
  }, data.val);
  bar.done();
  const { training } = trained;
  process.stderr.write(`trained ${training.history.length} epochs in ${training.trainSeconds.toFixed(2)} s` +
      `${training.stoppedEarly ? ' (early stop)' : ''}; kept the weights of epoch ${training.bestEpoch}; ` +
      `${trained.counts.train} training + ${trained.counts.validation} held-out normal beats\n`);
  if (trained.crossFit) {
    process.stderr.write(`cross-fitted ${trained.crossFit.folds} extra models on the ${trained.counts.train} training beats in ` +
      `${trained.crossFit.seconds.toFixed(2)} s: out-of-fold errors saved for oof- threshold rules (the saved model is the one above)\n`);
  }
  return trained;
}

/** The threshold, the held-out false-alarm rate and the test metrics, for a person. */
function printResult(trained: TrainedDetector, evaluation: Evaluation | null, data: TrainingData, out: string): void {
  const { detector } = trained;
  const lines = [
    `threshold ${detector.threshold.value.toPrecision(5)} (${detector.threshold.method})`,
    ...(trained.heldOutFalseAlarmRate !== null ? [`held-out normal beats above it: ${(100 * trained.heldOutFalseAlarmRate).toFixed(1)}%` +
      (detector.threshold.method.includes('held-out') ? ' (the rule read these beats: an optimistic estimate)' : '')] : []),
    ...(trained.outOfFoldFalseAlarmRate !== null ? [`out-of-fold errors above it: ${(100 * trained.outOfFoldFalseAlarmRate).toFixed(1)}% ` +
      `(${trained.oofErrors!.length} training beats, each scored by a cross-fitted model that never saw it` +
      `${detector.threshold.method.includes('out-of-fold') ? '; the rule read these errors: an optimistic estimate' : ''})`] : []),
    ...(evaluation ? ['', `test: ${data.test!.source} (${data.test!.n} beats)`, formatMetricsTable(evaluation.metrics)] : ['no test file: skipped evaluation']),
    '', `saved ${out}/`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

/** --json's last line. */
function runSummaryJson(trained: TrainedDetector, evaluation: Evaluation | null, data: TrainingData, s: TrainingSettings, out: string, backend: string) {
  const { training, detector } = trained;
  return {
    model: s.kind,
    out,
    epochs: training.history.length,
    bestEpoch: training.bestEpoch,
    trainSeconds: training.trainSeconds,
    /** Training loss of the epoch whose weights were kept. */
    bestEpochLoss: training.history[training.bestEpoch - 1].loss,
    threshold: detector.threshold.value,
    thresholdMethod: detector.threshold.method,
    heldOutFalseAlarmRate: trained.heldOutFalseAlarmRate,
    outOfFoldFalseAlarmRate: trained.outOfFoldFalseAlarmRate,
    crossFit: trained.crossFit,
    seed: s.seed,
    backend,
    data: data.description,
    ...(evaluation ? { metrics: evaluation.metrics } : {}),
  };
}

/** Runs are kept: an earlier run in --out is replaced only with --force (said before any training time is spent). */
function refuseEarlierRun(out: string, force: boolean): void {
  if (force) return;
  let earlier;
  try { earlier = summarizeRun(out, out); } catch (e) { throw new UserError(`--out: ${(e as Error).message}`, 2); }
  if (earlier) {
    throw new UserError(`--out: "${out}" already holds a run, a ${describeRun(earlier)}: refusing to replace it. ` +
      'Pass --force to replace it, or choose another --out to keep both (npm run runs lists them side by side)', 2);
  }
}

/** A checkpoint replaces only a checkpoint: a user's file in its place is kept unless --force (a folder named by a file, always). */
function refuseForeignCheckpointFile(dir: string, force: boolean): void {
  const conflict = checkpointTargetConflict(dir);
  if (conflict === null) return;
  const isFile = fs.existsSync(dir) && !fs.statSync(dir).isDirectory();
  if (force && !isFile) return;
  throw new UserError(`--checkpoint: ${conflict}: refusing to write a checkpoint over it. ` +
    (isFile ? 'Name a folder' : 'Choose another --checkpoint folder, or pass --force to replace it'), 2);
}

/** --pool-split: the train (+ test) beats pooled and split again with a seed; the new test part is evaluated. */
function pooled(data: TrainingData, testFraction: number, splitSeed: number): TrainingData {
  if (data.synthetic) throw new UserError('--pool-split needs real data: pass --data DIR or --train FILE', 2);
  const split = pooledSplit(data.train, data.test, testFraction, splitSeed);
  return { ...data, train: split.train, test: split.test,
    description: `${split.train.source}: ${split.train.n} beats; ${split.test.source}: ${split.test.n} beats` };
}

/** Flags that only shape output or checkpointing: a resumed run may change them. */
const RESUME_FREE_FLAGS = new Set(['resume', 'json', 'no-plots', 'checkpoint-every', 'checkpoint', 'force']);

/** The data folder a run without --data/--train found in the working directory, as a flag (so a resume elsewhere reads it too). */
function defaultDataFlag(values: Record<string, string | boolean | undefined>, data: TrainingData): { data?: string } {
  return values.data === undefined && values.train === undefined && !data.synthetic ? { data: DEFAULT_DATA_DIR } : {};
}

/** Flags naming files: stored absolute, so a run resumed from another directory reads and writes the same ones. */
const PATH_FLAGS = new Set(['data', 'train', 'val', 'test', 'out']);

/** The flags that decide a run's result: what a checkpoint stores and a resumed run must keep. */
function runFlags(values: Record<string, string | boolean | undefined>): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  for (const [k, v] of Object.entries(values)) {
    if (v !== undefined && !RESUME_FREE_FLAGS.has(k)) out[k] = PATH_FLAGS.has(k) && typeof v === 'string' ? path.resolve(v) : v;
  }
  return out;
}

/**
 * --resume DIR: reads the checkpoint and returns the flags to run with: the checkpointed run's,
 * plus the output-only ones given now. A result-deciding flag given now with another value than
 * the checkpoint's is refused, also when it equals the default (`--seed 0` for a run started
 * with `--seed 1`); one left out now (filled with its default by the parser) is not compared.
 */
function resumeRun(given: Record<string, string | boolean | undefined>, passed: ReadonlySet<string>, log: (msg: string) => void) {
  // The folder, also when the checkpoint file itself is named: later checkpoints go to that folder.
  const named = given.resume as string;
  const dir = fs.existsSync(named) && fs.statSync(named).isFile() ? path.dirname(named) : named;
  let checkpoint;
  try { checkpoint = readCheckpoint(dir); } catch (e) { throw new UserError(`--resume: ${(e as Error).message}`); }
  const extra = checkpoint.extra as { flags?: Record<string, string | boolean>; checkpointEvery?: unknown } | undefined;
  const flags = extra?.flags;
  if (!flags || typeof flags !== 'object') throw new UserError(`--resume: ${dir}: the checkpoint holds no training flags (not written by train)`);
  for (const [k, v] of Object.entries(given)) {
    const there = flags[k];
    const same = PATH_FLAGS.has(k) && typeof v === 'string' ? there === path.resolve(v) : there === v;
    if (v === undefined || !passed.has(k) || RESUME_FREE_FLAGS.has(k) || same) continue;
    throw new UserError(`--resume continues the run as it was started: --${k} was ${there === undefined ? 'not given (its default)' : JSON.stringify(there)} there, ` +
      `${JSON.stringify(v)} here (leave it out)`, 2);
  }
  const values: Record<string, string | boolean | undefined> = { ...flags };
  for (const k of RESUME_FREE_FLAGS) if (given[k] !== undefined) values[k] = given[k];
  // Keep checkpointing as the interrupted run did, into the same folder, unless told otherwise.
  if (given['checkpoint-every'] === undefined && Number.isSafeInteger(extra?.checkpointEvery)) values['checkpoint-every'] = String(extra!.checkpointEvery);
  // A run started with --force resumes with it: its --out still holds the run it replaces.
  if (given.force === undefined && (extra as { force?: unknown } | undefined)?.force === true) values.force = true;
  log(`resuming ${dir} after epoch ${checkpoint.epoch}`);
  return { dir, checkpoint, values };
}

/** Flags that shape one kind of model are errors with another, rather than silently ignored. */
const FLAG_KINDS: Record<string, readonly string[]> = {
  latent: ['vae', 'lstm', 'conv'], beta: ['vae'], 'kl-warmup': ['vae'], 'score-samples': ['vae'],
  kernel: ['conv'], patch: ['lstm'], 'clip-norm': ['dense', 'vae', 'lstm', 'conv'],
};

function checkFlagsFitModel(kind: string, values: Record<string, string | boolean | undefined>): void {
  for (const [flag, kinds] of Object.entries(FLAG_KINDS)) {
    if (values[flag] !== undefined && !kinds.includes(kind)) {
      throw new UserError(`--${flag} applies to --model ${kinds.join('/')}, not ${kind}`, 2);
    }
  }
  if (kind === 'lstm' && typeof values.hidden === 'string' && values.hidden.includes(',')) {
    throw new UserError('--hidden for lstm is one number (the LSTM state size), e.g. --hidden 32', 2);
  }
}

function oddFlag(values: Record<string, string | boolean | undefined>, name: string): number {
  const v = intFlag(values, name, { min: 1 });
  if (v % 2 !== 1) throw new UserError(`--${name} must be odd (so padding keeps the length), got ${v}`, 2);
  return v;
}

/**
 * The normal label when --normal-label is not given: the format's own (ECG5000 and ecg.csv: 1,
 * the PTB folder: 0), else 1 (UCR's convention). With labels 0 and 1 only and no format that
 * says which is normal, 1 is a guess that is wrong half the time (PTB and the TensorFlow
 * tutorial disagree), and a wrong guess trains on the abnormal class: ask instead.
 */
function defaultNormalLabel(data: TrainingData): string {
  if (data.train.normalLabel !== undefined) return data.train.normalLabel;
  const labels = new Set([data.train, data.test, data.val].flatMap((set) => (set ? set.labels.map(normalizeLabel) : [])));
  if (labels.size === 2 && labels.has('0') && labels.has('1')) {
    throw new UserError(`${data.train.source}: the labels are 0 and 1, and which one is normal is ambiguous ` +
      '(Kaggle PTB uses 0 = normal, the TensorFlow ECG tutorial 1 = normal): pass --normal-label 0 or --normal-label 1', 2);
  }
  return '1';
}

/**
 * Checks the labels before any training time is spent. Returns the classes a test file may
 * hold: those of the training file, or any when the training file holds only normal beats.
 */
function checkLabels(data: TrainingData, normalLabel: string): string[] | undefined {
  const trainLabels = [...new Set(data.train.labels)];
  const onlyNormal = trainLabels.every((l) => normalizeLabel(l) === normalizeLabel(normalLabel));
  const known = onlyNormal ? undefined : trainLabels;
  for (const set of [data.test, data.val]) {
    if (!set) continue;
    binaryLabels(set, normalLabel, known); // throws, naming the beat and label
    if (!set.labels.some((l) => normalizeLabel(l) === normalizeLabel(normalLabel))) {
      throw new UserError(`${set.source}: no beat has the normal label "${normalLabel}"; check --normal-label`);
    }
  }
  return known;
}

void runCommand(trainSpec, main);
