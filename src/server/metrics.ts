// The service's counters in Prometheus text format (version 0.0.4), no dependency:
//   cardiograd_http_requests_total{route,method,status}    counter
//   cardiograd_http_request_duration_seconds{route}         histogram
//   cardiograd_beats_scored_total, cardiograd_anomalies_flagged_total   counters
//   cardiograd_scoring_queue_length                          gauge (read when scraped)
//   cardiograd_refusals_total{reason}                        counter: requests shed or refused
//                                                            before scoring (queue full, too large...)
//   cardiograd_admitted_requests, cardiograd_admitted_bytes  gauges: the admission budget in use
// Labels come from a fixed set (matched route names, known methods), so a scanner's random
// paths cannot grow the label space without bound.

const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']);

interface Histogram { counts: number[]; sum: number; count: number }

/** The refusal reasons counted (a fixed set: a label never comes from the request). */
export const REFUSAL_REASONS = ['queue_full', 'body_too_large', 'parse_budget', 'bad_header', 'unsupported_charset',
  'bad_http', 'timeout', 'client_gone'] as const;

export interface AdmissionGauges { admittedJobs(): number; admittedBytes(): number }

export class Metrics {
  private requests = new Map<string, number>();
  private durations = new Map<string, Histogram>();
  private refusals = new Map<string, number>(REFUSAL_REASONS.map((r) => [r, 0]));
  beatsScored = 0;
  anomaliesFlagged = 0;

  constructor(private readonly queueLength: () => number = () => 0, private readonly admission?: AdmissionGauges) {}

  observeRefusal(reason: string): void {
    const r = this.refusals.has(reason) ? reason : 'bad_http';
    this.refusals.set(r, this.refusals.get(r)! + 1);
  }

  refused(reason: string): number { return this.refusals.get(reason) ?? 0; }

  observeRequest(route: string, method: string, status: number, seconds: number): void {
    const m = METHODS.has(method) ? method : 'OTHER';
    const key = `route="${route}",method="${m}",status="${status}"`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    let h = this.durations.get(route);
    if (!h) this.durations.set(route, h = { counts: BUCKETS.map(() => 0), sum: 0, count: 0 });
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]) h.counts[i]++;
    h.sum += seconds;
    h.count++;
  }

  observeScores(beats: number, anomalies: number): void {
    this.beatsScored += beats;
    this.anomaliesFlagged += anomalies;
  }

  render(): string {
    const out: string[] = [
      '# HELP cardiograd_http_requests_total HTTP requests answered, by route, method and status.',
      '# TYPE cardiograd_http_requests_total counter',
    ];
    for (const [labels, n] of this.requests) out.push(`cardiograd_http_requests_total{${labels}} ${n}`);
    out.push('# HELP cardiograd_http_request_duration_seconds Time from request to response, by route.',
      '# TYPE cardiograd_http_request_duration_seconds histogram');
    for (const [route, h] of this.durations) {
      BUCKETS.forEach((b, i) => out.push(`cardiograd_http_request_duration_seconds_bucket{route="${route}",le="${b}"} ${h.counts[i]}`));
      out.push(`cardiograd_http_request_duration_seconds_bucket{route="${route}",le="+Inf"} ${h.count}`,
        `cardiograd_http_request_duration_seconds_sum{route="${route}"} ${h.sum}`,
        `cardiograd_http_request_duration_seconds_count{route="${route}"} ${h.count}`);
    }
    out.push('# HELP cardiograd_beats_scored_total Beats scored.', '# TYPE cardiograd_beats_scored_total counter',
      `cardiograd_beats_scored_total ${this.beatsScored}`,
      '# HELP cardiograd_anomalies_flagged_total Beats flagged as anomalous.', '# TYPE cardiograd_anomalies_flagged_total counter',
      `cardiograd_anomalies_flagged_total ${this.anomaliesFlagged}`,
      '# HELP cardiograd_scoring_queue_length Scoring requests waiting for a thread.', '# TYPE cardiograd_scoring_queue_length gauge',
      `cardiograd_scoring_queue_length ${this.queueLength()}`,
      '# HELP cardiograd_refusals_total Requests refused before scoring, by reason.', '# TYPE cardiograd_refusals_total counter');
    for (const [reason, n] of this.refusals) out.push(`cardiograd_refusals_total{reason="${reason}"} ${n}`);
    if (this.admission) {
      out.push('# HELP cardiograd_admitted_requests Requests holding a place in the admission budget.', '# TYPE cardiograd_admitted_requests gauge',
        `cardiograd_admitted_requests ${this.admission.admittedJobs()}`,
        '# HELP cardiograd_admitted_bytes Body bytes holding a place in the admission budget.', '# TYPE cardiograd_admitted_bytes gauge',
        `cardiograd_admitted_bytes ${this.admission.admittedBytes()}`);
    }
    return out.join('\n') + '\n';
  }
}
