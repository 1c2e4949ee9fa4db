// The band-limited resampler for tests (it lives in src/signals/resample.ts, where
// `monitor eval --resample` uses it too).
export { resample, resampleIndex } from '../../src/signals/resample.ts';
