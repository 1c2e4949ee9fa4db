// Alerts for runs of flagged beats: `minRun` or more flagged beats in a row (3 consecutive
// ventricular beats is the usual definition of a run of ventricular tachycardia). An alert
// starts as soon as the run reaches minRun beats (a live monitor should not wait for its end)
// and ends, with the run's final length, at the first unflagged beat or the end of the stream.

export interface RunAlert {
  /** First and last beat (index and R sample) of the run so far. */
  firstBeat: number;
  lastBeat: number;
  firstSample: number;
  lastSample: number;
  beats: number;
}

export interface AlertEvent { kind: 'start' | 'end'; run: RunAlert }

export class RunAlerts {
  private run: RunAlert | null = null;
  readonly closed: RunAlert[] = [];

  constructor(readonly minRun = 3) {
    if (!Number.isInteger(minRun) || minRun < 1) throw new Error(`alert run length must be a positive integer, got ${minRun}`);
  }

  next(beat: { index: number; sample: number; flagged: boolean }): AlertEvent | null {
    if (!beat.flagged) return this.close();
    if (this.run) { this.run.lastBeat = beat.index; this.run.lastSample = beat.sample; this.run.beats++; }
    else this.run = { firstBeat: beat.index, lastBeat: beat.index, firstSample: beat.sample, lastSample: beat.sample, beats: 1 };
    return this.run.beats === this.minRun ? { kind: 'start', run: { ...this.run } } : null;
  }

  /** Ends the current run (also at the end of the stream). */
  close(): AlertEvent | null {
    const run = this.run;
    this.run = null;
    if (run && run.beats >= this.minRun) { this.closed.push(run); return { kind: 'end', run }; }
    return null;
  }
}
