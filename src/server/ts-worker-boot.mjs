// Starts a worker thread whose code is TypeScript (running from src/ under tsx or vitest):
// Node 20 does not apply `--import tsx` to a worker's entry, so this plain-JS entry registers
// tsx's loader in the thread, then imports the .ts entry named in workerData.entry.
// The compiled dist/ build starts its .js worker directly and never loads this file.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);
