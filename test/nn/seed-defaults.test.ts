// Seeds that default (issue 27): layers and initialisers without a seed draw from the global
// generator (manualSeed), and explicit seeds give the same bits as before that default existed.
// test/fixtures/seeded-init-hashes.json holds SHA-256 digests of the weights made by the code at
// its `madeFrom` commit, before this change.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Conv1d, ConvTranspose1d, LSTM, Linear, Sequential, ReLU, manualSeed, randNormal, randUniform, sha256Hex,
  type Module } from '../../src/index.ts';

const before = JSON.parse(readFileSync(new URL('../fixtures/seeded-init-hashes.json', import.meta.url), 'utf8'));
const bytes = (a: Float32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
const digests = (m: Module) => Object.fromEntries(m.namedParameters().map(([k, t]) => [k, sha256Hex(bytes(t.data))]));
const values = (m: Module) => m.parameters().flatMap((p) => Array.from(p.data));

describe('seeds that default', () => {
  it('explicit seeds give the weights recorded before the default existed, bit for bit', () => {
    manualSeed(123); // the global generator must not matter when a seed is given
    expect(digests(new Linear(5, 3, { seed: 7 }))).toEqual(before.linear);
    expect(digests(new Linear(4, 2, { seed: 'enc', bias: false }))).toEqual(before.linearNoBias);
    expect(digests(new Conv1d(2, 3, 5, { seed: 11 }))).toEqual(before.conv1d);
    expect(digests(new ConvTranspose1d(3, 2, 4, { seed: 12, stride: 2 }))).toEqual(before.convTranspose1d);
    expect(digests(new LSTM(3, 4, { seed: 13 }))).toEqual(before.lstm);
    expect(sha256Hex(bytes(randUniform([6, 7], 21, -1, 1).data))).toBe(before.randUniform);
    expect(sha256Hex(bytes(randNormal([6, 7], 22, 0.5, 2).data))).toBe(before.randNormal);
  });

  it('a layer built without options or seed (as plain JavaScript may) is no TypeError', () => {
    const Untyped = { Linear, Conv1d, ConvTranspose1d, LSTM } as unknown as Record<string, new (...a: unknown[]) => Module>;
    for (const m of [new Untyped.Linear(3, 2), new Untyped.Conv1d(1, 2, 3), new Untyped.ConvTranspose1d(2, 1, 3),
      new Untyped.LSTM(2, 3), new Untyped.Linear(3, 2, {})]) {
      for (const v of values(m)) expect(Number.isFinite(v)).toBe(true);
    }
    expect(randUniform([4]).size).toBe(4);
  });

  it('manualSeed(n) makes two runs identical; a different n or a second layer gives other weights', () => {
    const build = () => {
      const net = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 2));
      return [...values(net), ...values(new Conv1d(1, 2, 3)), ...values(new LSTM(2, 2)),
        ...randUniform([3]).data, ...randNormal([3]).data];
    };
    manualSeed(42); const first = build();
    manualSeed(42); const second = build();
    manualSeed(43); const other = build();
    expect(second).toEqual(first);
    expect(other).not.toEqual(first);
    manualSeed(42);
    expect(values(new Linear(4, 8))).not.toEqual(values(new Linear(4, 8)));
  });
});
