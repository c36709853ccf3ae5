import type { LocalDay } from '../../metrics/types.js';
import { isSourceError, SourceError } from '../errors.js';
import type { CollectedValue, Source, SourceContext } from '../source.js';
import { parseOrConfigError } from '../source-helpers.js';
import { BigQueryApi, credentialsFrom, type BigQueryDeps } from './client.js';
import { addRows, columnsOf, dailyValues, queryParameters, SOURCE_ID, type Columns } from './map.js';
import { bigqueryQuerySchema, bigquerySettingsSchema, type BigQueryQuery, type BigQuerySettings } from './schemas.js';

const NOT_CONFIGURED = 'not configured: set GOOGLE_SERVICE_ACCOUNT_JSON and BIGQUERY_PROJECT_ID';

function describeFailure(error: unknown): string {
  if (isSourceError(error) && error.errorClass === 'auth') {
    return `authentication failed: check GOOGLE_SERVICE_ACCOUNT_JSON, and that the service account has BigQuery Job User and Data Viewer on BIGQUERY_PROJECT_ID (${error.message})`;
  }
  return error instanceof Error ? error.message : String(error);
}

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

async function* metricValues(api: BigQueryApi, metricId: string, query: BigQueryQuery, from: LocalDay, to: LocalDay, timezone: string) {
  const byDay = new Map<LocalDay, CollectedValue>();
  let columns: Columns | undefined;
  for await (const page of api.query(query.sql, queryParameters(query.sql, from, to, timezone))) {
    columns ??= columnsOf(metricId, page.schema?.fields ?? []);
    addRows(metricId, page.rows ?? [], columns, from, to, byDay);
  }
  yield dailyValues(metricId, from, to, byDay, query.missing_days, columns?.numerator !== undefined);
}

/**
 * BigQuery: each metric one GoogleSQL query returning `day DATE, value FLOAT64` (optionally `numerator`,
 * `denominator`) for the days between `@from` and `@to`, run with named parameters and a bytes-billed cap.
 */
export function createBigQuerySource(deps: BigQueryDeps = {}): Source<BigQuerySettings, BigQueryQuery> {
  const settingsFor = (ctx: SourceContext): BigQuerySettings =>
    parseOrConfigError(SOURCE_ID, bigquerySettingsSchema, ctx.config.sources[SOURCE_ID] ?? {}, 'sources.bigquery');

  return {
    id: SOURCE_ID,
    name: 'BigQuery',
    envVars: ['GOOGLE_SERVICE_ACCOUNT_JSON', 'BIGQUERY_PROJECT_ID', 'BIGQUERY_LOCATION', 'BIGQUERY_BASE_URL', 'BIGQUERY_TOKEN_URL'],
    settingsSchema: bigquerySettingsSchema,
    querySchema: bigqueryQuerySchema,
    configured: (env) => credentialsFrom(env) !== undefined,

    async *collect(ctx, { from, to, metrics }) {
      const credentials = credentialsFrom(ctx.env);
      if (!credentials) throw new SourceError('config', SOURCE_ID, NOT_CONFIGURED);
      const settings = settingsFor(ctx);
      const wanted = metrics.map((metric) => ({
        id: metric.id,
        query: parseOrConfigError(SOURCE_ID, bigqueryQuerySchema, metric.query, `metrics.${metric.id}.query`),
      }));
      if (wanted.length === 0 || from > to) return;
      const api = new BigQueryApi(ctx, credentials, settings, deps);
      for (const metric of wanted) {
        try {
          yield* metricValues(api, metric.id, metric.query, from, to, ctx.config.org.timezone);
        } catch (error) {
          throw forMetric(metric.id, error);
        }
      }
    },

    async check(ctx) {
      const credentials = credentialsFrom(ctx.env);
      if (!credentials) return { ok: false, detail: NOT_CONFIGURED };
      try {
        const count = await new BigQueryApi(ctx, credentials, settingsFor(ctx), deps).datasetCount();
        return { ok: true, detail: `authenticated; project ${credentials.projectId}, ${count} datasets visible` };
      } catch (error) {
        return { ok: false, detail: describeFailure(error) };
      }
    },
  };
}

export const bigquerySource = createBigQuerySource();
