// safetensors: round trips, the exact byte layout Python's safetensors writes, and every way
// a corrupt file is rejected.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeSafetensors, encodeSafetensors } from '../../src/io/safetensors.ts';

const ascii = (s: string) => new TextEncoder().encode(s);

/** A file from a header string (padded as given) and raw data bytes. */
function fileOf(header: string, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const h = ascii(header);
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

function f32Bytes(values: number[]): Uint8Array {
  return new Uint8Array(new Float32Array(values).buffer);
}

describe('safetensors encode/decode', () => {
  it('round-trips several tensors, a scalar and an empty tensor, with metadata', () => {
    const tensors = {
      'encoder.0.weight': { shape: [2, 3], data: new Float32Array([1, -2, 3.5, 1e-30, -0, Infinity]) },
      'encoder.0.bias': { shape: [3], data: new Float32Array([0.1, 0.2, 0.3]) },
      scalar: { shape: [], data: new Float32Array([42]) },
      empty: { shape: [0, 4], data: new Float32Array(0) },
      nan: { shape: [1], data: new Float32Array([NaN]) },
    };
    const bytes = encodeSafetensors(tensors, { format: 'pt', note: 'héllo ♥' });
    const back = decodeSafetensors(bytes);
    expect(back.metadata).toEqual({ format: 'pt', note: 'héllo ♥' });
    expect(Object.keys(back.tensors).sort()).toEqual(Object.keys(tensors).sort());
    for (const [name, t] of Object.entries(tensors)) {
      expect(back.tensors[name].shape).toEqual(t.shape);
      expect(Array.from(back.tensors[name].data)).toEqual(Array.from(t.data));
    }
    expect(Object.is(back.tensors['encoder.0.weight'].data[4], -0)).toBe(true);
  });

  it('round-trips random tensors bit for bit (property test)', () => {
    const tensorArb = fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 }).chain((shape) =>
      fc.float32Array({ minLength: shape.reduce((a, b) => a * b, 1), maxLength: shape.reduce((a, b) => a * b, 1) })
        .map((data) => ({ shape, data })));
    fc.assert(fc.property(fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), tensorArb, { maxKeys: 5 }), (tensors) => {
      delete (tensors as Record<string, unknown>).__metadata__;
      const back = decodeSafetensors(encodeSafetensors(tensors)).tensors;
      expect(Object.keys(back).sort()).toEqual(Object.keys(tensors).sort());
      for (const [name, t] of Object.entries(tensors)) {
        expect(back[name].shape).toEqual(t.shape);
        expect(new Uint8Array(back[name].data.buffer)).toEqual(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
      }
    }));
  });

  it('writes the exact bytes Python safetensors writes for one tiny tensor', () => {
    const bytes = encodeSafetensors({ a: { shape: [2], data: new Float32Array([1, 2]) } });
    const header = '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}'; // 54 bytes
    const expected = new Uint8Array([
      56, 0, 0, 0, 0, 0, 0, 0, // header length 54, padded with 2 spaces to 56
      ...ascii(header), 0x20, 0x20,
      0x00, 0x00, 0x80, 0x3f, // 1.0f little-endian
      0x00, 0x00, 0x00, 0x40, // 2.0f
    ]);
    expect(bytes).toEqual(expected);
    expect((8 + 56) % 8).toBe(0);
  });

  it('puts __metadata__ first and lays tensors out in sorted key order', () => {
    const bytes = encodeSafetensors({
      b: { shape: [1], data: new Float32Array([2]) },
      a: { shape: [1], data: new Float32Array([1]) },
    }, { format: 'pt' });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const header = new TextDecoder().decode(bytes.subarray(8, 8 + n));
    expect(header.trimEnd()).toBe(
      '{"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}');
    expect(Array.from(new Float32Array(bytes.slice(8 + n).buffer))).toEqual([1, 2]);
  });

  it('decodes a hand-built file, including an unpadded header at an unaligned data offset', () => {
    const header = '{"w":{"dtype":"F32","shape":[2,1],"data_offsets":[4,12]},"s":{"dtype":"F32","shape":[],"data_offsets":[0,4]}}';
    expect((8 + header.length) % 4).not.toBe(0); // the data starts unaligned
    const { tensors, metadata } = decodeSafetensors(fileOf(header, f32Bytes([7, 8, 9])));
    expect(metadata).toEqual({});
    expect(tensors.s).toEqual({ shape: [], data: new Float32Array([7]) });
    expect(tensors.w).toEqual({ shape: [2, 1], data: new Float32Array([8, 9]) });
    expect(tensors.w.data.byteOffset).toBe(0); // a fresh, aligned array ...
    expect(tensors.w.data.buffer.byteLength).toBe(8); // ... that does not hold the whole file
  });

  it('accepts a zero-length tensor sharing its offset with the next one', () => {
    const header = '{"e":{"dtype":"F32","shape":[0],"data_offsets":[0,0]},"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}';
    const { tensors } = decodeSafetensors(fileOf(header, f32Bytes([3])));
    expect(tensors.e.data.length).toBe(0);
    expect(Array.from(tensors.x.data)).toEqual([3]);
  });

  it('decodes from a Uint8Array that is a view into a bigger buffer', () => {
    const bytes = encodeSafetensors({ a: { shape: [3], data: new Float32Array([1, 2, 3]) } });
    const big = new Uint8Array(bytes.length + 3);
    big.set(bytes, 3);
    expect(Array.from(decodeSafetensors(big.subarray(3)).tensors.a.data)).toEqual([1, 2, 3]);
  });
});

describe('safetensors rejects corrupt files', () => {
  const good = '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}';
  const data8 = f32Bytes([1, 2]);
  const cases: [string, Uint8Array, RegExp][] = [
    ['too short', new Uint8Array(5), /too short/],
    ['header length beyond file', (() => { const b = fileOf(good, data8); new DataView(b.buffer).setBigUint64(0, 1000n, true); return b; })(), /header length 1000 runs past the end/],
    ['huge header length', (() => { const b = fileOf(good, data8); new DataView(b.buffer).setBigUint64(0, 2n ** 63n, true); return b; })(), /runs past the end/],
    ['invalid JSON', fileOf('{"a": nope}', data8), /not valid UTF-8 JSON/],
    ['invalid UTF-8', (() => { const b = fileOf('{"a":1}   '); b[10] = 0xff; return b; })(), /not valid UTF-8 JSON/],
    ['header not an object', fileOf('[1,2,3]'), /must be a JSON object/],
    ['unsupported dtype', fileOf('{"a":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}', new Uint8Array(4)), /unsupported dtype "F16".*only F32/],
    ['bad shape', fileOf('{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}', new Uint8Array(4)), /shape must be a list of non-negative integers/],
    ['bad offsets', fileOf('{"a":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}', data8), /data_offsets must be \[begin, end\]/],
    ['offsets out of range', fileOf('{"a":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}', data8), /out of range/],
    ['overlapping', fileOf('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', data8), /overlap/],
    ['gap', fileOf('{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', data8), /unused gap at bytes \[0, 4\)/],
    ['trailing bytes', fileOf(good, f32Bytes([1, 2, 3])), /data section is 12 bytes but the tensors cover only 8/],
    ['shape vs byte length', fileOf('{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}', data8), /shape \[3\] needs 12 bytes of F32, data_offsets span 8/],
    ['metadata not strings', fileOf('{"__metadata__":{"n":1}}'), /metadata "n" must be a string/],
    ['__proto__ as a name', fileOf('{"__proto__":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}}'), /cannot be used as a tensor name/],
  ];
  for (const [name, bytes, message] of cases) {
    it(name, () => expect(() => decodeSafetensors(bytes)).toThrow(message));
  }

  it('names the tensor in per-tensor errors', () => {
    expect(() => decodeSafetensors(fileOf('{"enc.w":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}', new Uint8Array(8))))
      .toThrow(/tensor "enc.w"/);
  });
});

describe('safetensors encode rejects bad input', () => {
  it('shape / data length mismatch', () => {
    expect(() => encodeSafetensors({ w: { shape: [2, 2], data: new Float32Array(3) } })).toThrow(/tensor "w": shape \[2, 2\] needs 4 values, data has 3/);
  });
  it('non-integer shape', () => {
    expect(() => encodeSafetensors({ w: { shape: [1.5], data: new Float32Array(1) } })).toThrow(/non-negative integers/);
  });
  it('reserved name', () => {
    expect(() => encodeSafetensors({ __metadata__: { shape: [0], data: new Float32Array(0) } })).toThrow(/cannot be used/);
  });
  it('non-string metadata', () => {
    expect(() => encodeSafetensors({}, { n: 1 as unknown as string })).toThrow(/must be a string/);
  });
});
