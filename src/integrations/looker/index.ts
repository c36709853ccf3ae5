import { localDayOf } from '../../metrics/periods.js';
import { isSourceError, SourceError } from '../errors.js';
import type { Source, SourceContext } from '../source.js';
import { parseOrConfigError } from '../source-helpers.js';
import { credentialsFrom, LookerApi, type LookerDeps } from './client.js';
import { SOURCE_ID, valuesFromRows, windowFilter } from './map.js';
import { lookerQuerySchema, lookerSettingsSchema, type LookerQuery, type LookerSettings, type ResultRow } from './schemas.js';

const NOT_CONFIGURED = 'not configured: set LOOKER_BASE_URL, LOOKER_CLIENT_ID and LOOKER_CLIENT_SECRET';

function describeFailure(error: unknown): string {
  if (isSourceError(error) && error.errorClass === 'auth') {
    return `authentication failed: check LOOKER_CLIENT_ID and LOOKER_CLIENT_SECRET (an API key of a Looker user), and LOOKER_BASE_URL (${error.message})`;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Looker: each metric a saved Look or an inline query and the column to read; bucketed by a date column's day, or
 * today's snapshot of a stock without one. A Look feeding several metrics runs once per refresh.
 */
export function createLookerSource(deps: LookerDeps = {}): Source<LookerSettings, LookerQuery> {
  const settingsFor = (ctx: SourceContext): LookerSettings =>
    parseOrConfigError(SOURCE_ID, lookerSettingsSchema, ctx.config.sources[SOURCE_ID] ?? {}, 'sources.looker');

  return {
    id: SOURCE_ID,
    name: 'Looker',
    envVars: ['LOOKER_CLIENT_ID', 'LOOKER_CLIENT_SECRET', 'LOOKER_BASE_URL'],
    settingsSchema: lookerSettingsSchema,
    querySchema: lookerQuerySchema,
    configured: (env) => credentialsFrom(env) !== undefined,

    async *collect(ctx, { from, to, metrics }) {
      const credentials = credentialsFrom(ctx.env);
      if (!credentials) throw new SourceError('config', SOURCE_ID, NOT_CONFIGURED);
      const settings = settingsFor(ctx);
      const timezone = ctx.config.org.timezone;
      const window = { from, to, today: localDayOf(ctx.now, timezone) };
      const wanted = metrics.map((metric) => ({
        id: metric.id,
        query: parseOrConfigError(SOURCE_ID, lookerQuerySchema, metric.query, `metrics.${metric.id}.query`),
      }));
      if (wanted.length === 0 || from > to) return;

      const api = new LookerApi(ctx, credentials, settings, deps);
      const looks = new Map<string, Promise<ResultRow[]>>();
      for (const metric of wanted) {
        const { query } = metric;
        // A stock is a snapshot of now: outside today's window there is nothing to run.
        if (!query.date_field && (window.today < from || window.today > to)) continue;
        let rows: ResultRow[];
        if ('look_id' in query) {
          if (!looks.has(query.look_id)) looks.set(query.look_id, api.runLook(query.look_id));
          rows = await looks.get(query.look_id)!;
        } else {
          const filters =
            query.date_field && !(query.date_field in query.filters)
              ? { ...query.filters, [query.date_field]: windowFilter(from, to) }
              : query.filters;
          rows = await api.runInlineQuery({
            model: query.model,
            view: query.view,
            fields: query.fields,
            filters,
            query_timezone: timezone,
          });
        }
        if (rows.length >= settings.row_limit) {
          throw new SourceError(
            'config',
            SOURCE_ID,
            `metrics.${metric.id}.query: the result reached sources.looker.row_limit (${settings.row_limit}); narrow it or raise the limit`,
          );
        }
        yield valuesFromRows(metric.id, query, rows, window);
      }
    },

    async check(ctx) {
      const credentials = credentialsFrom(ctx.env);
      if (!credentials) return { ok: false, detail: NOT_CONFIGURED };
      try {
        const me = await new LookerApi(ctx, credentials, settingsFor(ctx), deps).me();
        return { ok: true, detail: `authenticated as ${me.display_name ?? `user ${me.id}`}` };
      } catch (error) {
        return { ok: false, detail: describeFailure(error) };
      }
    },
  };
}

export const lookerSource = createLookerSource();
