// Stretches of signal that cannot be read (lead off, saturation, heavy noise), as the signal
// layer reports them: {start, end, kind} in sample indices, end exclusive. The monitor calls
// the beats inside them Q and raises no alarm from them.

export interface QualityEpisode {
  start: number;
  /** Exclusive. */
  end: number;
  /** What made it unreadable, e.g. "noise", "flat", "saturated", "lead-off" (carried into reports). */
  kind: string;
}

export class QualityEpisodes {
  private episodes: QualityEpisode[] = [];

  constructor(initial: readonly QualityEpisode[]) {
    for (const e of initial) this.add(e, -1);
  }

  /** Adds an episode; refused when it reaches back to a beat already given out (at `lastEmitted`). */
  add(e: QualityEpisode, lastEmitted: number): QualityEpisode {
    if (!Number.isSafeInteger(e.start) || !Number.isSafeInteger(e.end) || e.start < 0 || e.end <= e.start) {
      throw new Error(`quality episode needs integer samples 0 <= start < end, got start ${e.start}, end ${e.end}`);
    }
    if (typeof e.kind !== 'string' || e.kind === '') throw new Error('quality episode needs a kind');
    if (e.start <= lastEmitted) {
      throw new Error(`quality episode from sample ${e.start} comes after the beat at sample ${lastEmitted} was given out: push it before the samples it covers`);
    }
    const stored = { start: e.start, end: e.end, kind: e.kind };
    this.episodes.push(stored);
    return stored; // the caller may move its end while the episode is still growing
  }

  /** True when an episode covers a sample in (after, sample]: the beat at `sample` is unreadable or its RR spans unreadable signal. */
  between(after: number, sample: number): boolean {
    for (const e of this.episodes) if (e.start <= sample && e.end > after + 1) return true;
    return false;
  }

  covers(sample: number): boolean {
    for (const e of this.episodes) if (sample >= e.start && sample < e.end) return true;
    return false;
  }

  /** Drops episodes that end at or before `sample` (beats are given out in order). */
  forgetBefore(sample: number): void {
    if (this.episodes.some((e) => e.end <= sample)) this.episodes = this.episodes.filter((e) => e.end > sample);
  }

  get all(): readonly QualityEpisode[] { return this.episodes; }
}
