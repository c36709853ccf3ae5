import { JWT } from 'google-auth-library';
import { DEFAULT_GOOGLE_TOKEN_URL, type SheetsSettings } from './settings.js';

/**
 * Access tokens for the service account, by google-auth-library's JWT grant (an RS256-signed assertion exchanged at
 * the token endpoint). The library caches a token until it nears expiry; `refresh()` forces a new one, for when the
 * API says the cached one is no longer valid (401). The library's token URL is fixed, so requests to it are
 * redirected to GOOGLE_TOKEN_URL when that is set.
 */

export const SHEETS_SCOPE = 'https://www.googleapis.com/auth/spreadsheets';

export interface TokenProvider {
  token(): Promise<string>;
  refresh(): Promise<string>;
  /** Tokens issued so far, for redaction. */
  readonly issued: readonly string[];
}

export function createTokenProvider(settings: Pick<SheetsSettings, 'account' | 'tokenUrl'>): TokenProvider {
  const issued: string[] = [];
  const make = () => {
    const jwt = new JWT({
      email: settings.account.client_email,
      key: settings.account.private_key,
      ...(settings.account.private_key_id ? { keyId: settings.account.private_key_id } : {}),
      scopes: [SHEETS_SCOPE],
    });
    if (settings.tokenUrl !== DEFAULT_GOOGLE_TOKEN_URL) {
      jwt.transporter.interceptors.request.add({
        resolved: async (config) => {
          if (String(config.url) === DEFAULT_GOOGLE_TOKEN_URL) config.url = new URL(settings.tokenUrl);
          return config;
        },
      });
    }
    return jwt;
  };
  let jwt = make();
  const fetchToken = async () => {
    let token: string | null | undefined;
    try {
      token = (await jwt.getAccessToken()).token;
    } catch (error) {
      throw new TokenError(error);
    }
    if (!token) throw new TokenError(new Error('the token endpoint answered without an access token'));
    if (!issued.includes(token)) issued.push(token);
    return token;
  };
  return {
    token: fetchToken,
    async refresh() {
      jwt = make();
      return fetchToken();
    },
    issued,
  };
}

/** The token endpoint refused or could not be reached. Carries the OAuth error code only, never the assertion. */
export class TokenError extends Error {
  override readonly name = 'TokenError';
  readonly status: number | undefined;
  constructor(cause: unknown) {
    const e = cause as { response?: { status?: number; data?: { error?: unknown } }; code?: unknown; message?: unknown };
    const status = e.response?.status;
    const oauth = typeof e.response?.data?.error === 'string' ? e.response.data.error : undefined;
    const code = typeof e.code === 'string' ? e.code : undefined;
    super(`google token request failed${status ? ` (${status}${oauth ? ` ${oauth}` : ''})` : code ? ` (${code})` : ''}`);
    this.status = status;
  }
}
