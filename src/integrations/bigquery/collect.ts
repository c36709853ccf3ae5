import type { LocalDay } from '../../metrics/types.js';
import { isSourceError, SourceError } from '../errors.js';
import type { CollectedValue, SourceRequest, SourceRun } from '../source.js';
import { BigQueryApi, type BigQueryDeps } from './client.js';
import { credentialsFrom } from './credentials.js';
import { addRows, columnsOf, dailyValues, queryParameters, SOURCE_ID, type Columns } from './map.js';
import type { BigQueryQuery, BigQuerySettings } from './schemas.js';

export const NOT_CONFIGURED = 'not configured: set GOOGLE_SERVICE_ACCOUNT_JSON and BIGQUERY_PROJECT_ID';

/** A config error from BigQuery (bad SQL, bytes billed) names the metric whose query it was. */
function forMetric(metricId: string, error: unknown): unknown {
  if (!isSourceError(error) || error.errorClass !== 'config' || error.message.includes(`metrics.${metricId}`)) return error;
  return new SourceError(
    'config',
    SOURCE_ID,
    `metrics.${metricId}.query.sql: ${error.message.replace(/^bigquery: config: /, '')}`,
    error.status,
  );
}

async function metricValues(api: BigQueryApi, metricId: string, query: BigQueryQuery, from: LocalDay, to: LocalDay, timezone: string) {
  const byDay = new Map<LocalDay, CollectedValue>();
  let columns: Columns | undefined;
  for await (const page of api.query(query.sql, queryParameters(query.sql, from, to, timezone))) {
    columns ??= columnsOf(metricId, page.schema?.fields ?? []);
    addRows(metricId, page.rows ?? [], columns, from, to, byDay);
  }
  return dailyValues(metricId, from, to, byDay, query.missing_days, columns?.numerator !== undefined);
}

/** One query per metric, one batch per metric. */
export async function* collectBigQuery(
  ctx: SourceRun<BigQuerySettings>,
  { from, to, metrics }: SourceRequest<BigQueryQuery>,
  deps: BigQueryDeps,
): AsyncGenerator<CollectedValue[]> {
  const credentials = credentialsFrom(ctx.env);
  if (!credentials) throw new SourceError('config', SOURCE_ID, NOT_CONFIGURED);
  if (metrics.length === 0 || from > to) return;
  const api = new BigQueryApi(ctx, credentials, ctx.settings, deps);
  for (const metric of metrics) {
    let values: CollectedValue[];
    try {
      values = await metricValues(api, metric.id, metric.query, from, to, ctx.config.org.timezone);
    } catch (error) {
      throw forMetric(metric.id, error);
    }
    yield values;
  }
}
