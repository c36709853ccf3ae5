import { readFileSync } from 'node:fs';
import type { AuthClient, OAuth2Client } from 'google-auth-library';
import { z } from 'zod';
import { SourceError } from './errors.js';

/**
 * Google OAuth 2.0 access tokens from `google-auth-library`, shared by the Google sources: the JWT grant for a
 * service account (BigQuery) and the refresh-token grant (Google Ads). The library caches a token and renews it
 * before it expires; `renew()` forces a new one after a 401. Every failure becomes a SourceError that quotes only
 * the OAuth error code and description, never a key, assertion or token.
 */

export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';

export interface TokenSource {
  token(): Promise<string>;
  /** Drops the cached token and fetches a new one. */
  renew(): Promise<string>;
}

const serviceAccountSchema = z.object({
  type: z.literal('service_account').optional(),
  client_email: z.string().email(),
  private_key: z.string().includes('PRIVATE KEY'),
  private_key_id: z.string().optional(),
  project_id: z.string().optional(),
});
export type ServiceAccount = z.output<typeof serviceAccountSchema>;

/** `GOOGLE_SERVICE_ACCOUNT_JSON`: the key file's JSON itself, or the path of the key file. */
export function readServiceAccount(source: string, value: string): ServiceAccount {
  const text = value.trimStart().startsWith('{') ? value : readKeyFile(source, value.trim());
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new SourceError('config', source, 'GOOGLE_SERVICE_ACCOUNT_JSON is not JSON (nor the path of a JSON key file)');
  }
  const parsed = serviceAccountSchema.safeParse(json);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw new SourceError('config', source, `GOOGLE_SERVICE_ACCOUNT_JSON is not a service account key (check ${fields})`);
  }
  return parsed.data;
}

function readKeyFile(source: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new SourceError('config', source, 'GOOGLE_SERVICE_ACCOUNT_JSON: no such key file');
  }
}

/**
 * Points the library's token requests at `tokenUrl` (a local test server or a proxy): the JWT grant always posts to
 * Google's endpoint, so the request is rewritten on the client's own transporter.
 */
function redirectTokenRequests(client: AuthClient, tokenUrl: string | undefined): void {
  if (!tokenUrl || tokenUrl === GOOGLE_TOKEN_URL) return;
  client.transporter.interceptors.request.add({
    resolved: async (options) => {
      if (String(options.url) === GOOGLE_TOKEN_URL) options.url = new URL(tokenUrl);
      return options;
    },
  });
}

const oauthErrorSchema = z.object({ error: z.string(), error_description: z.string().optional() });

function tokenFailure(source: string, error: unknown, hint: string): SourceError {
  const response = (error as { response?: { status?: number; data?: unknown } } | undefined)?.response;
  const status = response?.status;
  const body = oauthErrorSchema.safeParse(response?.data);
  if (status !== undefined && status < 500 && status !== 429) {
    const what = body.success
      ? `${body.data.error}${body.data.error_description ? `: ${body.data.error_description}` : ''}`
      : `HTTP ${status}`;
    return new SourceError('auth', source, `token request rejected (${what}): ${hint}`, status);
  }
  const code = (error as { code?: unknown } | undefined)?.code;
  const why = status !== undefined ? `HTTP ${status}` : typeof code === 'string' ? code : 'network error';
  return new SourceError(status === 429 ? 'rate_limited' : 'unavailable', source, `token request failed (${why})`, status);
}

/**
 * The library is loaded on first use: it is large, and every CLI start loads the registry, while only orgs with a
 * Google source ever need it.
 */
function tokenSourceOf(source: string, makeClient: () => Promise<OAuth2Client>, hint: string): TokenSource {
  let created: Promise<OAuth2Client> | undefined;
  const clientOf = () => (created ??= makeClient());
  const token = async (): Promise<string> => {
    try {
      const client = await clientOf();
      const { token: value } = await client.getAccessToken();
      if (!value) throw new SourceError('bad_response', source, 'token endpoint answered without an access token');
      return value;
    } catch (error) {
      throw error instanceof SourceError ? error : tokenFailure(source, error, hint);
    }
  };
  return {
    token,
    renew: async () => {
      const client = await clientOf();
      // Expired rather than absent: the JWT client keeps its own token cache, which only an expiry bypasses.
      client.credentials = { ...client.credentials, access_token: null, expiry_date: 1 };
      return token();
    },
  };
}

/** The JWT grant for a service account, with `scopes`. */
export function serviceAccountTokens(source: string, account: ServiceAccount, scopes: string[], tokenUrl?: string): TokenSource {
  const makeClient = async () => {
    const { JWT } = await import('google-auth-library');
    const client = new JWT({ email: account.client_email, key: account.private_key, keyId: account.private_key_id, scopes });
    redirectTokenRequests(client, tokenUrl);
    return client;
  };
  return tokenSourceOf(source, makeClient, 'check GOOGLE_SERVICE_ACCOUNT_JSON (the key may have been deleted or disabled)');
}

/** The refresh-token grant for an installed or web OAuth client. */
export function refreshTokenTokens(
  source: string,
  credentials: { clientId: string; clientSecret: string; refreshToken: string },
  hint: string,
  tokenUrl?: string,
): TokenSource {
  const makeClient = async () => {
    const { OAuth2Client } = await import('google-auth-library');
    const client = new OAuth2Client({
      clientId: credentials.clientId,
      clientSecret: credentials.clientSecret,
      endpoints: tokenUrl ? { oauth2TokenUrl: tokenUrl } : undefined,
    });
    client.setCredentials({ refresh_token: credentials.refreshToken });
    return client;
  };
  return tokenSourceOf(source, makeClient, hint);
}
