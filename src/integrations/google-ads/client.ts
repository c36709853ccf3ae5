import { isSourceError } from '../errors.js';
import { refreshTokenTokens, type TokenSource } from '../google-token.js';
import { createHttpClient, limitsFromSettings } from '../http.js';
import type { HttpClient, HttpClientOptions } from '../http-types.js';
import type { SourceContext } from '../source.js';
import { durationMs, SOURCE_ID } from './map.js';
import { googleAdsErrorSchema, streamSchema, type GoogleAdsSettings, type StreamBatch } from './schemas.js';
import type { GoogleAdsCredentials } from './credentials.js';

export const DEFAULT_BASE_URL = 'https://googleads.googleapis.com';
/** Basic-access developer tokens allow 15 000 operations a day; a refresh needs one stream per run. */
export const GOOGLE_ADS_LIMITS = { default: { max: 5, perMs: 1000 } };

export interface GoogleAdsDeps {
  sleep?: HttpClientOptions['sleep'];
  random?: HttpClientOptions['random'];
}

/** Quota errors (429 RESOURCE_EXHAUSTED) name their own wait in `quotaErrorDetails.retryDelay`. */
const classify: NonNullable<HttpClientOptions['classify']> = ({ status, data }) => {
  const parsed = googleAdsErrorSchema.safeParse(data);
  if (!parsed.success) return undefined;
  const failure = parsed.data.error.details?.flatMap((detail) => detail.errors ?? [])[0];
  const code = failure?.errorCode
    ? Object.entries(failure.errorCode).map(([kind, value]) => `${kind}.${value}`)[0]
    : parsed.data.error.status;
  const message = `${code ? `${code}: ` : ''}${failure?.message ?? parsed.data.error.message}`;
  if (status === 429 || parsed.data.error.status === 'RESOURCE_EXHAUSTED') {
    return {
      errorClass: 'rate_limited',
      retryable: true,
      message,
      retryAfterMs: durationMs(failure?.details?.quotaErrorDetails?.retryDelay),
    };
  }
  if (status === 401 || status === 403) return { errorClass: 'auth', retryable: false, message };
  if (status >= 500) return { errorClass: 'unavailable', retryable: true, message };
  return { errorClass: 'config', retryable: false, message };
};

/** `googleAds:searchStream` with a token from the refresh-token grant, renewed once on a 401. */
export class GoogleAdsApi {
  private http: HttpClient | undefined;
  private readonly tokens: TokenSource;
  private readonly seen: string[];

  constructor(
    private readonly ctx: SourceContext,
    private readonly credentials: GoogleAdsCredentials,
    private readonly settings: GoogleAdsSettings,
    private readonly deps: GoogleAdsDeps = {},
  ) {
    this.tokens = refreshTokenTokens(
      SOURCE_ID,
      credentials,
      'check GOOGLE_ADS_CLIENT_ID, GOOGLE_ADS_CLIENT_SECRET and GOOGLE_ADS_REFRESH_TOKEN (a revoked or expired refresh token needs a new consent)',
      ctx.env.GOOGLE_ADS_TOKEN_URL?.trim() || undefined,
    );
    this.seen = [credentials.developerToken, credentials.clientSecret, credentials.refreshToken];
  }

  private clientFor(accessToken: string): HttpClient {
    this.seen.push(accessToken);
    const base = this.ctx.env.GOOGLE_ADS_BASE_URL?.trim() || DEFAULT_BASE_URL;
    return createHttpClient({
      source: SOURCE_ID,
      baseURL: `${base.replace(/\/+$/, '')}/`,
      headers: {
        Authorization: `Bearer ${accessToken}`,
        'developer-token': this.credentials.developerToken,
        ...(this.credentials.loginCustomerId ? { 'login-customer-id': this.credentials.loginCustomerId } : {}),
      },
      secrets: this.seen,
      classify,
      limits: limitsFromSettings(GOOGLE_ADS_LIMITS, this.settings.rate_limit),
      maxConcurrency: 1,
      logger: this.ctx.logger,
      stats: this.ctx.stats,
      sleep: this.deps.sleep,
      random: this.deps.random,
    });
  }

  /** The whole stream of batches for one GAQL query (the REST stream is one JSON array). */
  async searchStream(query: string): Promise<StreamBatch[]> {
    const request = {
      method: 'POST' as const,
      url: `${this.settings.api_version}/customers/${this.credentials.customerId}/googleAds:searchStream`,
      data: { query },
    };
    this.http ??= this.clientFor(await this.tokens.token());
    try {
      return await this.http.request(request, streamSchema);
    } catch (error) {
      if (!isSourceError(error) || error.status !== 401) throw error;
      this.ctx.logger.info({ source: SOURCE_ID }, 'Google Ads rejected the access token; fetching a new one once');
      this.http = this.clientFor(await this.tokens.renew());
      return this.http.request(request, streamSchema);
    }
  }
}
