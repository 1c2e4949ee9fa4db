// Band-limited resampling: windowed-sinc interpolation (Blackman window, 16 zero crossings each
// side) with its cutoff at 0.45 of the lower of the two rates, so a downsampled signal holds no
// aliased energy above the new Nyquist rate (an anti-alias filter, not decimation). Used by
// `monitor eval --resample` to check the monitor at other rates, and by the tests.
//   x: [n] at fsIn  ->  y: Float32Array [round(n fsOut / fsIn)] at fsOut

const ZERO_CROSSINGS = 16;

export function resample(x: ArrayLike<number>, fsIn: number, fsOut: number): Float32Array {
  if (!(fsIn > 0 && fsOut > 0) || !Number.isFinite(fsIn) || !Number.isFinite(fsOut)) throw new Error(`resample: rates must be positive, got ${fsIn} -> ${fsOut}`);
  const n = Math.round((x.length * fsOut) / fsIn);
  const y = new Float32Array(n);
  const cutoff = 0.45 * Math.min(fsIn, fsOut); // Hz
  const c = (2 * cutoff) / fsIn; // normalised to the input rate: sinc gain at DC is 1
  const half = Math.ceil((ZERO_CROSSINGS * fsIn) / (2 * cutoff)); // taps each side, input samples
  for (let k = 0; k < n; k++) {
    const t = (k * fsIn) / fsOut; // position in input samples
    const centre = Math.floor(t);
    let acc = 0;
    for (let i = Math.max(0, centre - half + 1); i <= Math.min(x.length - 1, centre + half); i++) {
      const d = t - i;
      const w = 0.42 + 0.5 * Math.cos((Math.PI * d) / half) + 0.08 * Math.cos((2 * Math.PI * d) / half);
      const arg = Math.PI * c * d;
      acc += x[i] * c * (arg === 0 ? 1 : Math.sin(arg) / arg) * w;
    }
    y[k] = acc;
  }
  return y;
}

/** A sample index at fsIn moved to fsOut (rounded to the nearest output sample). */
export function resampleIndex(sample: number, fsIn: number, fsOut: number): number {
  return Math.round((sample * fsOut) / fsIn);
}
