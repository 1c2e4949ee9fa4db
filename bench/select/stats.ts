// Small summaries for the selection tables.

export const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
export const fmt = (x: number, digits = 4): string => (Number.isFinite(x) ? x.toFixed(digits) : String(x));
export const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

/** Groups values by key, keeping first-seen key order. */
export function groupBy<T>(xs: T[], key: (x: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const x of xs) {
    const k = key(x);
    if (!out.has(k)) out.set(k, []);
    out.get(k)!.push(x);
  }
  return out;
}
