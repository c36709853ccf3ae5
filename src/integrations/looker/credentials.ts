// Looker's credentials from the environment: pure env reading, no zod or HTTP, so connection.ts loads cheaply.
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
  const base = env.LOOKER_BASE_URL?.trim();
  const clientId = env.LOOKER_CLIENT_ID?.trim();
  const clientSecret = env.LOOKER_CLIENT_SECRET?.trim();
  return base && clientId && clientSecret ? { apiBase: apiBaseOf(base), clientId, clientSecret } : undefined;
}
