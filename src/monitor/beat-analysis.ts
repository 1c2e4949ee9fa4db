// What follows the classified beats, streaming: rhythm events, the alarms among them, and the
// Holter summary. One object so the CLI, the report and an embedding all see the same thing.

import { Alarms, type Alarm, type AlarmSettings } from './alarms.ts';
import type { MonitorBeat } from './ecg-monitor.ts';
import { HolterAccumulator, type HolterSummary } from './holter-summary.ts';
import { RhythmEvents, type RhythmEvent, type RhythmSettings } from './rhythm-events.ts';

export interface AnalysisStep { events: RhythmEvent[]; alarms: Alarm[] }

export class BeatAnalysis {
  private readonly rhythm: RhythmEvents;
  readonly alarms: Alarms;
  private readonly holter: HolterAccumulator;
  readonly events: RhythmEvent[] = [];

  constructor(fs: number, opts: { rhythm?: Partial<RhythmSettings>; alarms?: Partial<AlarmSettings>; keepEvents?: boolean } = {}) {
    this.rhythm = new RhythmEvents(fs, opts.rhythm);
    this.alarms = new Alarms(fs, opts.alarms);
    this.holter = new HolterAccumulator(fs);
    this.keep = opts.keepEvents ?? true;
  }

  private readonly keep: boolean;

  /** Events that ended and alarms raised with this beat. */
  next(b: MonitorBeat): AnalysisStep {
    this.holter.addBeat(b);
    const u = this.rhythm.next(b);
    return this.finish(b.learning ? [] : u.started, u.ended);
  }

  end(): AnalysisStep {
    const u = this.rhythm.end();
    return this.finish(u.started, u.ended);
  }

  private finish(started: RhythmEvent[], ended: RhythmEvent[]): AnalysisStep {
    const alarms = this.alarms.next(started);
    for (const e of ended) { this.holter.addEvent(e); if (this.keep) this.events.push(e); }
    return { events: ended, alarms };
  }

  summary(totalSamples: number): HolterSummary { return this.holter.result(totalSamples); }
}
