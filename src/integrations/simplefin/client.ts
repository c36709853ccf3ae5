import type { Logger } from 'pino';
import { SourceError } from '../errors.js';
import { createHttpClient } from '../http.js';
import type { HttpClient } from '../http-types.js';
import type { Env } from '../source.js';
import { accountsResponseSchema, type AccountsResponse } from './schemas.js';

export const SOURCE_ID = 'simplefin';
export const ACCESS_URL_VAR = 'SIMPLEFIN_ACCESS_URL';
export const BASE_URL_VAR = 'SIMPLEFIN_BASE_URL';

/**
 * The access URL (`https://user:pass@host/path`) is itself the credential: it is split into Basic auth and a
 * credential-free base, and both the URL and the password are registered as secrets so no log or error shows them.
 */
export interface SimplefinCredentials {
  baseUrl: string;
  username: string;
  password: string;
  secrets: string[];
}

export function credentialsFromEnv(env: Env): SimplefinCredentials {
  const accessUrl = env[ACCESS_URL_VAR]?.trim();
  if (!accessUrl) throw new SourceError('config', SOURCE_ID, `${ACCESS_URL_VAR} is not set`);
  let parsed: URL;
  try {
    parsed = new URL(accessUrl);
  } catch {
    // Never echo the value: it is (or contains) the credential.
    throw new SourceError('config', SOURCE_ID, `${ACCESS_URL_VAR} is not a URL (expected https://user:pass@host/path)`);
  }
  const username = decodeURIComponent(parsed.username);
  const password = decodeURIComponent(parsed.password);
  const secrets = [accessUrl, password, parsed.password, `${username}:${password}`];
  if (!username || !password || !/^https?:$/.test(parsed.protocol)) {
    throw new SourceError('config', SOURCE_ID, `${ACCESS_URL_VAR} has no user:pass (expected https://user:pass@host/path)`);
  }
  const override = env[BASE_URL_VAR]?.trim();
  const baseUrl = (override || `${parsed.protocol}//${parsed.host}${parsed.pathname}`).replace(/\/+$/, '');
  return { baseUrl, username, password, secrets };
}

export interface SimplefinClient {
  fetchAccounts(): Promise<AccountsResponse>;
  http: HttpClient;
}

export function createSimplefinClient(
  credentials: SimplefinCredentials,
  options: { logger?: Logger; stats?: { calls: number; rateLimited: number }; maxRetries: number; sleep?: (ms: number) => Promise<void> },
): SimplefinClient {
  const http = createHttpClient({
    source: SOURCE_ID,
    baseURL: credentials.baseUrl,
    auth: { username: credentials.username, password: credentials.password },
    secrets: credentials.secrets,
    // The real limit is a daily quota (see collect.ts); this only keeps retries and checks from bunching.
    limits: { default: { max: 2, perMs: 1000 } },
    maxConcurrency: 1,
    retry: { maxRetries: options.maxRetries },
    classify: ({ status }) => {
      if (status === 402) return { errorClass: 'config', retryable: false, message: 'SimpleFIN subscription payment required' };
      if (status === 403) {
        return {
          errorClass: 'auth',
          retryable: false,
          message: `SimpleFIN refused the access URL (revoked, or disabled for overuse); claim a new setup token and update ${ACCESS_URL_VAR}`,
        };
      }
      return undefined;
    },
    logger: options.logger,
    stats: options.stats,
    sleep: options.sleep,
  });
  return {
    http,
    fetchAccounts: () => http.request({ url: '/accounts', params: { 'balances-only': 1, version: 2 } }, accountsResponseSchema),
  };
}
