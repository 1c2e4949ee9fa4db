// Alarms worth raising: only for the configured rhythm events (default: VT run, pause, brady-
// and tachycardia), never for a single ectopic beat (single beats are counted and trended as PVC
// burden instead). An alarm is raised when its event starts (a VT run at its 3rd beat, a
// brady/tachycardia once it has lasted its minimum time, a pause when it ends); after one, the
// monitor stays silent for the refractory period: VT alarms among themselves, and the slow-rhythm
// alarms (pause, bradycardia, tachycardia and any other configured type) together, since in a
// sick sinus they come as one problem. Beats of the learning period, classified when it ends,
// raise no alarm (what they show is minutes old; their events are still recorded). A pause alarms only from `pauseAlarmSeconds`
// (the pause event itself is recorded from 2 s).

import type { RhythmEvent, RhythmEventType } from './rhythm-events.ts';
import { RHYTHM_EVENT_TYPES } from './rhythm-events.ts';

export interface AlarmSettings {
  types: readonly RhythmEventType[];
  refractorySeconds: number;
  pauseAlarmSeconds: number;
  /** A V run alarms only at this rate or faster (slower runs are idioventricular, recorded as events). */
  vtMinBpm: number;
}

/**
 * A record without VT raises at most 1 alarm in any hour by construction: the non-VT alarms share
 * one refractory period of an hour (events are still recorded and counted meanwhile).
 */
export const DEFAULT_ALARMS: AlarmSettings = { types: ['vt', 'pause', 'bradycardia', 'tachycardia'], refractorySeconds: 3600, pauseAlarmSeconds: 3, vtMinBpm: 100 };

export interface Alarm { type: RhythmEventType; /** Sample at which it was raised. */ sample: number; event: RhythmEvent }

export function parseAlarmTypes(text: string): RhythmEventType[] {
  const types = text.split(',').map((t) => t.trim()).filter((t) => t !== '');
  for (const t of types) {
    if (!RHYTHM_EVENT_TYPES.includes(t as RhythmEventType)) throw new Error(`unknown alarm event "${t}" (one of ${RHYTHM_EVENT_TYPES.join(', ')}, or none)`);
  }
  return types as RhythmEventType[];
}

export class Alarms {
  readonly settings: AlarmSettings;
  private readonly lastRaised = new Map<'vt' | 'rhythm', number>();
  readonly raised: Alarm[] = [];

  constructor(private readonly fs: number, settings: Partial<AlarmSettings> = {}) {
    this.settings = { ...DEFAULT_ALARMS, ...settings };
    if (!(this.settings.refractorySeconds >= 0)) throw new Error(`alarm refractory period must be >= 0 s, got ${this.settings.refractorySeconds}`);
  }

  /** Alarms for events that just started (RhythmEvents' `started`). */
  next(started: readonly RhythmEvent[]): Alarm[] {
    const out: Alarm[] = [];
    for (const e of started) {
      if (!this.settings.types.includes(e.type)) continue;
      if (e.type === 'pause' && (e.seconds ?? 0) < this.settings.pauseAlarmSeconds) continue;
      if (e.type === 'vt' && (e.rate ?? 0) < this.settings.vtMinBpm) continue;
      const at = e.end;
      const group = e.type === 'vt' ? 'vt' : 'rhythm';
      const last = this.lastRaised.get(group);
      if (last !== undefined && at - last < this.settings.refractorySeconds * this.fs) continue;
      this.lastRaised.set(group, at);
      const a = { type: e.type, sample: at, event: e };
      out.push(a); this.raised.push(a);
    }
    return out;
  }
}

/** Most of the (sorted) samples within any span of `span` samples. */
export function maxWithin(samples: readonly number[], span: number): number {
  let best = 0;
  for (let i = 0, j = 0; i < samples.length; i++) {
    while (samples[i] - samples[j] >= span) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}
