import { isSourceError, SourceError } from '../errors.js';
import type { CollectedValue, Source, SourceContext } from '../source.js';
import { dayChunks, parseOrConfigError } from '../source-helpers.js';
import { QuickBooksApi, SOURCE_ID, type QuickBooksDeps } from './client.js';
import { dailyFigures, valuesFor } from './collect.js';
import { quickbooksQuerySchema, quickbooksSettingsSchema, type QuickBooksQuery, type QuickBooksSettings } from './schemas.js';
import { credentialsFrom } from './tokens.js';

/**
 * Days per report request. Intuit advises at most six months per report; a month keeps each day-column report
 * small (one column per day) and lets a backfill yield as it goes: a year is twelve calls, the refresh's trailing
 * week one.
 */
export const CHUNK_DAYS = 31;
const NOT_CONFIGURED = 'not configured: set QBO_CLIENT_ID, QBO_CLIENT_SECRET, QBO_REFRESH_TOKEN and QBO_REALM_ID';

function describeFailure(error: unknown): string {
  if (isSourceError(error) && error.errorClass === 'auth') {
    return `authentication failed: check QBO_CLIENT_ID, QBO_CLIENT_SECRET, QBO_REFRESH_TOKEN and QBO_REALM_ID, and that QBO_BASE_URL matches their environment (${error.message})`;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * QuickBooks Online: revenue, expenses and profit margin per day, from the profit and loss report summarised by day
 * (`summarize_column_by=Days`, a documented value), one request per month of the range.
 */
export function createQuickBooksSource(deps: QuickBooksDeps = {}): Source<QuickBooksSettings, QuickBooksQuery> {
  const settingsFor = (ctx: SourceContext): QuickBooksSettings =>
    parseOrConfigError(SOURCE_ID, quickbooksSettingsSchema, ctx.config.sources[SOURCE_ID] ?? {}, 'sources.quickbooks');

  return {
    id: SOURCE_ID,
    name: 'QuickBooks Online',
    envVars: ['QBO_CLIENT_ID', 'QBO_CLIENT_SECRET', 'QBO_REFRESH_TOKEN', 'QBO_REALM_ID', 'QBO_BASE_URL', 'QBO_TOKEN_URL'],
    settingsSchema: quickbooksSettingsSchema,
    querySchema: quickbooksQuerySchema,
    configured: (env) => credentialsFrom(env) !== undefined,

    async *collect(ctx, { from, to, metrics }) {
      const credentials = credentialsFrom(ctx.env);
      if (!credentials) throw new SourceError('config', SOURCE_ID, NOT_CONFIGURED);
      const settings = settingsFor(ctx);
      const wanted = metrics.map((metric) => ({
        id: metric.id,
        kind: parseOrConfigError(SOURCE_ID, quickbooksQuerySchema, metric.query, `metrics.${metric.id}.query`).kind,
      }));
      if (wanted.length === 0 || from > to) return;

      const api = new QuickBooksApi(ctx, credentials, settings, deps);
      await api.authenticate();
      for (const days of dayChunks(from, to, CHUNK_DAYS)) {
        const report = await api.profitAndLoss(days[0]!, days[days.length - 1]!);
        const figures = dailyFigures(report, days);
        yield wanted.flatMap((metric): CollectedValue[] => valuesFor(metric.id, metric.kind, days, figures));
      }
    },

    async check(ctx) {
      const credentials = credentialsFrom(ctx.env);
      if (!credentials) return { ok: false, detail: NOT_CONFIGURED };
      try {
        const api = new QuickBooksApi(ctx, credentials, settingsFor(ctx), deps);
        await api.authenticate();
        return { ok: true, detail: `authenticated; company "${await api.companyName()}"` };
      } catch (error) {
        return { ok: false, detail: describeFailure(error) };
      }
    },
  };
}

export const quickbooksSource = createQuickBooksSource();
