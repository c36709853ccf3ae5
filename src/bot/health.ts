import type { CustomRoute } from '@slack/bolt';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Store } from '../store/db.js';
import { listDigestRuns } from '../store/digest-runs.js';
import { getSourceHealth } from '../store/source-health.js';
import type { BotMetrics } from './metrics.js';

/**
 * The operations endpoints, served next to /slack/events (HTTP mode) or on their own port (Socket Mode):
 * - GET /healthz — for load balancers and people: 503 with `reasons` when the database is unreachable, when the last
 *   run of any digest failed, or when a source has alerted; 200 otherwise. Unauthenticated, so it carries no error
 *   text, only error classes. The body has the same shape either way.
 * - GET /livez — 200 while the process is up (a liveness probe must not restart a replica for a database outage).
 * - GET /metrics — Prometheus text (metrics.ts).
 * More routes (web pages) join the list `opsRoutes` returns.
 */

export interface HealthReport {
  ok: boolean;
  /** Why `ok` is false; empty when it is true. */
  reasons: string[];
  database: { ok: boolean; error?: string };
  /** Whether this replica runs the scheduler (holds the leader lock). */
  leader: boolean;
  sources: {
    source: string;
    last_success_at: string | null;
    last_failure_at: string | null;
    consecutive_failures: number;
    last_error_class: string | null;
    alerted: boolean;
  }[];
  digests: { kind: string; period: string; channel: string; status: string; attempts: number; posted_at: string | null }[];
  checked_at: string;
}

/** Runs read for the report, newest first; enough to find each digest's last run. */
const RECENT_RUNS = 50;
const RUNS_SHOWN = 10;

export async function healthReport(store: Store, now: Date, isLeader: () => boolean = () => false): Promise<HealthReport> {
  try {
    // Reading both tables is the reachability check: it fails the same way a `select 1` would.
    const [sources, runs] = await Promise.all([getSourceHealth(store), listDigestRuns(store, { limit: RECENT_RUNS })]);
    const reasons: string[] = [];
    const seen = new Set<string>();
    for (const run of runs) {
      const key = `${run.kind} ${run.channel}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (run.status === 'failed') reasons.push(`the last ${run.kind} digest run (${run.period} to ${run.channel}) failed`);
    }
    for (const source of sources) {
      if (source.alerted_at !== null)
        reasons.push(`source ${source.source} is failing (${source.last_error_class ?? 'error'}) and has alerted`);
    }
    return {
      ok: reasons.length === 0,
      reasons,
      database: { ok: true },
      leader: isLeader(),
      sources: sources.map((s) => ({
        source: s.source,
        last_success_at: s.last_success_at,
        last_failure_at: s.last_failure_at,
        consecutive_failures: s.consecutive_failures,
        last_error_class: s.last_error_class,
        alerted: s.alerted_at !== null,
      })),
      digests: runs.slice(0, RUNS_SHOWN).map((r) => ({
        kind: r.kind,
        period: r.period,
        channel: r.channel,
        status: r.status,
        attempts: r.attempts,
        posted_at: r.posted_at,
      })),
      checked_at: now.toISOString(),
    };
  } catch {
    return {
      ok: false,
      reasons: ['database not reachable'],
      database: { ok: false, error: 'database not reachable' },
      leader: isLeader(),
      sources: [],
      digests: [],
      checked_at: now.toISOString(),
    };
  }
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  res.end(body);
}
const sendJson = (res: ServerResponse, status: number, body: unknown) =>
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));

export interface OpsRouteDeps {
  store: Store;
  now: () => Date;
  /** Set once the scheduler's leadership is known (startBot); false until then. */
  isLeader: () => boolean;
  metrics?: BotMetrics;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
const get = (path: string, handler: Handler): CustomRoute => ({ path, method: ['GET'], handler });

export function opsRoutes(deps: OpsRouteDeps): CustomRoute[] {
  const routes = [
    get('/healthz', (_req, res) => {
      healthReport(deps.store, deps.now(), deps.isLeader).then(
        (report) => sendJson(res, report.ok ? 200 : 503, report),
        () => sendJson(res, 503, { ok: false, reasons: ['health check failed'] }),
      );
    }),
    get('/livez', (_req, res) => sendJson(res, 200, { ok: true })),
  ];
  const metrics = deps.metrics;
  if (metrics) {
    routes.push(
      get('/metrics', (_req, res) => {
        metrics.registry.metrics().then(
          (text) => send(res, 200, metrics.registry.contentType, text),
          () => send(res, 503, 'text/plain; charset=utf-8', 'metrics unavailable\n'),
        );
      }),
    );
  }
  return routes;
}

/** Kept for callers of the single route. */
export function healthRoute(store: Store, now: () => Date): CustomRoute {
  return opsRoutes({ store, now, isLeader: () => false })[0]!;
}
