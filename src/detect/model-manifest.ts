// The manifest.json of a model folder: its layout version, its one schema (valibot), and error
// messages that name where the manifest came from, the field path and what was expected.
// Runtime-agnostic: no Node API. The architecture part comes from the model specs passed in,
// so a dense-only embedding validates (and bundles) only the dense kind.

import * as v from 'valibot';
import type { ModelSpec } from '../autoencoders/model-spec.ts';
import type { ScoringMethod, ThresholdInfo } from './threshold-info.ts';
import type { Architecture } from '../autoencoders/autoencoder.ts';
import { sha256Hex } from '../io/sha256.ts';
import { utf8Encode } from '../io/utf8.ts';

/** The manifest layout this code writes and reads. Bump it when the layout changes. */
export const MODEL_FORMAT_VERSION = 1;
/** Written into every manifest this program saves: only such a folder may ever be replaced. */
export const WRITTEN_BY = 'cardiograd';

export const MANIFEST_FILE = 'manifest.json';
export const WEIGHTS_FILE = 'weights.safetensors';

export interface ModelManifest {
  formatVersion: number;
  writtenBy?: string;
  architecture: Architecture;
  /** Checked in full by scalerFromJSON (kind, length, per-timestep arrays). */
  scaler: { kind: string; length: number; [key: string]: unknown };
  threshold: ThresholdInfo;
  scoring?: ScoringMethod;
  normalLabel?: string;
  knownLabels?: string[] | null;
  /** name -> shape of every tensor in weights.safetensors. */
  tensors: Record<string, number[]>;
  /** SHA-256 (hex) of weights.safetensors; optional in hand-made folders. */
  weightsSha256?: string;
  /** SHA-256 of the fields scores depend on (see scoringDigest); optional in hand-made folders. */
  scoringSha256?: string;
  [key: string]: unknown;
}

const finiteNumber = (what: string) => v.pipe(v.number(`expected ${what}`), v.finite(`expected ${what}`));
const obj = <T extends v.ObjectEntries>(entries: T) => v.looseObject(entries, 'expected an object');

const scoringSchema = v.variant('kind', [
  v.object({ kind: v.literal('deterministic') }, 'expected an object'),
  v.object({
    kind: v.literal('monte-carlo'),
    samples: v.pipe(v.number('expected an integer from 1 to 10000'), v.integer('expected an integer from 1 to 10000'),
      v.minValue(1, 'expected an integer from 1 to 10000'), v.maxValue(10000, 'expected an integer from 1 to 10000')),
    seed: finiteNumber('a finite number'),
  }, 'expected an object'),
], 'expected {"kind": "deterministic"} or {"kind": "monte-carlo", "samples": N, "seed": S}');

const dimension = v.pipe(v.number('expected a non-negative integer'), v.safeInteger('expected a non-negative integer'),
  v.minValue(0, 'expected a non-negative integer'));

const hex64 = v.pipe(v.string('expected 64 lower-case hex digits'), v.regex(/^[0-9a-f]{64}$/, 'expected 64 lower-case hex digits'));

const schemas = new WeakMap<readonly ModelSpec<any>[], v.GenericSchema<unknown, ModelManifest>>();

/** The whole manifest's schema for these model kinds (built once per list of specs). */
export function manifestSchema(specs: readonly ModelSpec<any>[]): v.GenericSchema<unknown, ModelManifest> {
  let schema = schemas.get(specs);
  if (schema) return schema;
  const kinds = specs.map((s) => JSON.stringify(s.kind)).join(', ');
  schema = obj({
    formatVersion: v.literal(MODEL_FORMAT_VERSION, `expected ${MODEL_FORMAT_VERSION}`),
    writtenBy: v.optional(v.string('expected a string')),
    architecture: v.variant('kind', specs.map((s) => s.architectureSchema) as any,
      `expected an object whose "kind" is one of ${kinds}`),
    scaler: obj({
      kind: v.picklist(['standard', 'minmax'], 'expected "standard" or "minmax"'),
      length: v.pipe(v.number('expected a positive integer'), v.integer('expected a positive integer'), v.minValue(1, 'expected a positive integer')),
    }),
    threshold: obj({ value: finiteNumber('a finite number'), method: v.string('expected a string') }),
    scoring: v.optional(scoringSchema),
    normalLabel: v.optional(v.string('expected a string')),
    knownLabels: v.nullish(v.array(v.string('expected a string'), 'expected an array of strings or null')),
    tensors: v.pipe(
      v.unknown(),
      v.check((o) => o !== null && typeof o === 'object' && !Array.isArray(o), 'expected an object of tensor name -> shape'),
      v.record(v.string(), v.array(dimension, 'expected a shape: an array of non-negative integers'), 'expected an object of tensor name -> shape')),
    weightsSha256: v.optional(hex64),
    scoringSha256: v.optional(hex64),
  }) as unknown as v.GenericSchema<unknown, ModelManifest>;
  schemas.set(specs, schema);
  return schema;
}

/**
 * Validates a parsed manifest; throws `${where}: ...` naming the field and what was expected.
 * The format version is checked first, with advice on which side to upgrade.
 */
export function parseManifest(json: unknown, specs: readonly ModelSpec<any>[], where: string): ModelManifest {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new Error(`${where}: expected a JSON object, got ${preview(json)}`);
  const version = (json as Record<string, unknown>).formatVersion;
  if (typeof version !== 'number') throw new Error(`${where}: field "formatVersion": expected a number, got ${preview(version)}`);
  if (version > MODEL_FORMAT_VERSION) {
    throw new Error(`${where}: formatVersion ${version} is newer than this cardiograd supports (${MODEL_FORMAT_VERSION}); upgrade cardiograd`);
  }
  if (version !== MODEL_FORMAT_VERSION) {
    throw new Error(`${where}: formatVersion ${version} is older than this cardiograd supports (${MODEL_FORMAT_VERSION}); retrain or convert the model`);
  }
  const result = v.safeParse(manifestSchema(specs), json, { abortEarly: true });
  if (!result.success) throw new Error(`${where}: ${describeIssue(result.issues[0])}`);
  return result.output;
}

/** `field "architecture.hidden[1]": expected a positive integer, got -2` */
export function describeIssue(issue: v.BaseIssue<unknown>): string {
  const keys = (issue.path ?? []).map((p) => p.key as string | number);
  const field = keys.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
  // valibot reports a missing key as an issue of the object around it, input undefined.
  if (issue.input === undefined && keys.length > 0 && /object$/.test(issue.type)) return `field "${field}" is missing`;
  return `${field ? `field "${field}"` : 'manifest'}: ${issue.message}, got ${preview(issue.input)}`;
}

/** A value as it appears in the file, shortened. */
export function preview(x: unknown): string {
  if (x === undefined) return 'nothing';
  let s: string;
  try { s = JSON.stringify(x) ?? String(x); } catch { s = String(x); }
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/**
 * The manifest fields scores and flags depend on. Their digest (scoringSha256) catches a
 * corrupted manifest that still parses, e.g. one digit changed in a scaler mean: without it,
 * such a model would load and answer with different scores. A hand edit removes the field.
 */
export const SCORING_FIELDS = ['formatVersion', 'architecture', 'scaler', 'threshold', 'scoring', 'normalLabel',
  'knownLabels', 'tensors', 'weightsSha256'] as const;

/** SHA-256 of the canonical JSON (sorted keys, no spaces) of the SCORING_FIELDS present in `m`. */
export function scoringDigest(m: Record<string, unknown>): string {
  const picked: Record<string, unknown> = {};
  for (const k of SCORING_FIELDS) if (m[k] !== undefined) picked[k] = m[k];
  return sha256Hex(utf8Encode(canonicalJson(picked)));
}

function canonicalJson(x: unknown): string {
  if (Array.isArray(x)) return `[${x.map(canonicalJson).join(',')}]`;
  if (x !== null && typeof x === 'object') {
    const o = x as Record<string, unknown>;
    return `{${Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(x) ?? 'null';
}
