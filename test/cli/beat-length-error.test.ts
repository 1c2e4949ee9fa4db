import { describe, expect, it } from 'vitest';
import { beatLengthMessage } from '../../src/cli/beat-length-error.ts';

describe('beat-length error', () => {
  it('suggests --label-column none when the beats are one sample short and a label column was read', () => {
    expect(beatLengthMessage('raw.csv', 139, 'models/dense', 140, undefined)).toContain('pass --label-column none');
    expect(beatLengthMessage('raw.csv', 139, 'models/dense', 140, 'last')).toContain('pass --label-column none');
  });
  it('gives no such hint when it would not fit', () => {
    expect(beatLengthMessage('raw.csv', 139, 'models/dense', 140, 'none')).toBe('raw.csv: beats have 139 samples, the model at models/dense expects 140');
    expect(beatLengthMessage('raw.csv', 96, 'models/dense', 140, undefined)).not.toContain('--label-column');
  });
});
