// Second-order IIR sections (biquads) for streaming filters: Butterworth low- and high-pass
// designed by the bilinear transform (RBJ's cookbook formulas, Q = 1/√2), run sample by sample
// in transposed direct form II with float64 state, so a chunked stream filters bit-identically
// to the whole signal at once.

export interface BiquadCoefficients { b0: number; b1: number; b2: number; a1: number; a2: number }

export function butterworthLowpass(cutoffHz: number, fs: number): BiquadCoefficients {
  return design(cutoffHz, fs, 'low');
}

export function butterworthHighpass(cutoffHz: number, fs: number): BiquadCoefficients {
  return design(cutoffHz, fs, 'high');
}

function design(fc: number, fs: number, kind: 'low' | 'high'): BiquadCoefficients {
  if (!(fc > 0 && fc < fs / 2)) throw new Error(`filter cutoff ${fc} Hz must lie in (0, ${fs / 2}) Hz for fs = ${fs} Hz`);
  const k = Math.tan((Math.PI * fc) / fs);
  const q = Math.SQRT1_2;
  const norm = 1 / (1 + k / q + k * k);
  const a1 = 2 * (k * k - 1) * norm;
  const a2 = (1 - k / q + k * k) * norm;
  return kind === 'low'
    ? { b0: k * k * norm, b1: 2 * k * k * norm, b2: k * k * norm, a1, a2 }
    : { b0: norm, b1: -2 * norm, b2: norm, a1, a2 };
}

/** One biquad with its state: y = b0 x + s1; s1 = b1 x - a1 y + s2; s2 = b2 x - a2 y. */
export class Biquad {
  private s1 = 0;
  private s2 = 0;
  constructor(private readonly c: BiquadCoefficients) {}

  /** Starts in the steady state for a constant input x0 (no start-up transient from a DC offset). */
  prime(x0: number): void {
    const { b0, b1, b2, a1, a2 } = this.c;
    const y = (x0 * (b0 + b1 + b2)) / (1 + a1 + a2); // DC gain times x0
    this.s2 = b2 * x0 - a2 * y;
    this.s1 = b1 * x0 - a1 * y + this.s2;
  }

  step(x: number): number {
    const { b0, b1, b2, a1, a2 } = this.c;
    const y = b0 * x + this.s1;
    this.s1 = b1 * x - a1 * y + this.s2;
    this.s2 = b2 * x - a2 * y;
    return y;
  }
}
