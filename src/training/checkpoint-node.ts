// Node-only edge of checkpoints: DIR/checkpoint.safetensors, written atomically (a temporary
// file in DIR, fsync, rename over the old one, fsync DIR), so a kill at any instant leaves the
// previous checkpoint or the new one, never a torn file. Only files this code names are ever
// written or removed: a --checkpoint folder may hold other things.

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { replaceFileAtomically } from '../io/durable-file-node.ts';
import { decodeCheckpoint, encodeCheckpoint, type TrainerCheckpoint } from './checkpoint.ts';

export const CHECKPOINT_FILE = 'checkpoint.safetensors';
const TEMP_PREFIX = `${CHECKPOINT_FILE}.tmp-`;

/** The default checkpoint folder of a model folder: `<out>.checkpoint` beside it. */
export function defaultCheckpointDir(out: string): string {
  return `${path.resolve(out)}.checkpoint`;
}

/** Writes DIR/checkpoint.safetensors atomically (replacing the previous one). */
export function writeCheckpoint(dir: string, c: TrainerCheckpoint): void {
  fs.mkdirSync(dir, { recursive: true });
  removeStaleTemps(dir); // left by a kill mid-write
  const bytes = encodeCheckpoint(c);
  const target = path.join(dir, CHECKPOINT_FILE);
  const temp = path.join(dir, `${TEMP_PREFIX}${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    replaceFileAtomically(target, bytes, temp);
  } catch (e) {
    throw new Error(`cannot write checkpoint ${target}: ${(e as Error).message}`);
  }
}

/** Reads a checkpoint from DIR (or from the file itself); names the path in every error. */
export function readCheckpoint(dirOrFile: string): TrainerCheckpoint {
  if (!fs.existsSync(dirOrFile)) throw new Error(`no such checkpoint folder: ${dirOrFile}`);
  const file = fs.statSync(dirOrFile).isDirectory() ? path.join(dirOrFile, CHECKPOINT_FILE) : dirOrFile;
  if (!fs.existsSync(file)) throw new Error(`${dirOrFile} holds no ${CHECKPOINT_FILE} (no checkpoint was written there yet)`);
  if (!fs.statSync(file).isFile()) throw new Error(`${file} is not a file`);
  return decodeCheckpoint(new Uint8Array(fs.readFileSync(file)), file);
}

/**
 * Why DIR cannot take a checkpoint without replacing a file that is not one, or null when it can:
 * DIR is a file, or DIR/checkpoint.safetensors is something other than a cardiograd checkpoint
 * (a user's file of that name; a checkpoint of another run is replaced as usual).
 */
export function checkpointTargetConflict(dir: string): string | null {
  if (!fs.existsSync(dir)) return null;
  if (!fs.statSync(dir).isDirectory()) return `${dir} is a file, not a folder (the checkpoint is written to DIR/${CHECKPOINT_FILE})`;
  const file = path.join(dir, CHECKPOINT_FILE);
  if (!fs.existsSync(file)) return null;
  if (!fs.statSync(file).isFile()) return `${file} exists and is not a file`;
  try { decodeCheckpoint(new Uint8Array(fs.readFileSync(file)), file); } catch (e) {
    return `${file} exists and is not a cardiograd checkpoint (${(e as Error).message})`;
  }
  return null;
}

/** After a finished run: removes the checkpoint file (and the folder when nothing else is in it). */
export function removeCheckpoint(dir: string): void {
  if (!fs.existsSync(dir)) return;
  fs.rmSync(path.join(dir, CHECKPOINT_FILE), { force: true });
  removeStaleTemps(dir);
  if (fs.readdirSync(dir).length === 0) fs.rmdirSync(dir);
}

function removeStaleTemps(dir: string): void {
  for (const name of fs.readdirSync(dir)) if (name.startsWith(TEMP_PREFIX)) fs.rmSync(path.join(dir, name), { force: true });
}
