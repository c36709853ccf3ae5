import { metricsWithIds } from '../config/metric-ids.js';
import { errorMessage } from '../errors.js';
import type { Logger } from 'pino';
import type { Config, Metric } from '../config/schema.js';
import { addDays, daysInRange, isValidDay, laterDay, localDayOf } from '../metrics/periods.js';
import type { LocalDay } from '../metrics/types.js';
import {
  finishSourceRun,
  markInterruptedSourceRuns,
  markSourceAlerted,
  recordSourceFailure,
  recordSourceSuccess,
  startSourceRun,
} from '../store/source-health.js';
import { deleteDailyValues, upsertDailyValues } from '../store/daily-values.js';
import { writeChannelSpend } from '../store/ad-spend-channels.js';
import { clearMetricFailures, recordMetricFailures } from '../store/metric-failures.js';
import { syncStateFor } from '../store/sync-state.js';
import type { Store } from '../store/db.js';
import { isSourceError, type SourceErrorClass } from './errors.js';
import { longestDeadlineMs, sourceDeadlineMs, withinDeadline, withoutCoreSettings } from './deadline.js';
import { createRedactor } from './redact.js';
import { alertText, recoveryText } from './refresh-alerts.js';
import { acceptValue, channelRows, detailOf, isEmptyRatio, toRow } from './refresh-rows.js';
import { correctLateChanges, NO_CORRECTION, scanLateChanges, type LateCorrection } from './refresh-late.js';
import { writeParts, type PartsOutcome } from './refresh-parts.js';
import {
  credentialEnvVars,
  describeCredentials,
  isCollectedValue,
  isFailedMetric,
  type Env,
  type Source,
  type SourceContext,
} from './source.js';

/**
 * The refresh job: every configured source collects the window concurrently, each value batch is upserted in
 * its own transaction, every run is recorded, and source health drives one failure alert and one recovery.
 *
 * A failed run never writes zeros and never touches values it did not produce: the batches written before the
 * failure hold correct values (each batch is complete for what it covers), the rest keep their last good values,
 * which show as stale once they pass their freshness limit.
 */

export interface RefreshDeps {
  store: Store;
  config: Config;
  env: Env;
  logger: Logger;
  now: Date;
  sources: readonly Source[];
  /** Posts to the ops channel; without it no alert is sent (nor marked as sent). */
  notify?: (text: string) => Promise<void>;
}

export interface RefreshProgress {
  source: string;
  /** The newest day in the batch just written. */
  day: LocalDay;
  /** Days of the window done so far (values written ÷ metrics, capped at `total`), whatever order the source yields in. */
  done: number;
  /** Days in the window. */
  total: number;
}

export interface RefreshOptions {
  sourceIds?: string[];
  from?: LocalDay;
  to?: LocalDay;
  onProgress?: (progress: RefreshProgress) => void;
  /** Consecutive failed runs before the ops alert (default 3). */
  alertAfterFailures?: number;
  /**
   * `refresh --full`: re-collect the range and nothing else. A plain refresh also asks each source with a
   * modification cursor which older days changed, and re-collects those.
   */
  full?: boolean;
}

/** `internal`: the source threw something other than a SourceError (a bug, not the remote side). */
export type RefreshErrorClass = SourceErrorClass | 'internal';

export interface SourceRunSummary {
  source: string;
  status: 'ok' | 'failed' | 'not_configured' | 'skipped';
  calls: number;
  rateLimited: number;
  valuesWritten: number;
  durationMs: number;
  errorClass?: RefreshErrorClass;
  /** Redacted. */
  error?: string;
  /** Why a source was skipped or not configured. */
  detail?: string;
  /** Days before (or after) the window that records modified since the last refresh touched, re-collected whole. */
  late?: LateCorrection;
  /** Metrics that failed on their own while the source's others refreshed. */
  failedMetrics?: MetricRunFailure[];
}

export interface MetricRunFailure {
  metric: string;
  errorClass: SourceErrorClass;
  /** Redacted. */
  error: string;
}

export interface RefreshSummary {
  from: LocalDay;
  to: LocalDay;
  results: SourceRunSummary[];
  /** True when no source failed (not configured and skipped sources do not count as failures). */
  ok: boolean;
}

/** Every old day whose figures a late change corrected, across sources: the posted digests to update. */
export function correctedDays(summary: RefreshSummary): LocalDay[] {
  return [...new Set(summary.results.flatMap((r) => r.late?.corrected ?? []))].sort();
}

export function refreshWindow(config: Config, now: Date, from?: LocalDay, to?: LocalDay): { from: LocalDay; to: LocalDay } {
  const end = to ?? localDayOf(now, config.org.timezone);
  const start = from ?? addDays(end, -(config.defaults.refresh_trailing_days - 1));
  for (const [name, day] of [
    ['from', start],
    ['to', end],
  ] as const) {
    if (!isValidDay(day)) throw new Error(`refresh --${name} must be a date like 2026-11-16, got "${day}"`);
  }
  if (start > end) throw new Error(`refresh window is empty: from ${start} is after to ${end}`);
  return { from: start, to: end };
}

/** A run still `running` this long after its deadline belongs to a dead process. */
const INTERRUPTED_MARGIN_MS = 60_000;

/** Closes runs a killed process left `running` (as `interrupted`); called on start and before each refresh. */
export function closeInterruptedRuns(store: Store, config: Config, now: Date): Promise<number> {
  const startedBefore = new Date(now.getTime() - longestDeadlineMs(config) - INTERRUPTED_MARGIN_MS);
  return markInterruptedSourceRuns(store, { startedBefore, now });
}

export async function refresh(deps: RefreshDeps, opts: RefreshOptions = {}): Promise<RefreshSummary> {
  const { from, to } = refreshWindow(deps.config, deps.now, opts.from, opts.to);
  await closeInterruptedRuns(deps.store, deps.config, deps.now);
  const known = new Map(deps.sources.map((source) => [source.id, source]));
  const wanted = opts.sourceIds ? [...new Set(opts.sourceIds)] : [...known.keys()];
  const metrics = metricsWithIds(deps.config);

  const settled = await Promise.allSettled(
    wanted.map(async (id): Promise<SourceRunSummary> => {
      const source = known.get(id);
      if (!source) {
        return {
          ...emptyResult(id, 'failed'),
          errorClass: 'config',
          error: `unknown source "${id}" (known: ${[...known.keys()].join(', ') || 'none'})`,
        };
      }
      return runSource(deps, opts, source, { from, to, metrics: metrics.filter((metric) => metric.source === id) });
    }),
  );
  const results = settled.map((outcome, i): SourceRunSummary => {
    if (outcome.status === 'fulfilled') return outcome.value;
    // Only the store itself can land here (runSource catches everything the source throws).
    const message = errorMessage(outcome.reason);
    return { ...emptyResult(wanted[i]!, 'failed'), errorClass: 'internal', error: message };
  });
  return { from, to, results, ok: results.every((result) => result.status !== 'failed') };
}

function emptyResult(source: string, status: SourceRunSummary['status']): SourceRunSummary {
  return { source, status, calls: 0, rateLimited: 0, valuesWritten: 0, durationMs: 0 };
}

async function runSource(
  deps: RefreshDeps,
  opts: RefreshOptions,
  source: Source,
  request: { from: LocalDay; to: LocalDay; metrics: Metric[] },
): Promise<SourceRunSummary> {
  const { store, now } = deps;
  const logger = deps.logger.child({ source: source.id });
  if (!source.configured(deps.env)) {
    return { ...emptyResult(source.id, 'not_configured'), detail: `set ${describeCredentials(source)}` };
  }
  if (request.metrics.length === 0) {
    return { ...emptyResult(source.id, 'skipped'), detail: 'no metric uses this source' };
  }

  const startedAt = performance.now();
  // Later writes (sync state, finish time) stamp real elapsed time on top of the pinned "now".
  const clock = () => new Date(now.getTime() + (performance.now() - startedAt));
  // Credentials only: a `<SOURCE>_BASE_URL` is kept readable in errors.
  const redactText = createRedactor(credentialEnvVars(source).map((name) => deps.env[name]));
  const deadlineMs = sourceDeadlineMs(deps.config, source.id);
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), deadlineMs);
  const stats = { calls: 0, rateLimited: 0, deadline: deadline.signal };
  const config = withoutCoreSettings(deps.config, source.id);
  const ctx: SourceContext = { config, env: deps.env, logger, state: syncStateFor(store, clock), now, stats };
  const wantedMetrics = new Set(request.metrics.map((metric) => metric.id));
  const total = daysBetween(request.from, request.to);
  const runId = await startSourceRun(store, { source: source.id, from: request.from, to: request.to }, now);
  let valuesWritten = 0;
  const failedMetrics = new Map<string, MetricRunFailure>();
  const parts: PartsOutcome = { written: new Set(), failed: new Map() };

  let late = NO_CORRECTION;
  const collectRange = async (range: { from: LocalDay; to: LocalDay }, progress: boolean): Promise<number> => {
    let written = 0;
    for await (const batch of withinDeadline(source.collect(ctx, { ...request, ...range }), deadline.signal, source.id, deadlineMs)) {
      for (const item of batch.filter(isFailedMetric)) {
        if (!wantedMetrics.has(item.metricId)) continue;
        const message = redactText(item.failure.message);
        failedMetrics.set(item.metricId, { metric: item.metricId, errorClass: item.failure.errorClass, error: message });
        logger.warn({ metric: item.metricId, errorClass: item.failure.errorClass }, `metric failed: ${message}`);
      }
      await writeParts(store, batch, { sourceId: source.id, now, redactText, logger }, parts);
      const accepted = batch.filter(isCollectedValue).filter((value) => acceptValue(value, wantedMetrics, range, logger));
      // 0 ÷ 0 is no activity, not 0 %: the day keeps no value (and loses the one a past collect stored).
      await deleteDailyValues(
        store,
        accepted.filter(isEmptyRatio).map((value) => ({ metric_id: value.metricId, day: value.day })),
      );
      const rows = accepted.filter((value) => !isEmptyRatio(value)).map((value) => toRow(value, source.id, now, redactText));
      const count = await upsertDailyValues(store, rows);
      await writeChannelSpend(store, channelRows(accepted, source.id, now));
      written += count;
      valuesWritten += count;
      const newest = rows.reduce((day, row) => laterDay(row.day, day), range.from);
      if (progress && rows.length > 0) {
        const done = Math.min(total, Math.floor(valuesWritten / request.metrics.length));
        opts.onProgress?.({ source: source.id, day: newest, done, total });
      }
    }
    return written;
  };

  try {
    const changes = opts.full ? undefined : await scanLateChanges(source, ctx, request);
    await collectRange(request, true);
    late = await correctLateChanges(store, changes, request, (range) => collectRange(range, false));
  } catch (error) {
    const errorClass: RefreshErrorClass = isSourceError(error) ? error.errorClass : 'internal';
    const message = redactText(detailOf(error));
    const summary: SourceRunSummary = {
      ...emptyResult(source.id, 'failed'),
      calls: stats.calls,
      rateLimited: stats.rateLimited,
      valuesWritten,
      durationMs: Math.round(performance.now() - startedAt),
      errorClass,
      error: message,
    };
    clearTimeout(timer);
    logger.error({ errorClass, calls: stats.calls, valuesWritten }, `refresh failed: ${message}`);
    await finishSourceRun(store, runId, { ...summary, status: 'failed' }, clock());
    const health = await recordSourceFailure(store, source.id, errorClass, message, clock());
    const threshold = opts.alertAfterFailures ?? 3;
    if (deps.notify && health.consecutive_failures >= threshold && health.alerted_at === null) {
      if (await markSourceAlerted(store, source.id, clock())) {
        await send(deps, logger, alertText(source, errorClass, message, health.consecutive_failures, request.metrics));
      }
    }
    return summary;
  }

  clearTimeout(timer);
  const failures = [...failedMetrics.values(), ...parts.failed.values()];
  const summary: SourceRunSummary = {
    ...emptyResult(source.id, 'ok'),
    calls: stats.calls,
    rateLimited: stats.rateLimited,
    valuesWritten,
    durationMs: Math.round(performance.now() - startedAt),
    ...(late.recollected.length > 0 ? { late } : {}),
    ...(failures.length > 0 ? { failedMetrics: failures } : {}),
  };
  // The source ran: each metric's failure is what this run said of it, and those that refreshed are cleared.
  await recordMetricFailures(
    store,
    failures.map((f) => ({ metricId: f.metric, source: source.id, errorClass: f.errorClass, error: f.error })),
    clock(),
  );
  await clearMetricFailures(store, [...request.metrics.map((m) => m.id).filter((id) => !failedMetrics.has(id)), ...parts.written]);
  await finishSourceRun(store, runId, { ...summary, status: 'ok' }, clock());
  const { recovered } = await recordSourceSuccess(store, source.id, clock());
  if (recovered && deps.notify) await send(deps, logger, recoveryText(source, request.metrics));
  logger.info({ calls: stats.calls, rateLimited: stats.rateLimited, valuesWritten, oldDaysCorrected: late.corrected.length }, 'refresh ok');
  return summary;
}

/** A failed alert post is logged, never allowed to turn a source result into an exception. */
async function send(deps: RefreshDeps, logger: Logger, text: string): Promise<void> {
  try {
    await deps.notify?.(text);
  } catch (error) {
    logger.error({ err: errorMessage(error) }, 'could not post the source alert');
  }
}

function daysBetween(from: LocalDay, to: LocalDay): number {
  return daysInRange(from, addDays(to, 1)).length;
}

export { alertText, recoveryText } from './refresh-alerts.js';
export { formatRefreshSummary, refreshFooter } from './refresh-summary.js';
