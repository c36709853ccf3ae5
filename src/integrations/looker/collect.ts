import { localDayOf } from '../../metrics/periods.js';
import { SourceError } from '../errors.js';
import type { CollectedValue, SourceRequest, SourceRun } from '../source.js';
import { LookerApi, type LookerDeps } from './client.js';
import { credentialsFrom } from './credentials.js';
import { SOURCE_ID, valuesFromRows, windowFilter } from './map.js';
import type { LookerQuery, LookerSettings, ResultRow } from './schemas.js';

export const NOT_CONFIGURED = 'not configured: set LOOKER_BASE_URL, LOOKER_CLIENT_ID and LOOKER_CLIENT_SECRET';

/** One run per Look (however many metrics read it) and per inline query; one batch per metric. */
export async function* collectLooker(
  ctx: SourceRun<LookerSettings>,
  { from, to, metrics }: SourceRequest<LookerQuery>,
  deps: LookerDeps,
): AsyncGenerator<CollectedValue[]> {
  const credentials = credentialsFrom(ctx.env);
  if (!credentials) throw new SourceError('config', SOURCE_ID, NOT_CONFIGURED);
  if (metrics.length === 0 || from > to) return;
  const { settings } = ctx;
  const timezone = ctx.config.org.timezone;
  const window = { from, to, today: localDayOf(ctx.now, timezone) };
  const api = new LookerApi(ctx, credentials, settings, deps);
  const looks = new Map<string, Promise<ResultRow[]>>();
  for (const metric of metrics) {
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
      rows = await api.runInlineQuery({ model: query.model, view: query.view, fields: query.fields, filters, query_timezone: timezone });
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
}
