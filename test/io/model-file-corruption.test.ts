// Property: any corruption of model.safetensors (bytes flipped anywhere, header included; the file
// truncated; a top-level manifest field inside the metadata removed or replaced, with the checksums
// left alone) ends in a clear Error naming the file, or in the original scores: never a
// TypeError/RangeError trace or an answer that differs silently. Through the folder loader and
// through detectorFromModelFile (the bytes a page fetches).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { detectorFromChecked, detectorFromModelFile } from '../../src/detect/detector.ts';
import { encodeModelFile, MANIFEST_KEY } from '../../src/detect/model-file.ts';
import { loadModelFolder, saveModelFolder } from '../../src/detect/model-folder-node.ts';
import { decodeSafetensors } from '../../src/io/safetensors.ts';
import { sampleBeats, smallManifest, smallTensors } from './small-model.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cardiograd-file-fuzz-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

saveModelFolder(path.join(root, 'good'), smallManifest(), smallTensors());
const good = new Uint8Array(fs.readFileSync(path.join(root, 'good', 'model.safetensors')));
const original = detectorFromChecked(loadModelFolder(path.join(root, 'good'))).detect(sampleBeats, 5);
const caseDir = path.join(root, 'case');
fs.mkdirSync(caseDir);
const caseFile = path.join(caseDir, 'model.safetensors');

/** Loads the bytes both ways; throws (failing the property) on a crash trace or a silent change. */
function attempt(bytes: Uint8Array): 'refused' | 'original' {
  fs.writeFileSync(caseFile, bytes);
  const outcomes = new Set<string>();
  for (const make of [() => detectorFromChecked(loadModelFolder(caseDir)), () => detectorFromModelFile(bytes)]) {
    let detector;
    try {
      detector = make();
    } catch (e) {
      if (!(e instanceof Error) || e.constructor !== Error) throw new Error(`crash trace, not a refusal: ${(e as Error)?.stack}`);
      if (!e.message.includes('model.safetensors')) throw new Error(`message does not name the file: ${e.message}`);
      outcomes.add('refused');
      continue;
    }
    const d = detector.detect(sampleBeats, 5);
    const same = Array.from(d.scores).every((s, b) => Object.is(s, original.scores[b])) && d.flags.every((f, b) => f === original.flags[b]);
    if (!same) throw new Error(`loaded with different scores: ${Array.from(d.scores)} vs ${Array.from(original.scores)}`);
    outcomes.add('original');
  }
  if (outcomes.size !== 1) throw new Error(`the two loaders disagree: ${[...outcomes]}`);
  return [...outcomes][0] as 'refused' | 'original';
}

const params = { numRuns: 150, seed: 20261203 };

describe('random corruptions of model.safetensors end in a clear refusal or the original scores', () => {
  it('the untouched file gives the original scores; an edited threshold is refused (the property can tell)', () => {
    expect(attempt(good)).toBe('original');
    const { tensors, metadata } = decodeSafetensors(good);
    const m = JSON.parse(metadata[MANIFEST_KEY]);
    expect(attempt(encodeModelFile({ ...m, threshold: { value: 1e-9, method: 'x' } }, tensors))).toBe('refused');
  });

  it('bytes flipped anywhere (length prefix, header JSON, manifest text, tensor data)', () => {
    fc.assert(fc.property(fc.array(fc.record({ at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }), { minLength: 1, maxLength: 4 }), (fl) => {
      const bytes = good.slice();
      for (const { at, xor } of fl) bytes[at % bytes.length] ^= xor;
      attempt(bytes);
    }), params);
  });

  it('the file truncated at any length', () => {
    fc.assert(fc.property(fc.nat({ max: good.length - 1 }), (n) => { expect(attempt(good.subarray(0, n))).toBe('refused'); }), params);
  });

  it('a top-level manifest field removed or replaced by any JSON value, checksums left as they were', () => {
    const { tensors, metadata } = decodeSafetensors(good);
    const manifest = JSON.parse(metadata[MANIFEST_KEY]);
    const keys = Object.keys(manifest);
    fc.assert(fc.property(fc.nat(), fc.oneof(fc.constant(undefined), fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(0, -1, 1e300, 2_000_000, '', null)), (k, value) => {
      const m = { ...manifest, [keys[k % keys.length]]: value };
      attempt(encodeModelFile(m, tensors));
    }), params);
  });
});
