// Jira's credentials from the environment: pure env reading, no zod or HTTP, so connection.ts loads cheaply.
import { requiredEnv } from '../env-credentials.js';
import type { Env } from '../source.js';

export interface JiraCredentials {
  baseUrl: string;
  email: string;
  apiToken: string;
}

export function credentialsFrom(env: Env): JiraCredentials | undefined {
  return requiredEnv(env, { baseUrl: 'JIRA_BASE_URL', email: 'JIRA_EMAIL', apiToken: 'JIRA_API_TOKEN' });
}
