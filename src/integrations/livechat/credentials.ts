// LiveChat's credentials from the environment: pure env reading, no zod or HTTP, so connection.ts loads cheaply.
import { requiredEnv } from '../env-credentials.js';
import type { Env } from '../source.js';

export const LIVECHAT_DEFAULT_BASE_URL = 'https://api.livechatinc.com';

export function livechatCredentials(env: Env): { baseURL: string; accountId: string; pat: string } | undefined {
  const set = requiredEnv(env, { accountId: 'LIVECHAT_ACCOUNT_ID', pat: 'LIVECHAT_PAT' });
  return set && { baseURL: env.LIVECHAT_BASE_URL?.trim() || LIVECHAT_DEFAULT_BASE_URL, ...set };
}
