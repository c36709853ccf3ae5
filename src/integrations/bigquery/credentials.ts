// BigQuery's credentials from the environment: pure env reading, no zod or HTTP, so connection.ts loads cheaply.
import type { Env } from '../source.js';

export interface BigQueryCredentials {
  serviceAccountJson: string;
  projectId: string;
  location?: string;
}

export function credentialsFrom(env: Env): BigQueryCredentials | undefined {
  const serviceAccountJson = env.GOOGLE_SERVICE_ACCOUNT_JSON?.trim();
  const projectId = env.BIGQUERY_PROJECT_ID?.trim();
  const location = env.BIGQUERY_LOCATION?.trim() || undefined;
  return serviceAccountJson && projectId ? { serviceAccountJson, projectId, location } : undefined;
}
