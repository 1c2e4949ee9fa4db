// The eval command's per-record and gross table, bxb style (percentages; n/a where a statistic
// has no denominator, e.g. VEB Se on a record without V beats, SVEB with a V-only reference).

import type { GrossScore, RecordScore } from './bxb.ts';

const pct = (v: number | null | undefined) => (v == null ? 'n/a' : (100 * v).toFixed(2));
const COLUMNS = ['record', 'QRS Se', 'QRS +P', 'VEB Se', 'VEB +P', 'VEB FPR', 'false V/h', 'SVEB Se', 'SVEB +P', 'ref V', 'ref S', 'hours', 'alarms', 'max/1h'];

function row(cells: string[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(10) : c.padStart(i === 6 ? 10 : 8))).join(' ').trimEnd();
}

function refCount(s: RecordScore, cls: 'V' | 'S' | 'F'): number {
  return Object.values(s.matrix[cls]).reduce((a, b) => a + b, 0);
}

function maxInAnHour(scores: readonly RecordScore[]): string {
  const counted = scores.filter((s) => s.alarms);
  return counted.length > 0 ? String(Math.max(...counted.map((s) => s.alarms!.maxInAnHour))) : '';
}

export function evalTable(scores: readonly RecordScore[], gross: GrossScore, learningSeconds: number): string[] {
  const lines = [`bxb-style evaluation after a ${learningSeconds} s learning period, 150 ms matching (percent)`, row(COLUMNS)];
  const recordRow = (s: RecordScore) => row([s.paced ? `${s.record}*` : s.record, pct(s.qrs.se), pct(s.qrs.ppv),
    ...(s.paced ? ['-', '-', '-', '-', '-', '-'] : [pct(s.veb.se), pct(s.veb.ppv), pct(s.veb.fpr), s.veb.falsePerHour.toFixed(1), pct(s.sveb?.se), pct(s.sveb?.ppv)]),
    String(refCount(s, 'V')), s.knowsAllClasses ? String(refCount(s, 'S')) : 'n/a', s.hours.toFixed(2),
    s.alarms ? String(s.alarms.count) : '', s.alarms ? String(s.alarms.maxInAnHour) : '']);
  for (const s of scores.filter((x) => !x.paced)) lines.push(recordRow(s));
  lines.push(row(['gross', pct(gross.qrs.se), pct(gross.qrs.ppv), pct(gross.veb.se), pct(gross.veb.ppv), pct(gross.veb.fpr),
    gross.veb.falsePerHour.toFixed(1), pct(gross.sveb?.se), pct(gross.sveb?.ppv), '', '', gross.hours.toFixed(2),
    gross.alarmsPerHour === null ? '' : `${gross.alarmsPerHour.toFixed(1)}/h`, maxInAnHour(scores)]));
  const paced = scores.filter((x) => x.paced);
  if (paced.length > 0) {
    lines.push('', 'paced records (* : EC57 leaves them out of class statistics; QRS counted in gross):');
    for (const s of paced) lines.push(recordRow(s));
  }
  const calledF = (x: RecordScore) => (['N', 'S', 'V', 'F', 'Q', 'O'] as const).reduce((n, r) => n + x.matrix[r].F, 0);
  lines.push(`fusion: beats called F (reference F beats) ${scores.map((x) => `${x.record} ${calledF(x)} (${x.knowsAllClasses ? refCount(x, 'F') : 'n/a'})`).join(', ')}`);
  const alarmed = scores.filter((s) => s.alarms && s.alarms.count > 0);
  if (scores.some((s) => s.alarms)) lines.push('alarms: raised with the defaults after the learning period; max/1h: most within any 60 minutes');
  if (alarmed.length > 0) lines.push(`alarms raised: ${alarmed.map((s) => `${s.record} ${s.alarms!.types.join(', ')}`).join('; ')}`);
  const pacing = scores.filter((s) => s.pacedDetected);
  if (scores.some((s) => s.pacedDetected !== undefined)) lines.push(`paced rhythm detected: ${pacing.length > 0 ? pacing.map((s) => s.record).join(', ') : 'none'}`);
  lines.push(`gross QRS: ${gross.records} record(s); class statistics: ${gross.classRecords} non-paced record(s)` +
    (scores.some((s) => !s.knowsAllClasses) ? '; SVEB only where the reference has all classes (not beats.csv)' : ''));
  return lines;
}
