// QuickBooks' credentials from the environment: pure env reading, no zod or HTTP, so connection.ts loads cheaply.
import type { Env } from '../source.js';

export interface QuickBooksCredentials {
  clientId: string;
  clientSecret: string;
  /** The refresh token from the environment: the seed of the chain of rotated tokens kept in sync state. */
  refreshToken: string;
  realmId: string;
}

export function credentialsFrom(env: Env): QuickBooksCredentials | undefined {
  const clientId = env.QBO_CLIENT_ID?.trim();
  const clientSecret = env.QBO_CLIENT_SECRET?.trim();
  const refreshToken = env.QBO_REFRESH_TOKEN?.trim();
  const realmId = env.QBO_REALM_ID?.trim();
  return clientId && clientSecret && refreshToken && realmId ? { clientId, clientSecret, refreshToken, realmId } : undefined;
}
