// The continuous-ECG monitor on a 30-minute MIT-BIH record (106, 650000 samples at 360 Hz):
// reading the WFDB files, R-peak detection alone (the baseline), and the whole pipeline (read,
// detect, cut, score every beat with a learned scorer; training excluded, done once before), as
// times real time. Then the per-beat streaming latency: how long after its R peak each beat is
// reported when the signal arrives in 10-sample chunks (signal time, set by the detector's
// look-ahead and the beat window), and the compute time per beat.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EcgMonitor, type MonitorBeat } from '../../src/monitor/ecg-monitor.ts';
import type { LearnedScorer } from '../../src/monitor/learn-normal-beat.ts';
import { detectRPeaks } from '../../src/monitor/qrs-detector.ts';
import { BeatAnalysis } from '../../src/monitor/beat-analysis.ts';
import { holterReport } from '../../src/monitor/holter-report.ts';
import { readWfdbLead } from '../../src/signals/wfdb-node.ts';
import { timeAll, type BenchConfig, type Row } from '../lib.ts';

const RECORD = path.join(fileURLToPath(new URL('../../../shared/data/mitdb', import.meta.url)), '106');

function learnedScorer(samples: Float32Array, fs: number): LearnedScorer {
  let scorer: LearnedScorer | null = null;
  const m = new EcgMonitor({ fs, scoring: { kind: 'learn', seconds: 300, onLearned: (s) => { scorer = s; } } });
  m.push(samples.subarray(0, Math.round(330 * fs)));
  if (!scorer) throw new Error('bench: learning did not finish in the first 330 s');
  return scorer;
}

export async function monitorSuite(cfg: BenchConfig): Promise<Row[]> {
  const sig = readWfdbLead(RECORD);
  const seconds = sig.samples.length / sig.fs;
  const scorer = learnedScorer(sig.samples, sig.fs);
  const whole = () => {
    const s = readWfdbLead(RECORD);
    const m = new EcgMonitor({ fs: s.fs, scoring: { kind: 'scorer', scorer } });
    return m.push(s.samples).length + m.end().length;
  };
  const beats = whole();
  // One pass costs ~0.5 s: a few samples are enough for a median.
  const few = { ...cfg, timeMs: Math.min(cfg.timeMs, 300) };
  const t = await timeAll({
    read: () => { readWfdbLead(RECORD); },
    detect: () => { detectRPeaks(sig.samples, sig.fs); },
    whole,
    // The issue-23 target: a 30-minute record with learning, classes, events and report.html in < 0.5 s.
    report: () => {
      const m = new EcgMonitor({ fs: sig.fs, scoring: { kind: 'learn', seconds: 300 } });
      const got = [...m.push(sig.samples), ...m.end()];
      const a = new BeatAnalysis(sig.fs);
      for (const b of got) a.next(b);
      a.end();
      holterReport({ title: '106', fs: sig.fs, signal: sig.samples, beats: got, events: a.events, alarms: a.alarms.raised, summary: a.summary(sig.samples.length) });
    },
  }, few);

  // Streaming latency: 10-sample chunks; a beat's latency is (samples received when it is
  // reported - its R sample) / fs.
  const m = new EcgMonitor({ fs: sig.fs, scoring: { kind: 'scorer', scorer } });
  const latencies: number[] = [];
  const record = (got: MonitorBeat[], received: number) => { for (const b of got) latencies.push((received - b.sample) / sig.fs); };
  for (let i = 0; i < sig.samples.length; i += 10) record(m.push(sig.samples.subarray(i, i + 10)), Math.min(sig.samples.length, i + 10));
  record(m.end(), sig.samples.length);
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];

  const rt = (ms: number) => seconds / (ms / 1000);
  return [
    { suite: 'monitor', name: 'read WFDB 106 (30 min, 2 leads, 212)', ms: t.read.ms, value: rt(t.read.ms), unit: 'x real time', samples: t.read.samples },
    { suite: 'monitor', name: 'R-peak detection only', ms: t.detect.ms, value: rt(t.detect.ms), unit: 'x real time', samples: t.detect.samples },
    { suite: 'monitor', name: `read+detect+cut+score ${beats} beats (target <= 1000 ms)`, ms: t.whole.ms, value: rt(t.whole.ms), unit: 'x real time',
      baseline: 'R-peak detection only', ratio: t.detect.ms / t.whole.ms, samples: t.whole.samples },
    { suite: 'monitor', name: 'learn+detect+classify+events+report.html, 30 min (target < 500 ms)', ms: t.report.ms, value: rt(t.report.ms), unit: 'x real time',
      baseline: 'R-peak detection only', ratio: t.detect.ms / t.report.ms, samples: t.report.samples },
    { suite: 'monitor', name: 'compute per beat (whole pipeline / beats)', ms: t.whole.ms / beats, value: (beats * 1000) / t.whole.ms, unit: 'beats/s', samples: t.whole.samples },
    { suite: 'monitor', name: 'streaming latency per beat, median (signal time)', ms: 1000 * q(0.5), value: 1000 * q(0.5), unit: 'ms after R', samples: latencies.length },
    { suite: 'monitor', name: 'streaming latency per beat, p95', ms: 1000 * q(0.95), value: 1000 * q(0.95), unit: 'ms after R', samples: latencies.length },
    { suite: 'monitor', name: 'streaming latency per beat, max', ms: 1000 * latencies[latencies.length - 1], value: 1000 * latencies[latencies.length - 1], unit: 'ms after R', samples: latencies.length },
  ];
}
