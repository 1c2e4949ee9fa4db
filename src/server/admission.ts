// Admission control for scoring requests (runtime-agnostic): a request's body is read only
// once it holds a place in a bounded budget of requests and bytes, so a flood cannot grow the
// process: what does not fit is refused at once (503 with Retry-After) without being read.
//   maxJobs    requests admitted and not yet answered (reading, queued or scoring)
//   maxBytes   their bodies' bytes (the declared Content-Length; a chunked body counts as
//              the largest allowed, maxBodyBytes, since its size is unknown until read)
// Fair share: large bodies (over maxBytes / 64) may fill only 3/4 of the byte budget; the last
// quarter is kept for small requests, so a burst of 8 MiB bodies never shuts out a 1-beat one.
// saturated() (/ready's 503) holds for `holdMs` after a refusal: a queue that refuses for a few
// milliseconds at a time under a flood would otherwise look ready to a load balancer's check.

export interface AdmissionLimits {
  maxJobs: number;
  maxBytes: number;
  /** Largest request body; also what a body of unknown length reserves. */
  maxBodyBytes: number;
  /** How long after a refusal saturated() stays true (ms, default 1000). */
  holdMs?: number;
}

export const DEFAULT_MAX_QUEUED_JOBS = 256;
export const DEFAULT_MAX_QUEUED_BYTES = 64 * 1024 * 1024;

/** A place in the budget; release() exactly once when the request is answered or dropped. */
export interface Ticket { bytes: number; release(): void }

export type Refusal = { reason: 'queue_full'; message: string };

export class Admission {
  private jobs = 0;
  private bytes = 0;
  private lastRefusal = -Infinity;
  readonly largeBody: number;
  readonly largeShare: number;

  constructor(readonly limits: AdmissionLimits, private readonly now: () => number = () => performance.now()) {
    this.largeBody = Math.floor(limits.maxBytes / 64);
    this.largeShare = Math.floor(limits.maxBytes * 3 / 4);
  }

  /** A ticket for a body of `declared` bytes (null = unknown length), or why not. */
  admit(declared: number | null): Ticket | Refusal {
    const size = declared ?? this.limits.maxBodyBytes;
    if (this.jobs >= this.limits.maxJobs) {
      this.lastRefusal = this.now();
      return { reason: 'queue_full', message: `the scoring queue is full (${this.jobs} requests); retry later` };
    }
    if (!this.fits(size)) {
      this.lastRefusal = this.now();
      return { reason: 'queue_full', message: `the scoring queue is full (${Math.round(this.bytes / 1024)} KiB of request bodies); retry later` };
    }
    this.jobs++;
    this.bytes += size;
    let released = false;
    return { bytes: size, release: () => {
      if (released) return;
      released = true;
      this.jobs--;
      this.bytes -= size;
    } };
  }

  /** True while a body of the largest allowed size would be refused, and for holdMs after any refusal. */
  saturated(): boolean {
    return this.jobs >= this.limits.maxJobs || !this.fits(this.limits.maxBodyBytes)
      || this.now() - this.lastRefusal < (this.limits.holdMs ?? 1000);
  }

  private fits(size: number): boolean {
    return this.bytes + size <= (size > this.largeBody ? this.largeShare : this.limits.maxBytes);
  }

  admittedJobs(): number { return this.jobs; }
  admittedBytes(): number { return this.bytes; }
}

export function isRefusal(x: Ticket | Refusal): x is Refusal { return 'reason' in x; }
