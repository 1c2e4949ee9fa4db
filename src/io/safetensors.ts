// The Hugging Face safetensors format, float32 only, on plain bytes (no file system here).
//
// Layout of a file:
//   [0, 8)        N, the header length, as a little-endian unsigned 64-bit integer
//   [8, 8 + N)    the header: UTF-8 JSON, padded with spaces to a multiple of 8 bytes
//                   {"__metadata__": {"key": "value"},
//                    "name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, ...}
//   [8 + N, end)  the tensor bytes, little-endian, back to back; data_offsets count from 8 + N
//
// We write exactly what Python's `safetensors.numpy.save` writes for float32 arrays (compact
// JSON, metadata first, tensors in sorted key order), so weights move to and from PyTorch.
// Reading is strict: a file that is not exactly right is rejected with a message saying why.

import { utf8DecodeStrict, utf8Encode } from './utf8.ts';

export interface NamedTensor {
  shape: number[];
  data: Float32Array;
}

export type TensorMap = Record<string, NamedTensor>;

export interface DecodedSafetensors {
  tensors: TensorMap;
  /** The free-form string map under "__metadata__" ({} when the file has none). */
  metadata: Record<string, string>;
}

const METADATA_KEY = '__metadata__';
const BYTES_PER_F32 = 4;

// Typed arrays use the machine's byte order; the format is little-endian. Almost every machine
// is little-endian, but we check rather than assume.
const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function elementCount(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n; // [] is a scalar: one element
}

// "__metadata__" is the format's own key; "__proto__" would not survive as a plain object key.
function checkName(name: string): void {
  if (name === METADATA_KEY || name === '__proto__') throw new Error(`"${name}" cannot be used as a tensor name`);
}

function isDimension(d: unknown): d is number {
  return typeof d === 'number' && Number.isSafeInteger(d) && d >= 0;
}

// ---------------------------------------------------------------------------------------------
// Writing

export function encodeSafetensors(tensors: TensorMap, metadata?: Record<string, string>): Uint8Array {
  // Sorted key order, as Python's safetensors lays out tensors of one dtype.
  const names = Object.keys(tensors).sort();

  const header: Record<string, unknown> = {};
  if (metadata !== undefined) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') throw new Error(`safetensors metadata "${k}" must be a string, got ${typeof v}`);
    }
    header[METADATA_KEY] = sortedCopy(metadata);
  }

  let offset = 0;
  for (const name of names) {
    checkName(name);
    const { shape, data } = tensors[name];
    if (!Array.isArray(shape) || !shape.every(isDimension)) {
      throw new Error(`tensor "${name}": shape must be a list of non-negative integers, got ${JSON.stringify(shape)}`);
    }
    if (!(data instanceof Float32Array)) throw new Error(`tensor "${name}": data must be a Float32Array`);
    if (data.length !== elementCount(shape)) {
      throw new Error(`tensor "${name}": shape [${shape.join(', ')}] needs ${elementCount(shape)} values, data has ${data.length}`);
    }
    const size = data.length * BYTES_PER_F32;
    header[name] = { dtype: 'F32', shape: [...shape], data_offsets: [offset, offset + size] };
    offset += size;
  }

  // Pad the header with spaces so the data starts 8-byte aligned (8 + N is a multiple of 8).
  let headerBytes = utf8Encode(JSON.stringify(header));
  const padding = (8 - (headerBytes.length % 8)) % 8;
  if (padding > 0) {
    const padded = new Uint8Array(headerBytes.length + padding).fill(0x20); // ' '
    padded.set(headerBytes);
    headerBytes = padded;
  }

  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  const dataStart = 8 + headerBytes.length;
  for (const name of names) {
    const begin = (header[name] as { data_offsets: number[] }).data_offsets[0];
    writeFloat32LE(out, dataStart + begin, tensors[name].data);
  }
  return out;
}

function sortedCopy(map: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(map).sort()) out[k] = map[k];
  return out;
}

function writeFloat32LE(out: Uint8Array, at: number, values: Float32Array): void {
  if (HOST_IS_LITTLE_ENDIAN) {
    out.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), at);
  } else {
    const view = new DataView(out.buffer, out.byteOffset);
    for (let i = 0; i < values.length; i++) view.setFloat32(at + i * BYTES_PER_F32, values[i], true);
  }
}

// ---------------------------------------------------------------------------------------------
// Reading

interface HeaderEntry {
  name: string;
  shape: number[];
  begin: number;
  end: number;
}

export function decodeSafetensors(bytes: Uint8Array): DecodedSafetensors {
  if (bytes.length < 8) {
    throw new Error(`not a safetensors file: ${bytes.length} bytes is too short to hold the 8-byte header length`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getBigUint64(0, true);
  if (headerLength > BigInt(bytes.length - 8)) {
    throw new Error(`not a safetensors file: header length ${headerLength} runs past the end of the ${bytes.length}-byte file`);
  }
  const dataStart = 8 + Number(headerLength);

  const header = parseHeader(bytes.subarray(8, dataStart));
  const metadata = readMetadata(header);
  const entries = readEntries(header);
  checkOffsets(entries, bytes.length - dataStart);

  const tensors: TensorMap = {};
  for (const e of entries) {
    tensors[e.name] = { shape: e.shape, data: readFloat32LE(bytes, dataStart + e.begin, (e.end - e.begin) / BYTES_PER_F32) };
  }
  return { tensors, metadata };
}

/** The "__metadata__" map of a safetensors file, from its header alone (tensors are not read). */
export function readSafetensorsMetadata(bytes: Uint8Array): Record<string, string> {
  if (bytes.length < 8) {
    throw new Error(`not a safetensors file: ${bytes.length} bytes is too short to hold the 8-byte header length`);
  }
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(0, true);
  if (headerLength > BigInt(bytes.length - 8)) {
    throw new Error(`not a safetensors file: header length ${headerLength} runs past the end of the ${bytes.length}-byte file`);
  }
  return readMetadata(parseHeader(bytes.subarray(8, 8 + Number(headerLength))));
}

function parseHeader(headerBytes: Uint8Array): Record<string, unknown> {
  let header: unknown;
  try {
    header = JSON.parse(utf8DecodeStrict(headerBytes));
  } catch (e) {
    throw new Error(`safetensors header is not valid UTF-8 JSON: ${(e as Error).message}`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) {
    throw new Error('safetensors header must be a JSON object');
  }
  return header as Record<string, unknown>;
}

function readMetadata(header: Record<string, unknown>): Record<string, string> {
  const raw = header[METADATA_KEY];
  if (raw === undefined) return {};
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new Error(`safetensors "${METADATA_KEY}" must be an object of strings`);
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v !== 'string') throw new Error(`safetensors metadata "${k}" must be a string, got ${JSON.stringify(v)}`);
    out[k] = v;
  }
  return out;
}

function readEntries(header: Record<string, unknown>): HeaderEntry[] {
  const entries: HeaderEntry[] = [];
  for (const [name, info] of Object.entries(header)) {
    if (name === METADATA_KEY) continue;
    checkName(name);
    if (info === null || typeof info !== 'object') throw new Error(`tensor "${name}": header entry must be an object`);
    const { dtype, shape, data_offsets: offsets } = info as Record<string, unknown>;
    if (dtype !== 'F32') {
      throw new Error(`tensor "${name}": unsupported dtype ${JSON.stringify(dtype)}; only F32 (float32) is supported`);
    }
    if (!Array.isArray(shape) || !shape.every(isDimension)) {
      throw new Error(`tensor "${name}": shape must be a list of non-negative integers, got ${JSON.stringify(shape)}`);
    }
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isDimension) || offsets[1] < offsets[0]) {
      throw new Error(`tensor "${name}": data_offsets must be [begin, end] with 0 <= begin <= end, got ${JSON.stringify(offsets)}`);
    }
    const [begin, end] = offsets as number[];
    const expected = elementCount(shape) * BYTES_PER_F32;
    if (end - begin !== expected) {
      throw new Error(`tensor "${name}": shape [${shape.join(', ')}] needs ${expected} bytes of F32, data_offsets span ${end - begin}`);
    }
    entries.push({ name, shape: [...shape], begin, end });
  }
  return entries;
}

/** Tensors must tile the data section exactly: in range, no overlap, no gap, nothing left over. */
function checkOffsets(entries: HeaderEntry[], dataLength: number): void {
  const byPosition = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  for (const e of byPosition) {
    if (e.end > dataLength) {
      throw new Error(`tensor "${e.name}": data_offsets [${e.begin}, ${e.end}] are out of range (data section is ${dataLength} bytes)`);
    }
    if (e.begin < covered) throw new Error(`tensor "${e.name}": data_offsets [${e.begin}, ${e.end}] overlap the previous tensor`);
    if (e.begin > covered) throw new Error(`safetensors data has an unused gap at bytes [${covered}, ${e.begin}) before tensor "${e.name}"`);
    covered = e.end;
  }
  if (covered !== dataLength) {
    throw new Error(`safetensors data section is ${dataLength} bytes but the tensors cover only ${covered}`);
  }
}

/** A fresh Float32Array (so 4-byte aligned and not sharing the file's buffer). */
function readFloat32LE(bytes: Uint8Array, at: number, count: number): Float32Array {
  const out = new Float32Array(count);
  if (HOST_IS_LITTLE_ENDIAN) {
    new Uint8Array(out.buffer).set(bytes.subarray(at, at + count * BYTES_PER_F32));
  } else {
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    for (let i = 0; i < count; i++) out[i] = view.getFloat32(at + i * BYTES_PER_F32, true);
  }
  return out;
}
