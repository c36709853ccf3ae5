import { localDayOf } from '../../metrics/periods.js';
import type { LocalDay } from '../../metrics/types.js';
import { SourceError } from '../errors.js';
import type { CollectedValue, SourceContext, SourceRequest, SourceRun } from '../source.js';
import { createSimplefinClient } from './client.js';
import { credentialsFromEnv, SOURCE_ID } from './credentials.js';
import { addCalls, callsToday, cashPosition, readCache, toCache, writeCache } from './map.js';
import type { CachedBalances, SimplefinQuery, SimplefinSettings } from './schemas.js';

/** Retries spend the daily quota too, so a run never retries more than twice. */
const MAX_RETRIES = 2;

export interface SimplefinSourceHooks {
  /** Test hook for retry backoff. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Balances are a point-in-time stock, so a run writes today's local day only (older days keep the snapshot taken on
 * them), and the Bridge's daily quota is guarded: once `max_calls_per_day` is spent, today's cached balance is reused
 * with a warning.
 */
export async function* collectSimplefin(
  ctx: SourceRun<SimplefinSettings>,
  request: SourceRequest<SimplefinQuery>,
  hooks: SimplefinSourceHooks,
): AsyncGenerator<CollectedValue[]> {
  const today = localDayOf(ctx.now, ctx.config.org.timezone);
  if (today < request.from || today > request.to || request.metrics.length === 0) return;
  const { settings } = ctx;
  const snapshot = await latestBalances(ctx, settings, today, hooks);

  const values: CollectedValue[] = [];
  let firstError: unknown;
  for (const metric of request.metrics) {
    try {
      const cash = cashPosition(snapshot, {
        accounts: metric.query.accounts ?? settings.accounts,
        currency: settings.currency,
        staleBalanceHours: settings.stale_balance_hours,
        now: ctx.now,
      });
      // A stale balance dates the whole figure (stored "as of" its oldest part) and marks it stale by SimpleFIN's own
      // limit, whatever the metric's freshness_hours says.
      values.push({
        metricId: metric.id,
        day: today,
        value: cash.value,
        warnings: cash.warnings,
        ...(cash.asOf ? { asOf: cash.asOf } : {}),
        ...(cash.staleBecause ? { staleBecause: cash.staleBecause } : {}),
      });
    } catch (error) {
      firstError ??= error;
    }
  }
  // The metrics that could be computed are written; the failing one keeps its last good value.
  if (values.length > 0) yield values;
  if (firstError !== undefined) throw firstError;
}

/** Today's balances: fetched if the quota allows, else the balance already fetched today, else a rate_limited failure. */
async function latestBalances(
  ctx: SourceContext,
  settings: SimplefinSettings,
  today: LocalDay,
  hooks: SimplefinSourceHooks,
): Promise<CachedBalances> {
  const remaining = settings.max_calls_per_day - (await callsToday(ctx.state, today));
  if (remaining > 0) return fetchBalances(ctx, today, Math.min(MAX_RETRIES, remaining - 1), hooks);

  const cache = await readCache(ctx.state);
  if (cache && localDayOf(new Date(cache.fetchedAt), ctx.config.org.timezone) === today) {
    ctx.logger.info({ fetchedAt: cache.fetchedAt }, 'daily quota reached; reusing the balance fetched today');
    return { ...cache, warnings: [...cache.warnings, `quota reached; reused balance fetched at ${cache.fetchedAt}`] };
  }
  throw new SourceError(
    'rate_limited',
    SOURCE_ID,
    `today's quota of ${settings.max_calls_per_day} calls (sources.simplefin.max_calls_per_day) is used and no balance was fetched today`,
  );
}

/** One fetch (plus at most `maxRetries` retries), every attempt counted against today's quota, cached on success. */
export async function fetchBalances(
  ctx: SourceContext,
  today: LocalDay,
  maxRetries: number,
  hooks: SimplefinSourceHooks,
): Promise<CachedBalances> {
  const client = createSimplefinClient(credentialsFromEnv(ctx.env), {
    logger: ctx.logger,
    stats: ctx.stats,
    maxRetries,
    sleep: hooks.sleep,
  });
  try {
    const body = await client.fetchAccounts();
    const snapshot = toCache(body, ctx.now);
    snapshot.warnings = snapshot.warnings.map((warning) => client.http.redact(warning));
    await writeCache(ctx.state, snapshot);
    return snapshot;
  } finally {
    await addCalls(ctx.state, today, client.http.stats.calls);
  }
}
