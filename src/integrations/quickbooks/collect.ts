import { SourceError } from '../errors.js';
import type { CollectedValue, LateChanges, SourceRequest, SourceRun } from '../source.js';
import { dayChunks } from '../source-helpers.js';
import { apiForRun, SOURCE_ID, type QuickBooksDeps } from './client.js';
import { quickbooksLateChanges } from './late.js';
import { dailyFigures, valuesFor } from './map.js';
import type { QuickBooksQuery, QuickBooksSettings } from './schemas.js';
import { credentialsFrom } from './credentials.js';

/**
 * Days per report request. Intuit advises at most six months per report; a month keeps each day-column report
 * small (one column per day) and lets a backfill yield as it goes: a year is twelve calls, the refresh's trailing
 * week one.
 */
export const CHUNK_DAYS = 31;
export const NOT_CONFIGURED = 'not configured: set QBO_CLIENT_ID, QBO_CLIENT_SECRET, QBO_REFRESH_TOKEN and QBO_REALM_ID';

export async function* collectQuickBooks(
  ctx: SourceRun<QuickBooksSettings>,
  { from, to, metrics }: SourceRequest<QuickBooksQuery>,
  deps: QuickBooksDeps,
): AsyncGenerator<CollectedValue[]> {
  const credentials = credentialsFrom(ctx.env);
  if (!credentials) throw new SourceError('config', SOURCE_ID, NOT_CONFIGURED);
  const { settings } = ctx;
  const wanted = metrics.map((metric) => ({
    id: metric.id,
    kind: metric.query.kind,
  }));
  if (wanted.length === 0 || from > to) return;

  const api = await apiForRun(ctx, credentials, settings, deps);
  for (const days of dayChunks(from, to, CHUNK_DAYS)) {
    const report = await api.profitAndLoss(days[0]!, days[days.length - 1]!);
    const figures = dailyFigures(report, days);
    yield wanted.flatMap((metric): CollectedValue[] => valuesFor(metric.id, metric.kind, days, figures));
  }
}

/** The modification-cursor scan (`Source.lateChanges`): transactions changed since the last plain refresh, via CDC. */
export async function lateQuickBooksChanges(
  ctx: SourceRun<QuickBooksSettings>,
  { from, to }: SourceRequest<QuickBooksQuery>,
  deps: QuickBooksDeps,
): Promise<LateChanges> {
  const credentials = credentialsFrom(ctx.env);
  if (!credentials) throw new SourceError('config', SOURCE_ID, NOT_CONFIGURED);
  const api = await apiForRun(ctx, credentials, ctx.settings, deps);
  return quickbooksLateChanges(ctx, { api, settings: ctx.settings, timezone: ctx.config.org.timezone, window: { from, to } });
}
