import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Store } from '../store/db.js';
import { opsStats } from '../store/ops-stats.js';

/**
 * `/metrics` (Prometheus text). Latencies are measured in this process; everything about refreshes, digests and
 * data age is read from the database at scrape time, so every replica reports the same install-wide totals and the
 * figures survive restarts. A registry per bot (not prom-client's global one), so tests can run several.
 */
export class BotMetrics {
  readonly registry = new Registry();
  private readonly ack: Histogram;
  private readonly answer: Histogram;

  constructor(store: Store, isLeader: () => boolean, now: () => Date) {
    const registry = this.registry;
    const buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
    this.ack = new Histogram({
      name: 'scorecard_metric_ack_seconds',
      help: '/metric: from the listener starting to the ack sent',
      buckets,
      registers: [registry],
    });
    this.answer = new Histogram({
      name: 'scorecard_metric_answer_seconds',
      help: '/metric: from the listener starting to the answer posted',
      buckets,
      registers: [registry],
    });
    new Gauge({
      name: 'scorecard_leader',
      help: '1 when this replica holds the scheduler lock and runs the scheduler',
      registers: [registry],
      collect() {
        this.set(isLeader() ? 1 : 0);
      },
    });

    // Read once per scrape, shared by the collectors below.
    let pending: ReturnType<typeof opsStats> | undefined;
    const stats = () => (pending ??= opsStats(store).finally(() => setTimeout(() => (pending = undefined), 0)));
    new Counter({
      name: 'scorecard_refresh_runs_total',
      help: 'source refresh runs by source and outcome (ok, failed, running)',
      labelNames: ['source', 'status'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const r of (await stats()).refreshRuns) this.inc({ source: r.source, status: r.status }, r.runs);
      },
    });
    new Counter({
      name: 'scorecard_refresh_rate_limited_total',
      help: 'HTTP 429 answers received from each source',
      labelNames: ['source'],
      registers: [registry],
      async collect() {
        this.reset();
        const bySource = new Map<string, number>();
        for (const r of (await stats()).refreshRuns) bySource.set(r.source, (bySource.get(r.source) ?? 0) + r.rateLimited);
        for (const [source, n] of bySource) this.inc({ source }, n);
      },
    });
    new Counter({
      name: 'scorecard_digest_runs_total',
      help: 'digest periods by kind and current status (posted, failed, claimed)',
      labelNames: ['kind', 'status'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const r of (await stats()).digestRuns) this.inc({ kind: r.kind, status: r.status }, r.runs);
      },
    });
    new Counter({
      name: 'scorecard_digest_attempts_total',
      help: 'digest post attempts by kind and the status they ended in; attempts beyond one per period were retries after a failure',
      labelNames: ['kind', 'status'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const r of (await stats()).digestRuns) this.inc({ kind: r.kind, status: r.status }, r.attempts);
      },
    });
    new Gauge({
      name: 'scorecard_source_data_age_seconds',
      help: "seconds since each source's newest data was fetched (its last successful refresh); absent before the first",
      labelNames: ['source'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const s of (await stats()).sourceFreshness) {
          if (s.lastSuccessAt !== null) this.set({ source: s.source }, Math.max(0, (now().getTime() - Date.parse(s.lastSuccessAt)) / 1000));
        }
      },
    });
  }

  observeAck(seconds: number): void {
    this.ack.observe(seconds);
  }

  observeAnswer(seconds: number): void {
    this.answer.observe(seconds);
  }
}
