// Fusion beats (AAMI F): a ventricular ectopic impulse and the sinus impulse depolarise the
// ventricles together, so the QRS lies between the patient's normal QRS and that patient's PVC.
// The classifier keeps the PVC morphologies it has seen (leader clustering of the beats it called
// V, each template in the frame of the R peak as detected, like the normal template, so the two
// can be mixed point by point); a beat is a fusion candidate when a mix a*N + (1-a)*V with a in [0.25, 0.75] matches
// it clearly better (in correlation) than the normal template or any single PVC template (the
// classifier's settings say how much, and add that a fused QRS is wider than the normal one).

import { bestAlignment, centre, QRS_POINTS, type QrsShape } from './qrs-morphology.ts';

const MAX_TEMPLATES = 6;
const JOIN_CORR = 0.9;
/** A template is a running mean of its first beats, then follows at this rate. */
const FOLLOW = 1 / 32;
const MIXES = [0.25, 0.375, 0.5, 0.625, 0.75];
/** Beats a PVC template needs before it is used for fusion (one odd beat is not a morphology). */
const MIN_MEMBERS = 3;

export interface FusionMatch {
  /** Best correlation with a mix, with the normal template, and with the best single PVC template. */
  mixCorr: number; normalCorr: number; vCorr: number;
  /** Share of the normal template in the best mix. */
  alpha: number;
}

interface VTemplate { mean: Float32Array; members: number }

/** Morphologies seen (PVCs here; the classifier also keeps the paced beats' in one). */
export class VentricularTemplates {
  private readonly templates: VTemplate[] = [];

  get count(): number { return this.templates.length; }

  /**
   * Adds a beat called V. A new template starts from the beat's unshifted window (cut at its R
   * peak, as the normal template's beats were: so the two can be mixed point by point); later
   * members are aligned to it.
   */
  add(shape: QrsShape): void {
    let best: VTemplate | null = null, bestCorr = JOIN_CORR, window: Float32Array = centre(shape);
    for (const t of this.templates) {
      const a = bestAlignment(shape, t.mean);
      if (a.corr >= bestCorr) { best = t; bestCorr = a.corr; window = a.window; }
    }
    if (!best) {
      if (this.templates.length >= MAX_TEMPLATES) return;
      best = { mean: new Float32Array(QRS_POINTS), members: 0 };
      this.templates.push(best);
    }
    best.members++;
    const rate = Math.max(FOLLOW, 1 / best.members);
    for (let i = 0; i < QRS_POINTS; i++) best.mean[i] += rate * (window[i] - best.mean[i]);
  }

  /** The beat's best correlation with any template of at least MIN_MEMBERS beats (-1 without one). */
  bestCorr(shape: QrsShape): number {
    let best = -1;
    for (const t of this.templates) if (t.members >= MIN_MEMBERS) best = Math.max(best, bestAlignment(shape, t.mean).corr);
    return best;
  }

  /** The best normal/PVC mix for this beat, or null without a PVC template yet. */
  match(shape: QrsShape, normal: Float32Array, normalCorr: number): FusionMatch | null {
    let out: FusionMatch | null = null;
    let vCorr = -1;
    const n = centred(normal);
    const shifts = shape.cuts.length / QRS_POINTS;
    for (const t of this.templates) {
      if (t.members < MIN_MEMBERS) continue;
      const v = centred(t.mean);
      const nn = dot(n, n, 0), vv = dot(v, v, 0), nv = dot(n, v, 0);
      // corr(x, a N + (1 - a) V) from five dot products, for every mix at once (x centred per shift;
      // N and V are centred, so the mix is too and x's mean drops out of the products with them).
      for (let k = 0; k < shifts; k++) {
        const o = k * QRS_POINTS;
        let m = 0;
        for (let i = 0; i < QRS_POINTS; i++) m += shape.cuts[o + i];
        m /= QRS_POINTS;
        let xx = 0;
        for (let i = 0; i < QRS_POINTS; i++) { const d = shape.cuts[o + i] - m; xx += d * d; }
        if (!(xx > 0)) continue;
        const xn = dot(shape.cuts, n, o), xv = dot(shape.cuts, v, o);
        if (vv > 0) vCorr = Math.max(vCorr, xv / Math.sqrt(xx * vv));
        for (const a of MIXES) {
          const b = 1 - a, mm = a * a * nn + 2 * a * b * nv + b * b * vv;
          if (!(mm > 0)) continue;
          const corr = (a * xn + b * xv) / Math.sqrt(xx * mm);
          if (!out || corr > out.mixCorr) out = { mixCorr: corr, normalCorr, vCorr: 0, alpha: a };
        }
      }
    }
    // The single-PVC correlation compared against is the best over all templates and shifts.
    if (out) out.vCorr = vCorr;
    return out;
  }
}

function centred(x: Float32Array): Float32Array {
  let m = 0;
  for (let i = 0; i < QRS_POINTS; i++) m += x[i];
  m /= QRS_POINTS;
  return Float32Array.from(x.subarray(0, QRS_POINTS), (v) => v - m);
}

function dot(x: ArrayLike<number>, y: Float32Array, offset: number): number {
  let s = 0;
  for (let i = 0; i < QRS_POINTS; i++) s += x[offset + i] * y[i];
  return s;
}
