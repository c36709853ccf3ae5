import { errorMessage } from '../../errors.js';
import { isSourceError } from '../errors.js';
import { defineSource, type Source } from '../source.js';
import { bigqueryConnection } from './connection.js';
import { BigQueryApi, type BigQueryDeps } from './client.js';
import { credentialsFrom } from './credentials.js';
import { collectBigQuery, NOT_CONFIGURED } from './collect.js';
import { SOURCE_ID } from './map.js';
import { bigqueryQuerySchema, bigquerySettingsSchema, type BigQueryQuery, type BigQuerySettings } from './schemas.js';

function describeFailure(error: unknown): string {
  if (isSourceError(error) && error.errorClass === 'auth') {
    return `authentication failed: check GOOGLE_SERVICE_ACCOUNT_JSON, and that the service account has BigQuery Job User and Data Viewer on BIGQUERY_PROJECT_ID (${error.message})`;
  }
  return errorMessage(error);
}

/**
 * BigQuery: each metric one GoogleSQL query returning `day DATE, value FLOAT64` (optionally `numerator`,
 * `denominator`) for the days between `@from` and `@to`, run with named parameters and a bytes-billed cap.
 */
export function createBigQuerySource(deps: BigQueryDeps = {}): Source {
  return defineSource<BigQuerySettings, BigQueryQuery>({
    id: SOURCE_ID,
    name: 'BigQuery',
    envVars: ['GOOGLE_SERVICE_ACCOUNT_JSON', 'BIGQUERY_PROJECT_ID', 'BIGQUERY_LOCATION', 'BIGQUERY_BASE_URL', 'BIGQUERY_TOKEN_URL'],
    credentials: ['GOOGLE_SERVICE_ACCOUNT_JSON', 'BIGQUERY_PROJECT_ID'],
    settingsSchema: bigquerySettingsSchema,
    querySchema: bigqueryQuerySchema,
    ...bigqueryConnection,
    collect: (ctx, request) => collectBigQuery(ctx, request, deps),
    async check(ctx) {
      const credentials = credentialsFrom(ctx.env);
      if (!credentials) return { ok: false, detail: NOT_CONFIGURED };
      try {
        const count = await new BigQueryApi(ctx, credentials, ctx.settings, deps).datasetCount();
        return { ok: true, detail: `authenticated; project ${credentials.projectId}, ${count} datasets visible` };
      } catch (error) {
        return { ok: false, detail: describeFailure(error) };
      }
    },
  });
}

export const bigquerySource = createBigQuerySource();
