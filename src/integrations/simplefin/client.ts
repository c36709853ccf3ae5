import type { Logger } from 'pino';
import { createHttpClient } from '../http.js';
import type { HttpClient } from '../http-types.js';
import { accountsResponseSchema, type AccountsResponse } from './schemas.js';
import { ACCESS_URL_VAR, SOURCE_ID, type SimplefinCredentials } from './credentials.js';

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
