// What GET /model tells a client, picked field by field from a model folder's manifest: what
// the model is and how good it was, never where it lives on the server's disk.

export interface ModelInfo {
  kind: string;
  inputLength: number;
  threshold: { value: number; method: string };
  scoring: unknown;
  architecture: unknown;
  /** Test metrics recorded at training time (null when trained without a test file). */
  metrics: unknown;
  training: { epochs: unknown; stoppedEarly: unknown; trainErrors: unknown; heldOutFalseAlarmRate: unknown } | null;
  createdWith: unknown;
  /** This service's own limits, so a client can split a large file into requests. */
  limits: { maxBeatsPerRequest: number; maxBodyBytes: number };
}

export function modelInfoFromManifest(manifest: Record<string, any>, limits: ModelInfo['limits']): ModelInfo {
  const t = manifest.training;
  return {
    kind: String(manifest.architecture?.kind),
    inputLength: Number(manifest.architecture?.length),
    threshold: { value: Number(manifest.threshold?.value), method: String(manifest.threshold?.method) },
    scoring: manifest.scoring ?? { kind: 'deterministic' },
    architecture: manifest.architecture ?? null,
    metrics: manifest.metrics ?? null,
    training: t ? { epochs: t.epochs ?? null, stoppedEarly: t.stoppedEarly ?? null, trainErrors: t.trainErrors ?? null,
      heldOutFalseAlarmRate: t.heldOutFalseAlarmRate ?? null } : null,
    createdWith: manifest.createdWith ?? null,
    limits,
  };
}
