// Reads and writes WFDB annotation files (.atr and the like) on disk.

import { readFileSync, writeFileSync } from 'node:fs';
import { decodeAnnotations, encodeAnnotations, type Annotation } from './wfdb-annotations.ts';

export function readAnnotationFile(file: string): Annotation[] {
  return decodeAnnotations(new Uint8Array(readFileSync(file)), file);
}

export function writeAnnotationFile(file: string, annotations: readonly Annotation[]): void {
  writeFileSync(file, encodeAnnotations(annotations));
}
