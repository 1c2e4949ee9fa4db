// Issue 24's quality acceptance on record 100 with 10 min of flat line, 10 min of white noise and
// 10 min of wander plus muscle-like bursts spliced in (test/helpers/splice-artifacts.ts).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../src/index.ts';
import { EcgMonitor, type MonitorBeat } from '../../src/monitor/ecg-monitor.ts';
import { BeatAnalysis } from '../../src/monitor/beat-analysis.ts';
import type { Alarm } from '../../src/monitor/alarms.ts';
import type { QualityEpisode } from '../../src/monitor/quality-episodes.ts';
import { readWfdbLead } from '../../src/signals/wfdb-node.ts';
import { spliceArtifacts } from '../helpers/splice-artifacts.ts';
import { MITDB } from './helpers.ts';

const FS = 360;

function run(x: Float32Array): { beats: MonitorBeat[]; episodes: QualityEpisode[]; alarms: Alarm[] } {
  const m = new EcgMonitor({ fs: FS, scoring: { kind: 'learn', seconds: 300 } });
  const beats = [...m.push(x), ...m.end()];
  const analysis = new BeatAnalysis(FS);
  const alarms: Alarm[] = [];
  for (const b of beats) alarms.push(...analysis.next(b).alarms);
  alarms.push(...analysis.end().alarms);
  return { beats, episodes: m.takeQualityEpisodes(), alarms };
}

describe('signal quality on record 100 with spliced artefacts', () => {
  it('no beats in the flat line, no alarms from the noise, episodes within 2 s of the edges, clean parts as before', () => {
    const x = readWfdbLead(path.join(MITDB, '100')).samples;
    const s = spliceArtifacts(x, FS, [360 * 360, 720 * 360, 1080 * 360], 600, 'splice-100');
    const spliced = run(s.signal);
    const plain = run(x);
    const [flat, noise] = s.stretches;
    expect(spliced.beats.filter((b) => b.sample >= flat.start && b.sample < flat.end)).toEqual([]);
    for (const [stretch, kind] of [[flat, 'flat'], [noise, 'noise']] as const) {
      const mine = spliced.episodes.filter((e) => e.kind === kind && e.end > stretch.start - 2 * FS && e.start < stretch.end + 2 * FS);
      expect(mine.length, kind).toBeGreaterThan(0);
      expect(Math.abs(mine[0].start - stretch.start), `${kind} start`).toBeLessThanOrEqual(2 * FS);
      expect(Math.abs(mine[mine.length - 1].end - stretch.end), `${kind} end`).toBeLessThanOrEqual(2 * FS);
      const covered = mine.reduce((t, e) => t + Math.min(e.end, stretch.end) - Math.max(e.start, stretch.start), 0);
      expect(covered / (stretch.end - stretch.start), `${kind} covered`).toBeGreaterThan(0.99);
    }
    expect(spliced.beats.filter((b) => b.sample >= noise.start && b.sample < noise.end && b.class !== 'Q')).toEqual([]);
    expect(spliced.alarms.length).toBe(0);
    // Clean parts, 3 s clear of every edge: the same R peaks and classes as the unspliced record.
    const key = (b: MonitorBeat, shift: number) => `${b.sample + shift}:${b.class}`;
    const margin = 3 * FS;
    let same = 0, total = 0;
    for (const c of s.clean) {
      const inPart = (b: MonitorBeat, at: number) => b.sample >= at + margin && b.sample < at + c.length - margin;
      const want = new Set(plain.beats.filter((b) => inPart(b, c.from)).map((b) => key(b, 0)));
      const got = spliced.beats.filter((b) => inPart(b, c.at)).map((b) => key(b, c.from - c.at));
      total += want.size;
      same += got.filter((k) => want.has(k)).length;
    }
    console.log(`clean parts: ${same}/${total} beats with the same sample and class; episodes ${JSON.stringify(spliced.episodes.map((e) => [e.kind, (e.start / FS).toFixed(1), (e.end / FS).toFixed(1)]))}`);
    expect(same / total).toBeGreaterThan(0.995);
  }, 60_000);
});
