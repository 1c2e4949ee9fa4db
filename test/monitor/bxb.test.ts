// bxb-style scoring on synthetic cases (exact detections, 150 / 151 ms shifts, learning period,
// wrong classes, paced records) and the two text reference formats.
import { describe, expect, it } from 'vitest';
import { grossScore, scoreRecord, type TestBeat } from '../../src/monitor/bxb.ts';
import type { BeatClass } from '../../src/monitor/beat-class.ts';
import { parseBeatsCsv, parseRdannText, type ReferenceAnnotations } from '../../src/monitor/reference-annotations.ts';

const FS = 360;
// 30 minutes at 1 beat/s: every 10th beat V, every 15th (not V) S.
const samples = Array.from({ length: 1800 }, (_, i) => 180 + i * FS);
const classes: BeatClass[] = samples.map((_, i) => (i % 10 === 9 ? 'V' : i % 15 === 14 ? 'S' : 'N'));
const ref: ReferenceAnnotations = { samples: Int32Array.from(samples), classes, knowsAllClasses: true, paced: false, source: 'synthetic' };
const test = (shift: number, cls = classes): TestBeat[] => samples.map((s, i) => ({ sample: s + shift, class: cls[i] }));
const score = (t: TestBeat[], record = 'x', r = ref) => scoreRecord(t, r, { fs: FS, totalSamples: 1800 * FS + 360, record });

describe('bxb scoring', () => {
  it('exact detections and classes give 100% everywhere; a 150 ms shift still matches', () => {
    for (const shift of [0, 54, -54]) {
      const s = score(test(shift));
      expect([s.qrs.se, s.qrs.ppv, s.veb.se, s.veb.ppv, s.sveb!.se, s.sveb!.ppv]).toEqual([1, 1, 1, 1, 1, 1]);
      expect(s.veb.fpr).toBe(0);
      expect(s.veb.falsePerHour).toBe(0);
    }
  });

  it('a 151 ms shift matches nothing: every statistic is 0', () => {
    const s = score(test(55));
    expect([s.qrs.se, s.qrs.ppv, s.veb.se, s.veb.ppv, s.sveb!.se, s.sveb!.ppv]).toEqual([0, 0, 0, 0, 0, 0]);
    expect(s.qrs.fn).toBe(1500); // the beats after the 5-minute learning period
    expect(s.veb.falsePerHour).toBeCloseTo(150 / (s.hours), 6);
  });

  it('leaves the first 5 minutes out and counts class errors as bxb does', () => {
    // Test calls every V an N and every 3rd N a V.
    const cls = classes.map((c, i) => (c === 'V' ? 'N' : c === 'N' && i % 3 === 0 ? 'V' : c)) as BeatClass[];
    const s = score(test(0, cls));
    const after = samples.map((x, i) => ({ x, i })).filter(({ x }) => x >= 300 * FS);
    const refV = after.filter(({ i }) => classes[i] === 'V').length;
    const falseV = after.filter(({ i }) => classes[i] === 'N' && i % 3 === 0).length;
    expect(s.matrix.V.N).toBe(refV);
    expect(s.matrix.N.V).toBe(falseV);
    expect(s.veb.se).toBe(0);
    expect(s.veb.ppv).toBe(0);
    expect(s.veb.fpr).toBeCloseTo(falseV / after.filter(({ i }) => classes[i] !== 'V').length, 9);
    expect(s.qrs.se).toBe(1);
  });

  it('a missed beat and an extra one count for QRS and the classes', () => {
    const t = test(0).filter((_, i) => i !== 1000); // an N beat missed
    // The V beat 999 placed half a beat late: a missed V and a V on no beat.
    const withoutV = test(0).filter((_, i) => i !== 999);
    withoutV.push({ sample: samples[999] + 180, class: 'V' });
    withoutV.sort((a, b) => a.sample - b.sample);
    const s = score(withoutV);
    expect(s.qrs.fn).toBe(1);
    expect(s.qrs.fp).toBe(1);
    expect(s.veb.fn).toBe(1);
    expect(s.veb.fp).toBe(1);
    expect(s.matrix.V.O).toBe(1);
    expect(s.matrix.O.V).toBe(1);
    expect(score(t).qrs.fn).toBe(1);
  });

  it('paced records count for QRS only in gross statistics', () => {
    const good = score(test(0), '100');
    const pacedBad = score(test(0, classes.map(() => 'V')), '104');
    expect(pacedBad.paced).toBe(true);
    const g = grossScore([good, pacedBad]);
    expect(g.veb.ppv).toBe(1);
    expect(g.classRecords).toBe(1);
    expect(g.qrs.tp).toBe(good.qrs.tp * 2);
  });

  it('reads rdann listings and beats.csv, naming file and line on errors', () => {
    const text = '      Time   Sample #  Type  Sub Chan  Num\tAux\n    0:00.211       76     +    0    0    0\t(N\n' +
      '    0:00.500      180     N    0    0    0\n    0:01.000      360     A    0    0    0\n    0:01.500      540     V    0    0    0\n' +
      '    0:01.600      576     ~    0    0    0\n    0:02.000      720     /    0    0    0\n';
    const r = parseRdannText(text, 'r.ann.txt');
    expect(Array.from(r.samples)).toEqual([180, 360, 540, 720]);
    expect(r.classes).toEqual(['N', 'S', 'V', 'Q']);
    expect(r.paced).toBe(true);
    expect(() => parseRdannText(text.replace('360', '3x0'), 'r.ann.txt')).toThrow(/r\.ann\.txt:4: field "Sample #" is "3x0"/);
    const c = parseBeatsCsv('sample,pvc\n10,0\n20,1\n', 'b.csv');
    expect(c.classes).toEqual(['N', 'V']);
    expect(c.knowsAllClasses).toBe(false);
    expect(() => parseBeatsCsv('sample,pvc\n10,2\n', 'b.csv')).toThrow(/b\.csv:2: field "pvc" is "2"/);
    const s = scoreRecord([{ sample: 10, class: 'N' }], c, { fs: 360, totalSamples: 100, learningSeconds: 0.001, record: 'b' });
    expect(s.sveb).toBeNull();
  });
});
