// Jira's credentials from the environment: pure env reading, no zod or HTTP, so connection.ts loads cheaply.
import type { Env } from '../source.js';

export interface JiraCredentials {
  baseUrl: string;
  email: string;
  apiToken: string;
}

export function credentialsFrom(env: Env): JiraCredentials | undefined {
  const baseUrl = env.JIRA_BASE_URL?.trim();
  const email = env.JIRA_EMAIL?.trim();
  const apiToken = env.JIRA_API_TOKEN?.trim();
  return baseUrl && email && apiToken ? { baseUrl, email, apiToken } : undefined;
}
