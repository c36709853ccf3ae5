// LiveChat's credentials from the environment: pure env reading, no zod or HTTP, so connection.ts loads cheaply.
import type { Env } from '../source.js';

export const LIVECHAT_DEFAULT_BASE_URL = 'https://api.livechatinc.com';

export function livechatCredentials(env: Env): { baseURL: string; accountId: string; pat: string } | undefined {
  const accountId = env.LIVECHAT_ACCOUNT_ID?.trim();
  const pat = env.LIVECHAT_PAT?.trim();
  if (!accountId || !pat) return undefined;
  return { baseURL: env.LIVECHAT_BASE_URL?.trim() || LIVECHAT_DEFAULT_BASE_URL, accountId, pat };
}
