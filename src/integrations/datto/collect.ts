import { localDayOf } from '../../metrics/periods.js';
import type { LocalDay } from '../../metrics/types.js';
import { SourceError } from '../errors.js';
import type { CollectedValue, SourceContext, SourceRequest, SourceRun } from '../source.js';
import {
  BCDR_CONCURRENCY,
  createBcdrApi,
  createRmmApi,
  SOURCE_ID,
  type BcdrApi,
  type DattoDeps,
  type RmmApi,
  type TokenCache,
} from './client.js';
import { BCDR_ENV, credentialsFrom, RMM_ENV } from './credentials.js';
import { isBackupFailing, isMissingPatches, ThresholdCounts } from './map.js';
import type { DattoQuery, DattoSettings } from './schemas.js';

export const NOT_CONFIGURED = `not configured: set ${BCDR_ENV} (backups) and/or ${RMM_ENV} (patches)`;
const DEVICE_CACHE_KEY = 'datto.bcdr.devices';
const DEVICE_CACHE_TTL_MS = 24 * 60 * 60 * 1000;

type Wanted<K extends DattoQuery['kind']> = { id: string; query: Extract<DattoQuery, { kind: K }> };

/** The BCDR device serial numbers, from sync state when listed less than a day ago for the same account. */
async function deviceSerials(ctx: SourceContext, api: BcdrApi): Promise<string[]> {
  const cached = parseDeviceCache(await ctx.state.get(DEVICE_CACHE_KEY));
  if (cached && cached.account === api.accountKey && ctx.now.getTime() - cached.fetchedAt < DEVICE_CACHE_TTL_MS) return cached.serials;
  const serials: string[] = [];
  for await (const page of api.devicePages()) serials.push(...page.map((device) => device.serialNumber));
  const unique = [...new Set(serials)];
  await ctx.state.set(DEVICE_CACHE_KEY, JSON.stringify({ account: api.accountKey, fetchedAt: ctx.now.toISOString(), serials: unique }));
  return unique;
}

function parseDeviceCache(text: string | undefined): { account: string; fetchedAt: number; serials: string[] } | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as { account?: unknown; fetchedAt?: unknown; serials?: unknown };
    const fetchedAt = typeof value.fetchedAt === 'string' ? Date.parse(value.fetchedAt) : NaN;
    const serials =
      Array.isArray(value.serials) && value.serials.every((serial) => typeof serial === 'string') ? (value.serials as string[]) : undefined;
    if (typeof value.account !== 'string' || Number.isNaN(fetchedAt) || !serials) return undefined;
    return { account: value.account, fetchedAt, serials };
  } catch {
    return undefined;
  }
}

/** Runs `task` over `items` with at most `limit` in flight; the first failure stops new work and is rethrown. */
async function forEachLimited<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const item = items[next++]!;
      try {
        await task(item);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

async function failedBackupValues(
  ctx: SourceContext,
  api: BcdrApi,
  metrics: Wanted<'failed_backups'>[],
  today: LocalDay,
): Promise<CollectedValue[]> {
  const serials = await deviceSerials(ctx, api);
  const counts = new ThresholdCounts(metrics.map((metric) => metric.query.older_than_hours));
  const gone: string[] = [];
  await forEachLimited(serials, BCDR_CONCURRENCY, async (serial) => {
    const assets = await api.assets(serial);
    if (assets === undefined) gone.push(serial);
    else counts.add(assets, (asset, hours) => isBackupFailing(asset, ctx.now, hours));
  });
  // A device removed since the list was cached: list again next run, and say the count may be short.
  if (gone.length > 0) await ctx.state.set(DEVICE_CACHE_KEY, '');
  const warnings = gone.length > 0 ? [`${gone.length} BCDR device(s) no longer found (${gone.sort().join(', ')}): skipped`] : undefined;
  return metrics.map((metric) => ({
    metricId: metric.id,
    day: today,
    value: counts.get(metric.query.older_than_hours),
    ...(warnings ? { warnings } : {}),
  }));
}

async function missingPatchValues(api: RmmApi, metrics: Wanted<'devices_missing_patches'>[], today: LocalDay): Promise<CollectedValue[]> {
  const counts = new ThresholdCounts(metrics.map((metric) => metric.query.more_than));
  for await (const page of api.devicePages()) counts.add(page, isMissingPatches);
  return metrics.map((metric) => ({ metricId: metric.id, day: today, value: counts.get(metric.query.more_than) }));
}

/**
 * Both Datto figures are stocks: one value for today, and only when today is in the requested window. Each API yields
 * on its own, so one failing still stores the other's figure.
 */
export async function* collectDatto(
  ctx: SourceRun<DattoSettings>,
  { from, to, metrics }: SourceRequest<DattoQuery>,
  deps: DattoDeps,
  tokens: TokenCache,
): AsyncGenerator<CollectedValue[]> {
  const credentials = credentialsFrom(ctx.env);
  if (!credentials.bcdr && !credentials.rmm) throw new SourceError('config', SOURCE_ID, NOT_CONFIGURED);
  const { settings } = ctx;
  const wanted = metrics.map((metric) => ({ id: metric.id, query: metric.query }));
  const today = localDayOf(ctx.now, ctx.config.org.timezone);
  if (today < from || today > to) return;

  const backups = wanted.filter((metric): metric is Wanted<'failed_backups'> => metric.query.kind === 'failed_backups');
  const patches = wanted.filter((metric): metric is Wanted<'devices_missing_patches'> => metric.query.kind === 'devices_missing_patches');
  // Half a setup is a choice, not an outage: the metric gets no value and a warning, the other API still runs.
  const skip = (list: { id: string }[], api: string, env: string) => {
    for (const metric of list)
      ctx.logger.warn({ metric: metric.id }, `metrics.${metric.id}: no value, Datto ${api} is not configured (set ${env})`);
  };
  if (!credentials.bcdr) skip(backups, 'BCDR', BCDR_ENV);
  if (!credentials.rmm) skip(patches, 'RMM', RMM_ENV);

  // Each API yields on its own, so one failing still stores the other's figure; the first failure ends the run.
  let failure: unknown;
  if (credentials.rmm && patches.length > 0) {
    try {
      yield await missingPatchValues(createRmmApi(ctx, credentials.rmm, settings, deps, tokens), patches, today);
    } catch (error) {
      failure = error;
    }
  }
  if (credentials.bcdr && backups.length > 0) {
    try {
      yield await failedBackupValues(ctx, createBcdrApi(ctx, credentials.bcdr, settings, deps), backups, today);
    } catch (error) {
      failure ??= error;
    }
  }
  if (failure !== undefined) throw failure;
}
