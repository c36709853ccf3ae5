import type { z } from 'zod';
import { isSourceError, SourceError } from '../errors.js';
import { createHttpClient, limitsFromSettings } from '../http.js';
import type { HttpClient, HttpClientOptions, HttpRequest } from '../http-types.js';
import type { SourceContext } from '../source.js';
import { SOURCE_ID } from './map.js';
import { accessTokenSchema, lookerErrorSchema, resultRowsSchema, userSchema, type LookerSettings, type ResultRow } from './schemas.js';
import type { LookerCredentials } from './credentials.js';

/** Looker publishes no API rate; ten a second, two at a time, keeps a scorecard refresh unnoticeable. */
export const LOOKER_LIMITS = { default: { max: 10, perMs: 1000 } };
/** Log in again this long before the token's `expires_in` runs out, so no call races its expiry. */
export const RENEW_MARGIN_MS = 60_000;
/** A Look or query can take minutes on a cold warehouse. */
const RUN_TIMEOUT_MS = 300_000;

export interface LookerDeps {
  sleep?: HttpClientOptions['sleep'];
  random?: HttpClientOptions['random'];
  /** Clock for token expiry (tests move it forward). */
  now?: () => number;
}

const classify: NonNullable<HttpClientOptions['classify']> = ({ status, data }) => {
  const parsed = lookerErrorSchema.safeParse(data);
  if (!parsed.success) return undefined;
  const message = parsed.data.message;
  if (status === 401 || status === 403) return { errorClass: 'auth', retryable: false, message };
  if (status === 429) return { errorClass: 'rate_limited', retryable: true, message };
  if (status >= 500) return { errorClass: 'unavailable', retryable: true, message };
  return { errorClass: 'config', retryable: false, message };
};

/** The API with a login token: renewed before `expires_in` runs out, and once more on a 401. */
export class LookerApi {
  private http: HttpClient | undefined;
  private expiresAt = 0;
  private readonly tokens: string[] = [];
  private readonly now: () => number;

  constructor(
    private readonly ctx: SourceContext,
    private readonly credentials: LookerCredentials,
    private readonly settings: LookerSettings,
    private readonly deps: LookerDeps = {},
  ) {
    this.now = deps.now ?? Date.now;
  }

  private client(headers: Record<string, string>): HttpClient {
    return createHttpClient({
      source: SOURCE_ID,
      baseURL: this.credentials.apiBase,
      headers: { Accept: 'application/json', ...headers },
      secrets: [this.credentials.clientSecret, ...this.tokens],
      classify,
      limits: limitsFromSettings(LOOKER_LIMITS, this.settings.rate_limit),
      maxConcurrency: 2,
      timeoutMs: RUN_TIMEOUT_MS,
      logger: this.ctx.logger,
      stats: this.ctx.stats,
      sleep: this.deps.sleep,
      random: this.deps.random,
    });
  }

  /** `POST /login` with the API key in the form body (query parameters are being retired). */
  async login(): Promise<void> {
    const startedAt = this.now();
    const form = new URLSearchParams({ client_id: this.credentials.clientId, client_secret: this.credentials.clientSecret });
    let token: z.output<typeof accessTokenSchema>;
    try {
      token = await this.client({}).request({ method: 'POST', url: 'login', data: form }, accessTokenSchema);
    } catch (error) {
      // Looker answers an unknown or wrong API key with 404 Not found rather than 401.
      if (isSourceError(error) && error.status === 404)
        throw new SourceError('auth', SOURCE_ID, 'login rejected the API key (404 Not found)', 404);
      throw error;
    }
    this.tokens.push(token.access_token);
    this.expiresAt = startedAt + token.expires_in * 1000;
    // The literal word `token`, not Bearer, per the API reference.
    this.http = this.client({ Authorization: `token ${token.access_token}` });
  }

  private async send<S extends z.ZodTypeAny>(req: HttpRequest, schema: S): Promise<z.output<S>> {
    if (!this.http || this.now() >= this.expiresAt - RENEW_MARGIN_MS) await this.login();
    try {
      return await this.http!.request(req, schema);
    } catch (error) {
      if (!isSourceError(error) || error.status !== 401) throw error;
      this.ctx.logger.info({ source: SOURCE_ID }, 'Looker rejected the token; logging in again once');
      await this.login();
      return this.http!.request(req, schema);
    }
  }

  /** `GET /looks/{id}/run/json`: the saved query's rows. */
  runLook(lookId: string): Promise<ResultRow[]> {
    return this.send(
      {
        url: `looks/${encodeURIComponent(lookId)}/run/json`,
        params: { limit: this.settings.row_limit, apply_formatting: false, cache: true },
      },
      resultRowsSchema,
    );
  }

  /** `POST /queries/run/json` with the query in the body. */
  runInlineQuery(query: { model: string; view: string; fields: string[]; filters: Record<string, string>; query_timezone: string }) {
    return this.send(
      {
        method: 'POST',
        url: 'queries/run/json',
        params: { apply_formatting: false, cache: true },
        data: { ...query, limit: String(this.settings.row_limit) },
      },
      resultRowsSchema,
    );
  }

  me(): Promise<z.output<typeof userSchema>> {
    return this.send({ url: 'user', params: { fields: 'id,display_name' } }, userSchema);
  }
}
