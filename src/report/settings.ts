// The run's settings as report rows, read from a model manifest (the object `train` saves), so
// two reports can be compared: every field is optional and shown as "not recorded" when absent
// (older models, or fields a later format moves).

type Manifest = Record<string, any>;

const show = (v: unknown): string => (v === undefined || v === null ? 'not recorded' : typeof v === 'object' ? JSON.stringify(v) : String(v));

export function reportSettings(m: Manifest): [string, string][] {
  const o = m.training?.options ?? {};
  const files: { name?: string; sha256?: string }[] = Array.isArray(m.data?.files) ? m.data.files : [];
  const seconds = m.training?.trainSeconds;
  return [
    ['learning rate', show(o.lr)],
    ['lr schedule', show(o.lrSchedule)],
    ['batch size', show(o.batchSize)],
    ['seed', show(m.seed)],
    ['epochs (limit / run)', `${show(o.epochs)} / ${show(m.training?.epochs)}`],
    ['patience', show(o.patience)],
    ['validation fraction', show(o.valFraction)],
    ['scaler', show(o.scaler)],
    ['threshold rule', show(o.threshold)],
    ['backend', show(o.backend)],
    ['training time', typeof seconds === 'number' && Number.isFinite(seconds) ? `${seconds.toFixed(1)} s` : 'not recorded'],
    ...(files.length ? files.map((f): [string, string] => [`data ${show(f.name)} sha256`, show(f.sha256)]) : [['data checksum', 'not recorded'] as [string, string]]),
    ['written by', show(m.createdWith ?? m.writtenBy)],
  ];
}
