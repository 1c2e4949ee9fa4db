// The fixture's MLP classifier (12 -> 8 -> relu -> 4) trained 3 Adam steps with cross-entropy:
// losses before each step and the final weights against PyTorch 1.13, on every backend.

import { describe, it } from 'vitest';
import { forEachBackend } from '../helpers/backends.ts';
import { checkMlpClassifier } from '../helpers/ops2-cases.ts';

forEachBackend(() => describe('MLP classifier matches PyTorch over 3 Adam steps', () => {
  it('losses and weights', () => checkMlpClassifier());
}));
