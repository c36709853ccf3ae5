import type { Store } from './db.js';

/**
 * What `/metrics` reports from the database, read at scrape time: totals for the whole install (every replica
 * writes the same tables), so a counter keeps counting across restarts and leader changes.
 */
export interface OpsStats {
  refreshRuns: { source: string; status: string; runs: number; rateLimited: number }[];
  digestRuns: { kind: string; status: string; runs: number; attempts: number }[];
  sourceFreshness: { source: string; lastSuccessAt: string | null }[];
}

export async function opsStats(store: Store): Promise<OpsStats> {
  const [refreshRuns, digestRuns, health] = await Promise.all([
    store.db
      .selectFrom('source_runs')
      .select((eb) => ['source', 'status', eb.fn.countAll<number>().as('runs'), eb.fn.sum<number>('rate_limited').as('rate_limited')])
      .groupBy(['source', 'status'])
      .orderBy('source')
      .orderBy('status')
      .execute(),
    store.db
      .selectFrom('digest_runs')
      .select((eb) => ['kind', 'status', eb.fn.countAll<number>().as('runs'), eb.fn.sum<number>('attempts').as('attempts')])
      .groupBy(['kind', 'status'])
      .orderBy('kind')
      .orderBy('status')
      .execute(),
    store.db.selectFrom('source_health').select(['source', 'last_success_at']).orderBy('source').execute(),
  ]);
  return {
    refreshRuns: refreshRuns.map((r) => ({
      source: r.source,
      status: r.status,
      runs: Number(r.runs),
      rateLimited: Number(r.rate_limited ?? 0),
    })),
    digestRuns: digestRuns.map((r) => ({ kind: r.kind, status: r.status, runs: Number(r.runs), attempts: Number(r.attempts ?? 0) })),
    sourceFreshness: health.map((h) => ({ source: h.source, lastSuccessAt: h.last_success_at })),
  };
}
