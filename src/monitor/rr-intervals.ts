// RR intervals and prematurity. A beat's prematurity is how much earlier it came than the
// recent rhythm predicts: log(median of the previous 8 RR intervals / this beat's RR). A normal
// beat sits near 0; a PVC or an atrial premature beat is clearly positive, even when its shape
// looks like the patient's normal beat.

import { median } from '../detect/thresholds.ts';

export const RR_HISTORY = 8;

/** Streaming tracker: feed R peaks in order, get each beat's RR (samples) and prematurity. */
export class RrTracker {
  private last: number | null = null;
  private readonly history: number[] = [];

  /** rr: samples since the previous R (null for the first); prematurity: null until one RR exists. */
  next(r: number): { rr: number | null; prematurity: number | null } {
    const rr = this.last === null ? null : r - this.last;
    this.last = r;
    if (rr === null) return { rr, prematurity: null };
    const ref = this.history.length > 0 ? median(this.history) : rr;
    this.history.push(rr);
    if (this.history.length > RR_HISTORY) this.history.shift();
    return { rr, prematurity: Math.log(ref / rr) };
  }
}
