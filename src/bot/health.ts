import type { CustomRoute } from '@slack/bolt';
import type { ServerResponse } from 'node:http';
import type { Store } from '../store/db.js';
import { listDigestRuns } from '../store/digest-runs.js';
import { getSourceHealth } from '../store/source-health.js';

/**
 * GET /healthz — for load balancers and people: is the database reachable, when did each source last refresh,
 * what did the last digest runs do. Unauthenticated, so it carries no error text, only error classes.
 */

export interface HealthReport {
  ok: boolean;
  database: { ok: boolean; error?: string };
  sources: {
    source: string;
    last_success_at: string | null;
    last_failure_at: string | null;
    consecutive_failures: number;
    last_error_class: string | null;
  }[];
  digests: { kind: string; period: string; channel: string; status: string; attempts: number; posted_at: string | null }[];
  checked_at: string;
}

export async function healthReport(store: Store, now: Date): Promise<HealthReport> {
  try {
    // Reading both tables is the reachability check: it fails the same way a `select 1` would.
    const [sources, runs] = await Promise.all([getSourceHealth(store), listDigestRuns(store, { limit: 10 })]);
    return {
      ok: true,
      database: { ok: true },
      sources: sources.map((s) => ({
        source: s.source,
        last_success_at: s.last_success_at,
        last_failure_at: s.last_failure_at,
        consecutive_failures: s.consecutive_failures,
        last_error_class: s.last_error_class,
      })),
      digests: runs.map((r) => ({
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
    return { ok: false, database: { ok: false, error: 'database not reachable' }, sources: [], digests: [], checked_at: now.toISOString() };
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

export function healthRoute(store: Store, now: () => Date): CustomRoute {
  return {
    path: '/healthz',
    method: ['GET'],
    handler: (_req, res) => {
      healthReport(store, now()).then(
        (report) => sendJson(res, report.ok ? 200 : 503, report),
        () => sendJson(res, 503, { ok: false }),
      );
    },
  };
}
