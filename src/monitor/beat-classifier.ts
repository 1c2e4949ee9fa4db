// Label-free, per-patient AAMI beat classes (N, S, V, Q) from morphology and rhythm.
//
// Learning (the record's own learning period, no labels, PVCs allowed in it):
//   1. the beats' QRS windows are clustered by correlation (leader clustering: a beat joins the
//      first cluster whose mean it matches with r >= CLUSTER_CORR, else starts a new one);
//   2. the dominant morphology is, among the clusters at least half as large as the largest, the
//      one whose beats come least early (lowest median prematurity): in bigeminy the PVCs can be
//      as many as the normal beats, but they are the early ones;
//   3. the normal cycle length is the median N-N interval (consecutive dominant beats); when those
//      intervals fall in two groups (a gap of more than RR_MODE_GAP between sorted values, each
//      group at least 15%), the longer group's median: short cycles then belong to ectopic runs
//      (record 232: runs of atrial premature beats between sinus beats after long pauses).
// Classifying each beat (in order):
//   Q  inside a stretch of unreadable signal;
//   V  abnormal QRS: correlation with the dominant template below V_CORR, or below V_CORR_WIDE
//      with a QRS wider (width ratio > V_WIDTH) or larger/smaller (|log amplitude ratio| >
//      V_LOG_AMPLITUDE) than the template, premature or not;
//   S  normal QRS and premature: RR < S_PREMATURE x the normal cycle length;
//   N  otherwise.
// The template follows slow drift (1/32 updates from clearly normal beats) and the cycle length
// follows N-N intervals (median of the last 8), so the rhythm reference is N beats only.

import type { BeatClass } from './beat-class.ts';
import { median } from '../detect/thresholds.ts';
import { VentricularTemplates } from './fusion.ts';
import { PACED_SPIKE, PacingTracker } from './pacing.ts';
import { area, bestAlignment, centre, correlation, peakToPeak, QRS_POINTS, width, type QrsShape } from './qrs-morphology.ts';

export interface ClassifierSettings {
  clusterCorr: number;
  vCorr: number;
  vCorrWide: number;
  vWidth: number;
  vLogAmplitude: number;
  sPremature: number;
  /** S also needs RR < this x the previous RR, or an S run going on at RR < sRun x the cycle. */
  sLocal: number;
  sRun: number;
  /** A premature beat is V below this template correlation. */
  vCorrPremature: number;
  /** An abnormal-looking beat that is not premature is V only when the autoencoder's shape z is above this. */
  vShapeZ: number;
  /** Below this log amplitude ratio an abnormal-looking complex is Q (unclassifiable). */
  qLogAmplitude: number;
  /** Width ratio that alone makes a QRS clearly different. */
  vWidthAlone: number;
  /** ...and at least this large (log area ratio to the template): a smaller on-time complex is a normal beat shrunk in noise. */
  vLateLogArea: number;
  /** ...and wider than this x the template's QRS: a ventricular beat conducts slowly, so its QRS is wide. */
  vLateWidth: number;
  /** A complex no wider than this x the template and smaller in area (log area ratio < 0) is never V: it is Q when unlike the template. */
  vNarrowWidth: number;
  rrModeGap: number;
  templateRate: number;
  /** Fusion (F, fusion.ts): only beats at least this late (RR / cycle; fusion needs the sinus impulse to arrive) ... */
  fMinRr: number;
  /** ... called V, or called N with a template correlation below fCandidateCorr ... */
  fCandidateCorr: number;
  /** ... matched by a normal/PVC mix with at least this correlation, leaving at most fResidual of what N or the best PVC template alone leaves unmatched (1 - r). */
  fMixCorr: number;
  fResidual: number;
  /** A fused QRS is wider than the normal one (part of it conducts slowly, as a PVC's): width ratio at least this. */
  fMinWidth: number;
}

/** Chosen on the five shared MIT-BIH records (docs/monitor-classes.md says how). */
export const DEFAULT_CLASSIFIER: ClassifierSettings = {
  clusterCorr: 0.9, vCorr: 0.75, vCorrWide: 0.95, vWidth: 1.4, vLogAmplitude: Math.log(1.6),
  sPremature: 0.85, sLocal: 0.85, sRun: 0.7, vCorrPremature: 0.9, vShapeZ: 4, vWidthAlone: 2, vLateLogArea: Math.log(1.1), vLateWidth: 1.15, vNarrowWidth: 1, qLogAmplitude: Math.log(0.45), rrModeGap: 1.3, templateRate: 1 / 32,
  fMinRr: 0.9, fCandidateCorr: 0.97, fMixCorr: 0.9, fResidual: 0.5, fMinWidth: 1.15,
};

export interface ClassifierInput {
  sample: number;
  /** RR before this beat in samples, null for the first. */
  rr: number | null;
  shape: QrsShape;
  /** True inside a quality episode (unreadable signal). */
  unreadable: boolean;
  /** The autoencoder's shape error as a robust z (null without a learned scorer). */
  shapeZ: number | null;
  /** Pacemaker-spike score (pacing.ts); 0 when not measured. */
  spike: number;
}

export interface BeatFeatures {
  corr: number; widthRatio: number; logAmplitude: number; logArea: number;
  /** RR / the normal cycle length. */
  rrRatio: number | null;
  /** RR / the previous RR. */
  rrLocal: number | null;
  shapeZ: number | null;
  spike: number;
}

const NN_HISTORY = 8;
/** RR / cycle range in which an interval next to a Q beat updates the cycle. */
const Q_RHYTHM_BAND = [0.8, 1.25] as const;
const PACED_MORPHOLOGY_CORR = 0.9;
const MIN_LEARN_BEATS = 20;

interface Cluster { sum: Float32Array; mean: Float32Array; members: number[] }

export class BeatClassifier {
  private template: Float32Array | null = null;
  private templateAmp = 1;
  private templateArea = 1;
  private templateWidth = 1;
  private readonly nn: number[] = [];
  private cycle = 0;
  private lastClass: BeatClass | null = null;
  private lastRr: number | null = null;
  private readonly pacing = new PacingTracker();
  private readonly ventricular = new VentricularTemplates();
  /** The paced beats' QRS morphologies (beats with a spike in a paced rhythm). */
  private readonly pacedShapes = new VentricularTemplates();
  readonly settings: ClassifierSettings;

  constructor(settings: Partial<ClassifierSettings> = {}) {
    this.settings = { ...DEFAULT_CLASSIFIER, ...settings };
  }

  get learned(): boolean { return this.template !== null; }
  get cycleLength(): number { return this.cycle; }
  /** True once a paced rhythm was detected (pacing.ts). */
  get pacedRhythm(): boolean { return this.pacing.paced; }

  /** Learns the dominant morphology and the normal cycle from the learning beats; false with too few beats. */
  learn(beats: readonly ClassifierInput[]): boolean {
    let usable = beats.map((b, i) => i).filter((i) => !beats[i].unreadable);
    if (usable.length < MIN_LEARN_BEATS) return false;
    this.pacing.learn(usable.map((i) => beats[i].spike));
    // A paced record: the patient's own (non-paced) beats are the reference where there are enough.
    const own = usable.filter((i) => beats[i].spike < PACED_SPIKE);
    if (this.pacing.paced && own.length >= MIN_LEARN_BEATS) usable = own;
    const clusters = clusterShapes(usable.map((i) => centre(beats[i].shape)), this.settings.clusterCorr);
    const largest = Math.max(...clusters.map((c) => c.members.length));
    // How early a beat came against the beat before it (> 1: early).
    const earliness = (k: number) => {
      const i = usable[k], rr = beats[i].rr, prev = beats[i - 1]?.rr;
      return rr !== null && prev != null ? prev / rr : 1;
    };
    const candidates = clusters.filter((c) => c.members.length >= 0.5 * largest);
    const early = (c: Cluster) => median(c.members.map(earliness));
    const dominant = candidates.reduce((best, c) => (early(c) < early(best) ? c : best));
    this.setTemplate(dominant.mean);
    const inDominant = new Uint8Array(beats.length);
    for (const k of dominant.members) inDominant[usable[k]] = 1;
    const nn: number[] = [];
    for (let i = 1; i < beats.length; i++) {
      const rr = beats[i].rr;
      if (inDominant[i] && inDominant[i - 1] && rr !== null) nn.push(rr);
    }
    const all = beats.map((b) => b.rr).filter((r): r is number => r !== null);
    this.cycle = normalCycle(nn.length >= 8 ? nn : all, this.settings.rrModeGap);
    return true;
  }

  features(b: ClassifierInput): BeatFeatures {
    const t = this.template!;
    const { corr, window } = bestAlignment(b.shape, t);
    return { corr, widthRatio: width(window) / this.templateWidth,
      logAmplitude: Math.log(Math.max(1e-9, peakToPeak(window)) / this.templateAmp),
      logArea: Math.log(Math.max(1e-9, area(window)) / this.templateArea),
      rrRatio: b.rr !== null && this.cycle > 0 ? b.rr / this.cycle : null,
      rrLocal: b.rr !== null && this.lastRr !== null ? b.rr / this.lastRr : null, shapeZ: b.shapeZ, spike: b.spike };
  }

  classify(b: ClassifierInput): { cls: BeatClass; features: BeatFeatures | null; paced: boolean } {
    if (!this.template) throw new Error('internal: classify before learn');
    if (b.unreadable) { this.lastClass = 'Q'; this.lastRr = b.rr; return { cls: 'Q', features: null, paced: false }; }
    const f = this.features(b);
    const paced = this.pacedBeat(b, f);
    // A paced beat is AAMI class Q: its wide QRS is the pacemaker's, not a ventricular ectopic.
    let cls = paced ? 'Q' : this.decide(f);
    if (!paced && this.isFusion(b, f, cls)) cls = 'F';
    if (cls === 'V') this.ventricular.add(b.shape);
    if (cls === 'N') this.followNormal(b, f);
    else if (cls === 'Q' && !paced) this.followRhythmThroughQ(b);
    this.lastClass = cls;
    this.lastRr = b.rr;
    return { cls, features: f, paced };
  }

  /**
   * A paced beat: a pacing spike in a paced rhythm, or, there, a beat without a visible spike whose
   * QRS matches one of the paced beats' morphologies (r >= PACED_MORPHOLOGY_CORR, and better than
   * the patient's own template): a spike lost in noise or too small (record 104).
   */
  private pacedBeat(b: ClassifierInput, f: BeatFeatures): boolean {
    const spiky = this.pacing.next(b.spike);
    if (!this.pacing.paced) return false;
    if (spiky) { this.pacedShapes.add(b.shape); return true; }
    const r = this.pacedShapes.bestCorr(b.shape);
    return r >= PACED_MORPHOLOGY_CORR && r > f.corr;
  }

  /**
   * A late beat called V, or an unusual N, or a small unlike complex (Q: fused opposite deflections
   * cancel) that a normal/PVC mix explains better than either (fusion.ts).
   */
  private isFusion(b: ClassifierInput, f: BeatFeatures, cls: BeatClass): boolean {
    const s = this.settings;
    if (!(cls === 'V' || cls === 'Q' || (cls === 'N' && f.corr < s.fCandidateCorr)) || f.rrRatio === null || f.rrRatio < s.fMinRr) return false;
    if (f.widthRatio < s.fMinWidth) return false;
    const m = this.ventricular.match(b.shape, this.template!, f.corr);
    return m !== null && m.mixCorr >= s.fMixCorr && 1 - m.mixCorr <= s.fResidual * (1 - Math.max(m.normalCorr, m.vCorr));
  }

  private decide(f: BeatFeatures): BeatClass {
    const s = this.settings;
    const premature = f.rrRatio !== null && f.rrRatio < s.sPremature;
    const earlyVsPrevious = f.rrLocal !== null && f.rrLocal < s.sLocal;
    const wideOrResized = f.widthRatio > s.vWidth || Math.abs(f.logAmplitude) > s.vLogAmplitude;
    const abnormalShape = f.corr < s.vCorr || (f.corr < s.vCorrWide && wideOrResized);
    // A complex much smaller than the patient's QRS and unlike it: noise or an artefact, not a beat to call V.
    if (abnormalShape && f.logAmplitude < s.qLogAmplitude && !(f.rrRatio !== null && f.rrRatio < s.sRun && f.rrRatio > 0.4)) return 'Q';
    // Nor is a complex no wider and smaller (in area) than the patient's QRS: a PVC spreads slowly
    // through the muscle, so it is wide and large. Every such beat called V on the shared records
    // (128-1000 Hz) was a reference N beat or a noise detection in record 108; of their 460 reference
    // PVCs called V at 360 Hz, none is both (106: width ratio >= 1.5; 108: area ratio >= 0.86).
    const narrowSmall = f.widthRatio <= s.vNarrowWidth && f.logArea < 0;
    if (abnormalShape && narrowSmall) return 'Q';
    // Inside an SVE run, a beat at the run's own rate whose QRS is only moderately changed is
    // aberrant conduction, not a PVC (record 232).
    const inSveRun = this.lastClass === 'S' && f.rrLocal !== null && f.rrLocal > 0.85 && f.rrLocal < 1.15 && f.corr >= s.vCorr;
    if (inSveRun && premature) return 'S';
    if (abnormalShape && premature) return 'V';
    if (premature && f.corr < s.vCorrPremature && !narrowSmall) return 'V';
    // Not early: only a clearly different QRS (unlike the template, or twice as wide) that the autoencoder also finds abnormal.
    // And not smaller (in area) than the patient's QRS: every on-time beat this rule called V on
    // the shared records, at 128-1000 Hz, was a reference N beat in record 108's noise (none a
    // PVC), most under 0.8x the template's area, and whether the autoencoder's z passed 4 there
    // depended on the sampling rate; a late PVC is wide, so its area is larger.
    const clearlyDifferent = f.corr < s.vCorr || f.widthRatio > s.vWidthAlone;
    // A late PVC is also wide (vLateWidth): at 250 Hz a 108 beat of the template's width and area with z 4.3 was called V.
    if (clearlyDifferent && f.logArea >= s.vLateLogArea && f.widthRatio > s.vLateWidth && f.shapeZ !== null && f.shapeZ > s.vShapeZ) return 'V';
    if (premature && (earlyVsPrevious || (f.rrRatio !== null && f.rrRatio < s.sRun))) return 'S';
    return 'N';
  }

  private followNormal(b: ClassifierInput, f: BeatFeatures): void {
    if (this.lastClass === 'N' && b.rr !== null) this.pushCycle(b.rr);
    else if (this.lastClass === 'Q') this.followRhythmThroughQ(b);
    if (f.corr > 0.95) {
      const { window } = bestAlignment(b.shape, this.template!);
      const t = Float32Array.from(this.template!);
      const a = this.settings.templateRate;
      for (let i = 0; i < QRS_POINTS; i++) t[i] += a * (window[i] - t[i]);
      this.setTemplate(t);
    }
  }

  /**
   * An interval next to a Q beat (a small complex unlike the template: often a normal beat shrunk
   * in noise) follows the rhythm too when it is near the cycle (Q_RHYTHM_BAND): else, where noise
   * makes most beats Q, the cycle froze while the rate changed, and regular beats came to look
   * early (record 108's last minutes: the cycle stuck at 0.99 s while RR fell to 0.85 s, whose
   * beats were then called V or not depending on which few were N, i.e. on the sampling rate).
   * Noise detections (short intervals) and pauses fall outside the band.
   */
  private followRhythmThroughQ(b: ClassifierInput): void {
    if (b.rr === null || this.cycle <= 0 || (this.lastClass !== 'N' && this.lastClass !== 'Q')) return;
    const ratio = b.rr / this.cycle;
    if (ratio >= Q_RHYTHM_BAND[0] && ratio <= Q_RHYTHM_BAND[1]) this.pushCycle(b.rr);
  }

  private pushCycle(rr: number): void {
    this.nn.push(rr);
    if (this.nn.length > NN_HISTORY) this.nn.shift();
    if (this.nn.length >= 3) this.cycle = median(this.nn);
  }

  private setTemplate(t: Float32Array): void {
    this.template = Float32Array.from(t);
    this.templateAmp = Math.max(1e-9, peakToPeak(t));
    this.templateArea = Math.max(1e-9, area(t));
    this.templateWidth = Math.max(1, width(t));
  }
}

function clusterShapes(shapes: Float32Array[], minCorr: number): Cluster[] {
  const clusters: Cluster[] = [];
  shapes.forEach((x, i) => {
    let best: Cluster | null = null, bestCorr = minCorr;
    for (const c of clusters) {
      const r = correlation(x, c.mean, QRS_POINTS);
      if (r >= bestCorr) { best = c; bestCorr = r; }
    }
    if (!best) { best = { sum: new Float32Array(QRS_POINTS), mean: new Float32Array(QRS_POINTS), members: [] }; clusters.push(best); }
    best.members.push(i);
    for (let k = 0; k < QRS_POINTS; k++) { best.sum[k] += x[k]; best.mean[k] = best.sum[k] / best.members.length; }
  });
  return clusters;
}

/** Median cycle, or the longer group's median when the sorted cycles split in two (see the header). */
export function normalCycle(rr: readonly number[], gap: number): number {
  const s = [...rr].sort((a, b) => a - b);
  const minGroup = Math.ceil(0.15 * s.length);
  let split = -1, bestGap = gap;
  for (let i = minGroup; i <= s.length - minGroup; i++) {
    const g = s[i] / s[i - 1];
    if (g > bestGap) { bestGap = g; split = i; }
  }
  return median(split > 0 ? s.slice(split) : s);
}
