// One validation path for a model's two parts (issue 10 items 1-3, issue 13 item 4): every case
// is refused with a message naming the part, the field and what was expected, both through
// detectorFromParts (the embedding entry) and through a model folder on disk.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { denseSpec } from '../../src/autoencoders/dense.ts';
import { detectorForKinds, detectorFromParts } from '../../src/detect/detector.ts';
import { loadModelFolder } from '../../src/detect/model-folder-node.ts';
import { saveTwoFileFolder } from '../io/two-file-model.ts';
import { decodeSafetensors, encodeSafetensors, type TensorMap } from '../../src/io/safetensors.ts';
import { sha256Hex } from '../../src/io/sha256.ts';
import { sampleBeats, smallManifest, smallTensors } from '../io/small-model.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cardiograd-check-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

// A folder's two parts (the older layout), as a page would fetch them.
const saved = path.join(root, 'good');
saveTwoFileFolder(saved, smallManifest(), smallTensors());
const manifestJson = () => JSON.parse(fs.readFileSync(path.join(saved, 'manifest.json'), 'utf8'));
const weightBytes = () => new Uint8Array(fs.readFileSync(path.join(saved, 'weights.safetensors')));
const tensors = (): TensorMap => decodeSafetensors(weightBytes()).tensors;

/** A folder holding `manifest` and `weights` as given (bypassing saveModelFolder), for the loader. */
let n = 0;
function folderWith(manifest: unknown, weights: Uint8Array = weightBytes()): string {
  const dir = path.join(root, `case-${n++}`);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
  fs.writeFileSync(path.join(dir, 'weights.safetensors'), weights);
  return dir;
}

/** Both paths refuse the case with `pattern`; the folder path also names the file. */
function refusedBoth(manifest: unknown, weights: Uint8Array, pattern: RegExp, file: 'manifest.json' | 'weights.safetensors') {
  expect(() => detectorFromParts(manifest, null, { bytes: weights })).toThrow(pattern);
  const dir = folderWith(manifest, weights);
  let message = '';
  try { loadModelFolder(dir); } catch (e) { message = (e as Error).message; }
  expect(message).toMatch(pattern);
  expect(message).toContain(path.join(dir, file));
}

/** The weights with tensor `name`'s value at `index` replaced, and the manifest's checksum updated. */
function withWeight(name: string, index: number, value: number): { manifest: any; weights: Uint8Array } {
  const t = tensors();
  t[name].data[index] = value;
  const weights = encodeSafetensors(t);
  return { manifest: { ...manifestJson(), weightsSha256: sha256Hex(weights) }, weights };
}

describe('the valid parts load both ways, with the same scores', () => {
  it('detectorFromParts (tensors, or bytes) and loadModelFolder agree', () => {
    const a = detectorFromParts(manifestJson(), tensors()).detect(sampleBeats, 5);
    const b = detectorFromParts(manifestJson(), null, { bytes: weightBytes() }).detect(sampleBeats, 5);
    const c = detectorForKinds([denseSpec], manifestJson(), tensors()).detect(sampleBeats, 5);
    expect(Array.from(b.scores)).toEqual(Array.from(a.scores));
    expect(Array.from(c.scores)).toEqual(Array.from(a.scores));
    expect(loadModelFolder(saved).tensors).toEqual(tensors());
    expect(a.scores.every(Number.isFinite)).toBe(true);
  });

  it("a loaded folder's manifest and tensors pass detectorFromParts again, also after structuredClone (a worker)", () => {
    const { manifest, tensors: t } = loadModelFolder(saved);
    expect(manifest.scoringSha256).toMatch(/^[0-9a-f]{64}$/);
    const again = detectorFromParts(structuredClone(manifest), structuredClone(t)).detect(sampleBeats, 5);
    expect(Array.from(again.scores)).toEqual(Array.from(detectorFromParts(manifestJson(), tensors()).detect(sampleBeats, 5).scores));
  });
});

describe('item 1: non-finite weights are refused at load', () => {
  for (const [name, index, value] of [['decoder.2.bias', 3, NaN], ['encoder.0.weight', 5, NaN], ['decoder.0.weight', 0, Infinity], ['encoder.2.bias', 1, -Infinity]] as const) {
    it(`${value} in ${name}[${index}], checksum recomputed`, () => {
      const { manifest, weights } = withWeight(name, index, value);
      refusedBoth(manifest, weights, new RegExp(`tensor "${name.replace(/\./g, '\\.')}" holds ${value} at index ${index} .*non-finite weights`), 'weights.safetensors');
    });
  }

  it('NaN with the optional checksum removed, and NaN in tensors handed in directly', () => {
    const { manifest, weights } = withWeight('decoder.2.bias', 0, NaN);
    delete manifest.weightsSha256;
    refusedBoth(manifest, weights, /tensor "decoder\.2\.bias" holds NaN at index 0/, 'weights.safetensors');
    const t = tensors();
    t['encoder.0.weight'].data[7] = NaN;
    expect(() => detectorFromParts(manifestJson(), t)).toThrow(/^weights: tensor "encoder\.0\.weight" holds NaN at index 7/);
  });
});

describe('item 2: shapes are checked against the architecture before anything is allocated', () => {
  it('hidden: [2000000, 32, 16] is refused in milliseconds (it used to build a 2.8 GB model)', () => {
    const manifest = { ...manifestJson(), architecture: { kind: 'dense', length: 8, hidden: [2_000_000, 32, 16] } };
    const t0 = performance.now();
    refusedBoth(manifest, weightBytes(), /field "tensors": "encoder\.0\.weight" has shape \[4, 8\], the architecture needs \[2000000, 8\]/, 'manifest.json');
    expect(performance.now() - t0).toBeLessThan(2000); // generous for a loaded machine; the old code took ~54 s
  });

  it('a tensor list that matches a huge architecture is still refused by the weights file', () => {
    const arch = { kind: 'dense', length: 8, hidden: [2_000_000] };
    const list = denseSpec.parameterShapes(arch as any);
    refusedBoth({ ...manifestJson(), architecture: arch, tensors: list }, weightBytes(),
      /checksum mismatch|missing tensor|has shape/, 'weights.safetensors');
  });
});

describe('item 3: every manifest field the loader reads is validated', () => {
  const cases: [string, (m: any) => void, RegExp][] = [
    ['scoring kind "bogus"', (m) => { m.scoring = { kind: 'bogus' }; }, /field "scoring\.kind": expected \{"kind": "deterministic"\} or \{"kind": "monte-carlo".*got "bogus"/],
    ['kind "vae" on dense weights', (m) => { m.architecture = { ...m.architecture, kind: 'vae' }; }, /field "architecture\.latent" is missing/],
    ['kind "vae", complete, on dense weights', (m) => { m.architecture = { ...m.architecture, kind: 'vae', latent: 2, beta: 1, klWarmup: 0 }; },
      /field "tensors": "encoder\.2\.weight" is not a parameter of this architecture \(vae\)|field "tensors": "mu\.weight" is missing/],
    ['hidden missing', (m) => { delete m.architecture.hidden; }, /field "architecture\.hidden" is missing/],
    ['hidden a string', (m) => { m.architecture.hidden = '4,2'; }, /field "architecture\.hidden": expected an array of positive integers, got "4,2"/],
    ['hidden with a negative size', (m) => { m.architecture.hidden = [4, -2]; }, /field "architecture\.hidden\[1\]": expected a positive integer, got -2/],
    ['knownLabels "1"', (m) => { m.knownLabels = '1'; }, /field "knownLabels": expected an array of strings or null, got "1"/],
    ['unknown kind', (m) => { m.architecture.kind = 'transformer'; }, /field "architecture\.kind": expected an object whose "kind" is one of "dense", "vae", "lstm", "conv", got "transformer"/],
    ['threshold a string', (m) => { m.threshold = '0.5'; }, /field "threshold": expected an object, got "0\.5"/],
    ['threshold value null', (m) => { m.threshold.value = null; }, /field "threshold\.value": expected a finite number, got null/],
    ['scaler of the wrong length', (m) => { m.scaler.length = 9; }, /scaler: fitted on beats of length 9, but the model expects 8/],
    ['scaler std with a zero', (m) => { m.scaler.std[2] = 0; }, /scaler: "std"\[2\] = 0 is not a positive finite number/],
    ['Monte-Carlo scoring on a dense model', (m) => { m.scoring = { kind: 'monte-carlo', samples: 4, seed: 1 }; }, /field "scoring": Monte-Carlo scoring needs a model that samples \(vae\), this is a dense model/],
    ['tensors a list', (m) => { m.tensors = []; }, /field "tensors": expected an object of tensor name -> shape/],
    ['weightsSha256 not hex', (m) => { m.weightsSha256 = 'abc'; }, /field "weightsSha256": expected 64 lower-case hex digits, got "abc"/],
    ['a manifest that is an array', (m) => { m.length = 0; }, /expected a JSON object/],
  ];
  for (const [name, mutate, pattern] of cases) {
    it(name, () => {
      let manifest = manifestJson();
      if (name === 'a manifest that is an array') manifest = [];
      else mutate(manifest);
      refusedBoth(manifest, weightBytes(), pattern, 'manifest.json');
    });
  }
});

describe('issue 13, item 4: detectorFromParts validates what a folder load validates', () => {
  it('formatVersion 99', () => {
    expect(() => detectorFromParts({ ...manifestJson(), formatVersion: 99 }, tensors()))
      .toThrow('manifest: formatVersion 99 is newer than this cardiograd supports (1); upgrade cardiograd');
  });

  it('a wrong shape', () => {
    const t = tensors();
    t['decoder.0.weight'] = { shape: [2, 4], data: t['decoder.0.weight'].data };
    expect(() => detectorFromParts(manifestJson(), t)).toThrow('weights: tensor "decoder.0.weight" has shape [2, 4], manifest says [4, 2]');
  });

  it('a NaN weight', () => {
    const t = tensors();
    t['decoder.2.bias'].data[0] = NaN;
    expect(() => detectorFromParts(manifestJson(), t)).toThrow(/weights: tensor "decoder\.2\.bias" holds NaN at index 0/);
  });

  it('a flipped byte, with the bytes given (against the manifest, or against the caller\'s sha256)', () => {
    const bytes = weightBytes();
    bytes[bytes.length - 5] ^= 0x10;
    expect(() => detectorFromParts(manifestJson(), null, { bytes })).toThrow(/^weights: checksum mismatch: .* weightsSha256 in manifest says [0-9a-f]{64}/);
    const { weightsSha256: _, ...noSum } = manifestJson();
    expect(() => detectorFromParts(noSum, null, { bytes, sha256: manifestJson().weightsSha256 })).toThrow(/^weights: checksum mismatch: .*the caller expects/);
    expect(() => detectorFromParts(manifestJson(), tensors(), { sha256: manifestJson().weightsSha256 })).toThrow(/a sha256 was given but not the weights' bytes/);
  });

  it('bytes and tensors that disagree; tensors that are not Float32Arrays', () => {
    const t = tensors();
    t['encoder.0.bias'].data[1] += 1;
    expect(() => detectorFromParts(manifestJson(), t, { bytes: weightBytes() })).toThrow(/the tensors given differ from the bytes given \(tensor "encoder\.0\.bias", index 1\)/);
    const u: any = tensors();
    u['encoder.0.bias'] = { shape: [4], data: [1, 2, 3, 4] };
    expect(() => detectorFromParts(manifestJson(), u)).toThrow(/tensor "encoder\.0\.bias": expected \{shape, data: Float32Array\}/);
  });

  it('a dense-only page refuses other kinds, naming the kinds it knows', () => {
    const m = { ...manifestJson(), architecture: { kind: 'vae', length: 8, hidden: [4], latent: 2, beta: 1, klWarmup: 0 } };
    expect(() => detectorForKinds([denseSpec], m, tensors())).toThrow(/field "architecture\.kind": expected an object whose "kind" is one of "dense", got "vae"/);
  });
});

describe('scoringSha256: a manifest that still parses but was changed', () => {
  it('one scaler mean changed is refused; without the field, the edit is accepted', () => {
    const m = manifestJson();
    m.scaler.mean[2] += 0.001;
    refusedBoth(m, weightBytes(), /field "scoringSha256": the fields scores depend on .* do not match their checksum/, 'manifest.json');
    delete m.scoringSha256;
    expect(detectorFromParts(m, tensors()).scaler.offset[2]).toBeCloseTo(0.201, 6);
  });

  it('fields scores do not depend on (training notes) can change freely', () => {
    const m = { ...manifestJson(), createdWith: 'someone else', metrics: { rocAuc: 1 } };
    expect(() => detectorFromParts(m, tensors())).not.toThrow();
  });
});
