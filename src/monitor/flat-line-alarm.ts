// The technical alarm for a flat line: "possible asystole or lead off". A flat stretch (quality
// kind 'flat', under signal-quality.ts's FLAT_MV peak to peak) hides the signal from the QRS
// detector, so it makes no beats, no pause and no rhythm alarm; without this alarm, true asystole
// seen as a flat line would be silence. A flat episode raises one alarm once it has lasted
// `limitSeconds` (the pause alarm's limit), provided readable signal came before it: at least
// GOOD_SECONDS of signal outside any quality episode within the LOOKBACK_SECONDS before its start
// (a recording that begins flat, or a flat line after minutes of noise, is not a new event).
// Fed the monitor's quality episodes as they grow; every decision is in samples, so any chunking
// raises the same alarm at the same sample.

import type { QualityEpisode } from './quality-episodes.ts';

export const GOOD_SECONDS = 2;
export const LOOKBACK_SECONDS = 10;

export interface FlatLineAlarm {
  type: 'asystole';
  /** Sample at which the flat line had lasted the limit (when the alarm is raised). */
  sample: number;
  /** First sample of the flat line. */
  start: number;
  message: 'possible asystole or lead off';
}

export class FlatLineAlarms {
  private readonly limit: number;
  private readonly good: number;
  private readonly lookback: number;
  /** Episodes seen (merged by start sample), most recent last, kept for LOOKBACK_SECONDS. */
  private readonly recent: QualityEpisode[] = [];
  private readonly alarmed = new Set<number>();
  readonly raised: FlatLineAlarm[] = [];

  constructor(fs: number, limitSeconds: number) {
    if (!(limitSeconds > 0)) throw new Error(`flat-line alarm limit must be positive, got ${limitSeconds} s`);
    this.limit = Math.round(limitSeconds * fs);
    this.good = Math.round(GOOD_SECONDS * fs);
    this.lookback = Math.round(LOOKBACK_SECONDS * fs);
  }

  /**
   * Episodes closed since the last call and the one still open (null when none), as the monitor
   * gives them (an episode's end is as far as it has been judged). Returns the alarms raised now.
   */
  update(closed: readonly QualityEpisode[], open: QualityEpisode | null): FlatLineAlarm[] {
    const out: FlatLineAlarm[] = [];
    for (const e of open ? [...closed, open] : closed) {
      this.remember(e);
      if (e.kind !== 'flat' || this.alarmed.has(e.start)) continue;
      const at = e.start + this.limit;
      if (e.end < at) continue;
      this.alarmed.add(e.start);
      if (!this.readableBefore(e.start)) continue;
      const a: FlatLineAlarm = { type: 'asystole', sample: at, start: e.start, message: 'possible asystole or lead off' };
      out.push(a); this.raised.push(a);
    }
    return out;
  }

  private remember(e: QualityEpisode): void {
    const last = this.recent[this.recent.length - 1];
    if (last && last.start === e.start) last.end = e.end; // the open episode grew
    else this.recent.push({ start: e.start, end: e.end, kind: e.kind });
    while (this.recent.length > 1 && this.recent[0].end < e.start - this.lookback) this.recent.shift();
  }

  /** Readable samples in [start - LOOKBACK, start) not covered by an earlier episode, at least GOOD_SECONDS. */
  private readableBefore(start: number): boolean {
    const from = start - this.lookback;
    if (from < 0) return start >= this.good && this.readableIn(0, start) >= this.good;
    return this.readableIn(from, start) >= this.good;
  }

  private readableIn(from: number, to: number): number {
    let bad = 0;
    for (const e of this.recent) {
      if (e.start >= to) continue;
      bad += Math.max(0, Math.min(e.end, to) - Math.max(e.start, from));
    }
    return to - from - bad;
  }
}
