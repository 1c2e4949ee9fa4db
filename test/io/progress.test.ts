import { describe, expect, it } from 'vitest';
import { createProgressBar, formatDuration } from '../../src/io/progress-node.ts';

function fakeStream(isTTY: boolean) {
  const out: string[] = [];
  return { out, stream: { isTTY, write: (s: string) => { out.push(s); return true; } } };
}

describe('progress bar', () => {
  it('prints about every 10% when not a terminal, with count and ETA', () => {
    const { out, stream } = fakeStream(false);
    let t = 0;
    const bar = createProgressBar({ total: 100, label: 'epoch', stream, now: () => t });
    for (let i = 1; i <= 100; i++) { t = i * 100; bar.update(i, `loss ${(1 / i).toFixed(2)}`); }
    bar.done();
    expect(out.length).toBe(11);
    expect(out[0]).toBe('epoch   1% 1/100 loss 1.00 ETA 10s\n');
    expect(out[1]).toBe('epoch  10% 10/100 loss 0.10 ETA 9s\n');
    expect(out[10]).toBe('epoch 100% 100/100 loss 0.01 (10s)\n');
  });
  it('redraws in place on a terminal and ends the line', () => {
    const { out, stream } = fakeStream(true);
    let t = 0;
    const bar = createProgressBar({ total: 4, label: 'train', stream, now: () => t });
    for (let i = 1; i <= 4; i++) { t += 1000; bar.update(i); }
    bar.done('ok');
    expect(out.every((s) => s.startsWith('\r'))).toBe(true);
    expect(out[0]).toContain('[#####---------------]  25% 1/4 ETA 3s');
    expect(out[out.length - 1]).toMatch(/100% 4\/4 ok \(4s\)\x1b\[K\n$/);
  });
  it('formats durations', () => {
    expect([formatDuration(4.4), formatDuration(125), formatDuration(3720), formatDuration(NaN)]).toEqual(['4s', '2m05s', '1h02m', '?']);
  });
});
