// Looker's credentials from the environment: pure env reading, no zod or HTTP, so connection.ts loads cheaply.
import { requiredEnv } from '../env-credentials.js';
import type { Env } from '../source.js';

export interface LookerCredentials {
  apiBase: string;
  clientId: string;
  clientSecret: string;
}

/** `https://acme.cloud.looker.com` (or with `/api/4.0`) → `https://acme.cloud.looker.com/api/4.0/`. */
export function apiBaseOf(url: string): string {
  return `${url
    .trim()
    .replace(/\/+$/, '')
    .replace(/\/api\/4\.0$/, '')}/api/4.0/`;
}

export function credentialsFrom(env: Env): LookerCredentials | undefined {
  const set = requiredEnv(env, { base: 'LOOKER_BASE_URL', clientId: 'LOOKER_CLIENT_ID', clientSecret: 'LOOKER_CLIENT_SECRET' });
  return set && { apiBase: apiBaseOf(set.base), clientId: set.clientId, clientSecret: set.clientSecret };
}
