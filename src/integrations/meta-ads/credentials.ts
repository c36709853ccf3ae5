// Meta Ads' credentials from the environment: pure env reading, no zod or HTTP, so connection.ts loads cheaply.
import type { Env } from '../source.js';

export interface MetaAdsCredentials {
  accessToken: string;
  /** `act_<id>`, whether or not the env value had the prefix. */
  account: string;
}

export function credentialsFrom(env: Env): MetaAdsCredentials | undefined {
  const accessToken = env.META_ADS_ACCESS_TOKEN?.trim();
  const id = env.META_AD_ACCOUNT_ID?.trim().replace(/^act_/, '');
  return accessToken && id && /^\d+$/.test(id) ? { accessToken, account: `act_${id}` } : undefined;
}
