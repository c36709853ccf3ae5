// Zendesk's credentials from the environment: pure env reading, no zod or HTTP, so connection.ts loads cheaply.
import type { Env } from '../source.js';

export interface ZendeskCredentials {
  baseURL: string;
  headers?: Record<string, string>;
  auth?: { username: string; password: string };
}

/**
 * API token (Basic `{email}/token:{api_token}`) wins over an OAuth token when both are set.
 * The base URL is `ZENDESK_BASE_URL`, else `https://{ZENDESK_SUBDOMAIN}.zendesk.com`.
 */
export function zendeskCredentials(env: Env): ZendeskCredentials | undefined {
  const subdomain = env.ZENDESK_SUBDOMAIN?.trim();
  const baseURL = env.ZENDESK_BASE_URL?.trim() || (subdomain ? `https://${subdomain}.zendesk.com` : undefined);
  if (!baseURL) return undefined;
  const email = env.ZENDESK_EMAIL?.trim();
  const apiToken = env.ZENDESK_API_TOKEN?.trim();
  if (email && apiToken) return { baseURL, auth: { username: `${email}/token`, password: apiToken } };
  const oauthToken = env.ZENDESK_OAUTH_TOKEN?.trim();
  if (oauthToken) return { baseURL, headers: { Authorization: `Bearer ${oauthToken}` } };
  return undefined;
}
