// QuickBooks' credentials from the environment: pure env reading, no zod or HTTP, so connection.ts loads cheaply.
import { requiredEnv } from '../env-credentials.js';
import type { Env } from '../source.js';

export interface QuickBooksCredentials {
  clientId: string;
  clientSecret: string;
  /** The refresh token from the environment: the seed of the chain of rotated tokens kept in sync state. */
  refreshToken: string;
  realmId: string;
}

export function credentialsFrom(env: Env): QuickBooksCredentials | undefined {
  return requiredEnv(env, {
    clientId: 'QBO_CLIENT_ID',
    clientSecret: 'QBO_CLIENT_SECRET',
    refreshToken: 'QBO_REFRESH_TOKEN',
    realmId: 'QBO_REALM_ID',
  });
}
