// Running summary of a monitored record: beats, heart rate from the RR intervals, flagged beats.

import type { MonitorBeat } from './ecg-monitor.ts';

export interface MonitorSummary {
  beats: number;
  flagged: number;
  /** Mean heart rate in beats per minute (60 / mean RR), null with fewer than two beats. */
  heartRate: number | null;
  minHeartRate: number | null;
  maxHeartRate: number | null;
  seconds: number;
}

export class SummaryAccumulator {
  private beats = 0;
  private flagged = 0;
  private rrSum = 0;
  private rrCount = 0;
  private rrMin = Infinity;
  private rrMax = -Infinity;
  constructor(private readonly fs: number) {}

  add(b: MonitorBeat): void {
    this.beats++;
    if (b.flagged) this.flagged++;
    if (b.rr !== null) {
      this.rrSum += b.rr; this.rrCount++;
      this.rrMin = Math.min(this.rrMin, b.rr); this.rrMax = Math.max(this.rrMax, b.rr);
    }
  }

  result(samples: number): MonitorSummary {
    const bpm = (rr: number) => (60 * this.fs) / rr;
    const some = this.rrCount > 0;
    return { beats: this.beats, flagged: this.flagged,
      heartRate: some ? bpm(this.rrSum / this.rrCount) : null,
      minHeartRate: some ? bpm(this.rrMax) : null, maxHeartRate: some ? bpm(this.rrMin) : null,
      seconds: samples / this.fs };
  }
}
