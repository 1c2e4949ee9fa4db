// Shared data folders for the signal-reader tests (../shared from the repo root).
import { fileURLToPath } from 'node:url';

export const MITDB = fileURLToPath(new URL('../../../shared/data/mitdb', import.meta.url));
export const FORMATS = fileURLToPath(new URL('../../../shared/data/formats', import.meta.url));
