// Rhythm events, alarms and the Holter report: synthetic beat sequences for each event type and
// the alarm rules (never a single ectopic, refractory period, no alarm from Q beats), then
// report.html of record 106 rendered in Chromium.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { Alarms, maxWithin } from '../../src/monitor/alarms.ts';
import type { BeatClass } from '../../src/monitor/beat-class.ts';
import { HolterAccumulator } from '../../src/monitor/holter-summary.ts';
import { RhythmEvents, type RhythmEvent } from '../../src/monitor/rhythm-events.ts';
import { CHROMIUM, CHROMIUM_ARGS } from '../package/chromium.ts';
import { cli, MITDB } from './helpers.ts';

const FS = 360;
/** Events of beats given as a class string, at a fixed RR or one RR (s) per beat. */
function run(classes: string, rr: number[] | number = 0.8) {
  const ev = new RhythmEvents(FS);
  const started: RhythmEvent[] = [], ended: RhythmEvent[] = [];
  let t = 0;
  [...classes].forEach((c, i) => {
    t += Math.round((Array.isArray(rr) ? rr[i] : rr) * FS);
    const u = ev.next({ sample: t, class: c as BeatClass });
    started.push(...u.started); ended.push(...u.ended);
  });
  const u = ev.end();
  ended.push(...u.ended);
  return { started, ended };
}

describe('rhythm events and alarms', () => {
  it('finds couplets, V runs with their rate, SVE runs, bigeminy and trigeminy', () => {
    const { ended } = run('NNNVVNNNVVVVNNNSSSNNNVNVNVNVNNNNNVNNVNNVNNVNNNN');
    const types = ended.map((e) => e.type);
    expect(types.filter((t) => t === 'couplet')).toHaveLength(1);
    const vt = ended.find((e) => e.type === 'vt')!;
    expect(vt.beats).toBe(4);
    expect(vt.rate).toBeCloseTo(75, 5);
    expect(ended.find((e) => e.type === 'sve-run')!.beats).toBe(3);
    expect(ended.find((e) => e.type === 'bigeminy')!.beats).toBe(8);
    expect(ended.find((e) => e.type === 'trigeminy')!.beats).toBe(12);
    expect(run('NNNNVNNNNVNNNN').ended).toEqual([]); // single PVCs make no event
  });

  it('finds pauses (not across Q beats) and brady/tachycardia from N-N intervals only', () => {
    const rr = Array(20).fill(0.8); rr[10] = 2.5; rr[15] = 2.5;
    const p = run('NNNNNNNNNNNNNNNQNNNN', rr).ended.filter((e) => e.type === 'pause');
    expect(p).toHaveLength(1);
    expect(p[0].seconds).toBeCloseTo(2.5, 2);
    const slow = run('N'.repeat(40), 1.5).ended.find((e) => e.type === 'bradycardia')!;
    expect(slow.rate).toBeCloseTo(40, 5);
    expect(run('N'.repeat(60), 0.4).ended.some((e) => e.type === 'tachycardia')).toBe(true);
    // Fast V beats between slow N beats do not make a tachycardia.
    expect(run('NV'.repeat(40), 0.45).ended.some((e) => e.type === 'tachycardia')).toBe(false);
  });

  it('alarms on configured events only, never a single ectopic, with a refractory period', () => {
    const a = new Alarms(FS, { refractorySeconds: 60 });
    const vt = (at: number, rate = 150): RhythmEvent => ({ type: 'vt', start: at - FS, end: at, beats: 3, rate });
    expect(a.next([{ type: 'couplet', start: 0, end: 100, beats: 2 }, { type: 'bigeminy', start: 0, end: 100, beats: 6 }])).toEqual([]);
    expect(a.next([vt(10 * FS)])).toHaveLength(1);
    expect(a.next([vt(40 * FS)])).toHaveLength(0); // refractory
    expect(a.next([vt(80 * FS)])).toHaveLength(1);
    expect(a.next([vt(300 * FS, 80)])).toHaveLength(0); // slow V run: idioventricular, no alarm
    expect(a.next([{ type: 'pause', start: 0, end: FS * 400, beats: 2, seconds: 2.5 }])).toHaveLength(0); // below the 3 s alarm limit
    expect(a.next([{ type: 'pause', start: 0, end: FS * 400, beats: 2, seconds: 3.5 }])).toHaveLength(1);
    expect(maxWithin([0, 10, 3600, 3610, 3620, 9000], 3600)).toBe(3); // 3600..3620 (10..3610 is 3600 apart: not within)
    expect(maxWithin([], 3600)).toBe(0);
    // The default refractory period: a sick sinus pausing every minute alarms once an hour.
    const hourly = new Alarms(FS);
    const pauses = Array.from({ length: 120 }, (_, i) => ({ type: 'pause' as const, start: i * 60 * FS, end: i * 60 * FS + 4 * FS, beats: 2, seconds: 4 }));
    expect(pauses.flatMap((p) => hourly.next([p])).map((x) => x.sample / FS / 3600).map(Math.floor)).toEqual([0, 1]);
    const none = new Alarms(FS, { types: [] });
    expect(none.next([vt(10 * FS)])).toEqual([]);
  });

  it('counts PVC burden per minute and hour, SDNN and RMSSD on N-N intervals', () => {
    const h = new HolterAccumulator(FS);
    let t = 0;
    for (let i = 0; i < 200; i++) { t += (i % 2 ? 0.9 : 1.1) * FS; h.addBeat({ sample: Math.round(t), class: i % 20 === 19 ? 'V' : 'N' }); }
    const s = h.result(Math.round(t) + FS);
    expect(s.byClass.V).toBe(10);
    expect(s.pvcBurden.percent).toBeCloseTo(5, 6);
    expect(s.pvcBurden.perMinute.reduce((x, y) => x + y, 0)).toBe(10);
    expect(s.rmssdMs).toBeCloseTo(200, 0);
    expect(s.sdnnMs).toBeCloseTo(100, 0);
    expect(s.heartRate.mean).toBeCloseTo(60, 0);
    // Sinus beats never 9 in a row (an ectopic every 4th beat): min and max still come from the last 8 N-N intervals.
    const sparse = new HolterAccumulator(FS);
    t = 0;
    for (let i = 0; i < 100; i++) { t += FS; sparse.addBeat({ sample: t, class: i % 4 === 3 ? 'S' : 'N' }); }
    const hr = sparse.result(t + FS).heartRate;
    expect(hr.min).toBeCloseTo(60, 6);
    expect(hr.max).toBeCloseTo(60, 6);
  });
});

describe('Holter report', () => {
  it('writes a self-contained report.html with classes, events and strips on ECG paper, checked in Chromium', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'report-'));
    const r = cli('monitor', [path.join(MITDB, '106'), '--quiet', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/classes: N \d+, S \d+, V \d+/);
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage();
      const requests: string[] = [];
      page.on('request', (q) => requests.push(q.url()));
      await page.goto(`file://${path.join(out, 'report.html')}`);
      expect(requests.filter((u) => !u.startsWith('file://'))).toEqual([]); // self-contained
      const summary = await page.locator('table.summary').innerText();
      expect(summary).toMatch(/heart rate \(N-N\)/);
      expect(summary).toMatch(/PVC burden/);
      expect(summary).toMatch(/no pacing detected/);
      const hours = await page.locator('table.hours').innerText();
      expect(hours).toMatch(/PVC %/);
      expect(hours).toMatch(/^0\t\d+\t\d+\t\d+\.\d\d\t/m); // hour 0: beats, V, PVC burden %
      expect(await page.locator('section.events[data-type="couplet"] figure.strip').count()).toBeGreaterThan(0);
      // Strips at scale: 25 mm/s (width in mm = seconds x 25), letters over the beats, none overlapping.
      const strips = page.locator('figure.strip svg');
      const first = strips.first();
      expect(await first.getAttribute('width')).toMatch(/^\d+(\.\d+)?mm$/);
      const letters = await strips.evaluateAll((els) => els.flatMap((e) => Array.from(e.querySelectorAll('text'), (t) => t.textContent)));
      expect(letters).toContain('V');
      expect(letters).toContain('N');
      const boxes = await strips.evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((b) => [b.top, b.bottom]));
      for (let i = 1; i < boxes.length; i++) expect(boxes[i][0]).toBeGreaterThanOrEqual(boxes[i - 1][1]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
