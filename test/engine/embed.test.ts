// The embedding path a browser or edge worker takes, through src/index.ts only: the bytes of a
// model folder's model.safetensors in, anomaly scores out; and the same from its two parts
// (manifest from the metadata, tensors decoded), as an older two-file embedder does.

import { readFileSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeSafetensors, detectorFromModelFile, detectorFromParts } from '../../src/index.ts';
import { ECG5000_DIR, runCli } from '../helpers/cli.ts';

describe('embedding the scoring core', () => {
  it('scores beats from the raw bytes of a model folder, like the CLI does', () => {
    const model = path.join(mkdtempSync(path.join(os.tmpdir(), 'cardiograd-embed-')), 'dense');
    expect(runCli('train', ['--data', ECG5000_DIR, '--epochs', '3', '--no-plots', '--out', model]).code).toBe(0);
    // What fetch() would give a page: text and bytes.
    const bytes = new Uint8Array(readFileSync(path.join(model, 'model.safetensors')));
    const detector = detectorFromModelFile(bytes);
    const { tensors, metadata } = decodeSafetensors(bytes);
    const manifest = JSON.parse(metadata['cardiograd.manifest']);
    expect(Array.from(detectorFromParts(manifest, tensors).detect(new Float32Array(140), 1).scores))
      .toEqual(Array.from(detector.detect(new Float32Array(140), 1).scores));

    const lines = readFileSync(path.join(ECG5000_DIR, 'ECG5000_TEST.txt'), 'utf8').split('\n').slice(0, 20);
    const beats = Float32Array.from(lines.flatMap((l) => l.trim().split(/\s+/).slice(1).map(Number)));
    const { scores, flags, threshold } = detector.detect(beats, 20);
    expect(threshold).toBe(manifest.threshold.value);
    const cli = runCli('detect', ['--model', model, path.join(ECG5000_DIR, 'ECG5000_TEST.txt'), '--json']);
    expect(Array.from(scores)).toEqual(cli.json.beats.slice(0, 20).map((b: { score: number }) => b.score));
    expect(Array.from(flags, (f) => f === 1)).toEqual(cli.json.beats.slice(0, 20).map((b: { flag: boolean }) => b.flag));
  });
});
