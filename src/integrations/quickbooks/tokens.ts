import { createHash } from 'node:crypto';
import type { SourceContext } from '../source.js';
import { createHttpClient } from '../http.js';
import type { HttpClientOptions } from '../http-types.js';
import { oauthErrorSchema, tokenResponseSchema, type TokenResponse } from './schemas.js';
import type { SyncState } from '../../store/sync-state.js';
import type { QuickBooksCredentials } from './credentials.js';

/**
 * Intuit OAuth 2.0: the refresh-token grant, and the refresh token's rotation.
 *
 * Intuit rotates refresh tokens: a refresh may answer with a new refresh token, and the old one then stops working
 * eventually. The newest one is therefore kept in sync state (`quickbooks:refresh_token`). That row is a live
 * credential; it is acceptable only because sync state lives in the app's own database, which already has to be
 * protected like the .env file. It is never logged, and every client built here redacts it.
 */

export const SOURCE_ID = 'quickbooks';
export const DEFAULT_TOKEN_URL = 'https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer';
export const REFRESH_TOKEN_KEY = 'quickbooks:refresh_token';
/** Intuit documents no limit for the token endpoint; one refresh per run (plus one per expired token) is the need. */
const TOKEN_LIMITS = { default: { max: 10, perMs: 60_000 } };

/**
 * Which environment credentials a stored token descends from. A new QBO_REFRESH_TOKEN (the app reconnected) or
 * another company or app makes the stored token stale, so the environment's token is used again.
 */
function lineageOf(credentials: QuickBooksCredentials): string {
  return createHash('sha256')
    .update([credentials.clientId, credentials.realmId, credentials.refreshToken].join('\n'))
    .digest('hex')
    .slice(0, 32);
}

/** The newest refresh token: the stored one when it descends from the current environment, else the environment's. */
export async function currentRefreshToken(state: SyncState, credentials: QuickBooksCredentials): Promise<string> {
  const stored = parseStored(await state.get(REFRESH_TOKEN_KEY));
  return stored && stored.lineage === lineageOf(credentials) ? stored.token : credentials.refreshToken;
}

export async function storeRefreshToken(state: SyncState, credentials: QuickBooksCredentials, token: string): Promise<void> {
  await state.set(REFRESH_TOKEN_KEY, JSON.stringify({ token, lineage: lineageOf(credentials) }));
}

function parseStored(text: string | undefined): { token: string; lineage: string } | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as { token?: unknown; lineage?: unknown };
    return typeof value.token === 'string' && value.token.length > 0 && typeof value.lineage === 'string'
      ? { token: value.token, lineage: value.lineage }
      : undefined;
  } catch {
    return undefined;
  }
}

const RECONNECT = 'reconnect the app in QuickBooks and set QBO_REFRESH_TOKEN to the new refresh token';

/** `invalid_grant` (expired, revoked or superseded refresh token) is an auth failure, not a configuration one. */
const classifyTokenError: NonNullable<HttpClientOptions['classify']> = ({ status, data }) => {
  const parsed = oauthErrorSchema.safeParse(data);
  const code = parsed.success ? parsed.data.error : undefined;
  if (code === 'invalid_grant')
    return { errorClass: 'auth', retryable: false, message: `refresh token rejected (invalid_grant): ${RECONNECT}` };
  if (code === 'invalid_client' || status === 401) {
    return {
      errorClass: 'auth',
      retryable: false,
      message: `client rejected (${code ?? 'unauthorized'}): check QBO_CLIENT_ID and QBO_CLIENT_SECRET`,
    };
  }
  return undefined;
};

export interface TokenRequestOptions {
  tokenUrl: string;
  /** Earlier tokens of this run, redacted too. */
  knownTokens?: Iterable<string>;
  sleep?: HttpClientOptions['sleep'];
  random?: HttpClientOptions['random'];
}

/**
 * `POST {tokenUrl}` with HTTP Basic `client_id:client_secret` and the form `grant_type=refresh_token&refresh_token=…`;
 * answers a fresh access token (valid about an hour) and the refresh token to use next time.
 */
export async function refreshTokens(
  ctx: SourceContext,
  credentials: QuickBooksCredentials,
  refreshToken: string,
  options: TokenRequestOptions,
): Promise<TokenResponse> {
  const http = createHttpClient({
    source: SOURCE_ID,
    baseURL: options.tokenUrl,
    auth: { username: credentials.clientId, password: credentials.clientSecret },
    headers: { Accept: 'application/json' },
    secrets: [credentials.clientSecret, credentials.refreshToken, refreshToken, ...(options.knownTokens ?? [])],
    classify: classifyTokenError,
    limits: TOKEN_LIMITS,
    maxConcurrency: 1,
    logger: ctx.logger,
    stats: ctx.stats,
    sleep: options.sleep,
    random: options.random,
  });
  const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken });
  return http.request({ method: 'POST', url: options.tokenUrl, data: form }, tokenResponseSchema);
}
