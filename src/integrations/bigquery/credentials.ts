// BigQuery's credentials from the environment: pure env reading, no zod or HTTP, so connection.ts loads cheaply.
import { requiredEnv } from '../env-credentials.js';
import type { Env } from '../source.js';

export interface BigQueryCredentials {
  serviceAccountJson: string;
  projectId: string;
  location?: string;
}

export function credentialsFrom(env: Env): BigQueryCredentials | undefined {
  const set = requiredEnv(env, { serviceAccountJson: 'GOOGLE_SERVICE_ACCOUNT_JSON', projectId: 'BIGQUERY_PROJECT_ID' });
  return set && { ...set, location: env.BIGQUERY_LOCATION?.trim() || undefined };
}
