// Google Ads' credentials from the environment: pure env reading, no zod or HTTP, so connection.ts loads cheaply.
import type { Env } from '../source.js';

export interface GoogleAdsCredentials {
  developerToken: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  customerId: string;
  loginCustomerId?: string;
}

const digits = (value: string | undefined) => value?.trim().replace(/-/g, '') || undefined;

export function credentialsFrom(env: Env): GoogleAdsCredentials | undefined {
  const developerToken = env.GOOGLE_ADS_DEVELOPER_TOKEN?.trim();
  const clientId = env.GOOGLE_ADS_CLIENT_ID?.trim();
  const clientSecret = env.GOOGLE_ADS_CLIENT_SECRET?.trim();
  const refreshToken = env.GOOGLE_ADS_REFRESH_TOKEN?.trim();
  const customerId = digits(env.GOOGLE_ADS_CUSTOMER_ID);
  const loginCustomerId = digits(env.GOOGLE_ADS_LOGIN_CUSTOMER_ID);
  if (!developerToken || !clientId || !clientSecret || !refreshToken || !customerId || !/^\d+$/.test(customerId)) return undefined;
  return { developerToken, clientId, clientSecret, refreshToken, customerId, ...(loginCustomerId ? { loginCustomerId } : {}) };
}
