// A small terminal progress bar: "train [########------------] 40% 40/100 loss 0.31 ETA 4s".
// On a terminal (TTY) it redraws one line in place with \r; in a log file or a pipe it prints a
// plain line at most every ~10%, so logs stay short.

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressOptions {
  total: number;
  label: string;
  stream?: ProgressStream;
  /** Clock in milliseconds (tests pass a fake one). */
  now?: () => number;
}

export interface ProgressBar {
  /** Reports `done` of `total` finished, with optional text (e.g. "loss 0.31 val 0.35"). */
  update(done: number, extraText?: string): void;
  /** Ends the bar (draws the final state on a TTY and moves to the next line). */
  done(extraText?: string): void;
}

const BAR_WIDTH = 20;

/** "4s", "2m05s", "1h02m". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export function createProgressBar(opts: ProgressOptions): ProgressBar {
  const { total, label } = opts;
  const stream: ProgressStream = opts.stream ?? process.stderr;
  const now = opts.now ?? (() => performance.now());
  const tty = stream.isTTY === true;
  const start = now();
  let lastDone = 0, lastText = '', lastDecile = -1, lastDraw = -Infinity, finished = false;

  const line = (done: number, extra: string): string => {
    const frac = total > 0 ? Math.min(done / total, 1) : 1;
    const elapsed = (now() - start) / 1000;
    // ETA: the average time per step so far, times the steps left.
    const eta = done > 0 && done < total ? ` ETA ${formatDuration((elapsed / done) * (total - done))}` : '';
    const pct = `${Math.floor(frac * 100)}%`.padStart(4);
    const bar = tty ? ` [${'#'.repeat(Math.round(frac * BAR_WIDTH)).padEnd(BAR_WIDTH, '-')}]` : '';
    const text = `${label}${bar} ${pct} ${done}/${total}${extra ? ` ${extra}` : ''}${done >= total ? ` (${formatDuration(elapsed)})` : eta}`;
    return tty && stream.columns ? text.slice(0, stream.columns - 1) : text;
  };

  return {
    update(done, extraText = '') {
      if (finished) return;
      lastDone = done; lastText = extraText;
      if (tty) {
        const t = now();
        if (t - lastDraw < 50 && done < total) return; // at most ~20 redraws a second
        lastDraw = t;
        stream.write(`\r${line(done, extraText)}\x1b[K`);
      } else {
        const decile = total > 0 ? Math.floor((10 * done) / total) : 10;
        if (decile > lastDecile) { lastDecile = decile; stream.write(`${line(done, extraText)}\n`); }
      }
    },
    done(extraText) {
      if (finished) return;
      finished = true;
      const text = extraText ?? lastText;
      if (tty) stream.write(`\r${line(lastDone, text)}\x1b[K\n`);
      else if (lastDecile < 10 || extraText !== undefined) stream.write(`${line(lastDone, text)}\n`);
    },
  };
}
