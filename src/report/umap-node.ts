// umap-js, loaded on the first report rather than when cardiograd/node is imported: scoring,
// training without a report and every CLI command but the report path never pay for it. A
// synchronous require (umap-js ships CommonJS) keeps saveDetector and collectReport synchronous.

import { createRequire } from 'node:module';
import type { UMAP as UmapClass } from 'umap-js';

let umap: typeof UmapClass | null = null;

/** The UMAP class, required on first use. */
export function umapClass(): typeof UmapClass {
  umap ??= (createRequire(import.meta.url)('umap-js') as { UMAP: typeof UmapClass }).UMAP;
  return umap;
}
