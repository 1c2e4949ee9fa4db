// Child process of kill-replace.test.ts: saves a tiny model (+ a by-product) to DIR over and over (seed 1, 2,
// ...) until it is killed. Prints "ready" once its imports are loaded, then saves.

import { saveModelFolder } from '../../src/detect/model-folder-node.ts';
import { smallManifest, smallTensors } from './small-model.ts';

const dir = process.argv[2];
const first = Number(process.argv[3] ?? 1);
process.stdout.write('ready\n');
for (let seed = first; ; seed++) {
  saveModelFolder(dir, smallManifest({ seed }), smallTensors(seed), { 'plots/note.svg': `<svg>${seed}</svg>` });
}
