import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { isSourceError, SourceError } from '../errors.js';
import { createHttpClient, limitsFromSettings } from '../http.js';
import type { HttpClient, HttpClientOptions, RateLimit } from '../http-types.js';
import type { Env, SourceContext } from '../source.js';
import {
  bcdrAssetListSchema,
  bcdrDevicePageSchema,
  rmmAccountSchema,
  rmmDevicesPageSchema,
  rmmTokenSchema,
  type BcdrAsset,
  type BcdrDevice,
  type DattoSettings,
  type RmmDevice,
} from './schemas.js';
import type { BcdrCredentials, RmmCredentials } from './credentials.js';

export const SOURCE_ID = 'datto';
export const DEFAULT_BCDR_BASE_URL = 'https://api.datto.com/v1';
/** BCDR publishes no limit; public clients assume about 120 per minute, so 100 leaves headroom. */
export const BCDR_LIMITS = { default: { max: 100, perMs: 60_000 } };
/** RMM v2: 600 reads per rolling 60 s per account (writes have their own, lower limit; none are sent). */
export const RMM_LIMITS = { default: { max: 600, perMs: 60_000 } };
/** The per-device asset fan-out is the cost driver; four in flight keeps it polite. */
export const BCDR_CONCURRENCY = 4;
export const BCDR_PAGE_SIZE = 100;
/** The documented maximum page size of RMM v2. */
export const RMM_PAGE_SIZE = 250;
/** Renew a cached RMM token this long before it expires. */
const TOKEN_EXPIRY_MARGIN_MS = 5 * 60_000;
/** Datto's documented public OAuth client for API keys; not a secret. */
const RMM_PUBLIC_CLIENT = `Basic ${Buffer.from('public-client:public').toString('base64')}`;

/** Test hooks. */
export interface DattoDeps {
  sleep?: HttpClientOptions['sleep'];
  random?: HttpClientOptions['random'];
}

function limitsFor(defaults: { default: RateLimit }, override: { max: number; per_seconds: number } | undefined) {
  return limitsFromSettings(defaults, override ? { default: override } : undefined);
}

function fingerprint(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 16);
}

// ── BCDR ─────────────────────────────────────────────────────────────────────────────────────────────

export class BcdrApi {
  constructor(
    readonly http: HttpClient,
    /** Identifies the account (base URL + public key) without revealing either, for caches. */
    readonly accountKey: string,
  ) {}

  /** Pages through `GET /bcdr/device` (`_page` from 1) until `pagination.totalPages`. */
  async *devicePages(): AsyncGenerator<BcdrDevice[]> {
    for (let page = 1; ; page++) {
      const body = await this.http.request({ url: 'bcdr/device', params: { _page: page, _perPage: BCDR_PAGE_SIZE } }, bcdrDevicePageSchema);
      yield body.items;
      if (page >= body.pagination.totalPages) return;
    }
  }

  /** Number of devices (for `doctor`): with one device per page, the page count. */
  async deviceCount(): Promise<number> {
    const body = await this.http.request({ url: 'bcdr/device', params: { _page: 1, _perPage: 1 } }, bcdrDevicePageSchema);
    return body.pagination.totalPages;
  }

  /** A device's agents and shares; undefined when the device is gone (404), e.g. since the device list was cached. */
  async assets(serialNumber: string): Promise<BcdrAsset[] | undefined> {
    const url = `bcdr/device/${encodeURIComponent(serialNumber)}/asset`;
    try {
      const first = await this.http.request({ url }, bcdrAssetListSchema);
      const assets = [...first.assets];
      for (let page = 2; page <= first.totalPages; page++) {
        const next = await this.http.request({ url, params: { _page: page, _perPage: BCDR_PAGE_SIZE } }, bcdrAssetListSchema);
        assets.push(...next.assets);
      }
      return assets;
    } catch (error) {
      if (isSourceError(error) && error.status === 404) return undefined;
      throw error;
    }
  }
}

export function createBcdrApi(ctx: SourceContext, credentials: BcdrCredentials, settings: DattoSettings, deps: DattoDeps): BcdrApi {
  const base = (ctx.env.DATTO_BCDR_BASE_URL?.trim() || DEFAULT_BCDR_BASE_URL).replace(/\/+$/, '');
  const http = createHttpClient({
    source: SOURCE_ID,
    baseURL: `${base}/`,
    auth: { username: credentials.publicKey, password: credentials.secretKey },
    secrets: [credentials.publicKey, credentials.secretKey],
    limits: limitsFor(BCDR_LIMITS, settings.rate_limit?.bcdr),
    maxConcurrency: BCDR_CONCURRENCY,
    logger: ctx.logger,
    stats: ctx.stats,
    sleep: deps.sleep,
    random: deps.random,
  });
  return new BcdrApi(http, fingerprint(base, credentials.publicKey));
}

// ── RMM ──────────────────────────────────────────────────────────────────────────────────────────────

/** RMM access tokens, in memory only, by account; shared by the runs of one source instance. */
export type TokenCache = Map<string, { token: string; expiresAt: number }>;

/** `https://concord-api.centrastage.net/api/` or the bare origin → the origin. */
export function rmmOrigin(env: Env, settings: DattoSettings): string {
  const override = env.DATTO_RMM_BASE_URL?.trim();
  const url = override || `https://${settings.platform}-api.centrastage.net`;
  return url.replace(/\/+$/, '').replace(/\/api$/i, '');
}

export class RmmApi {
  private readonly cacheKey: string;

  constructor(
    readonly http: HttpClient,
    readonly origin: string,
    private readonly credentials: RmmCredentials,
    private readonly tokens: TokenCache,
  ) {
    this.cacheKey = fingerprint(origin, credentials.apiKey, credentials.apiSecret);
  }

  /** OAuth2 password grant with the API key and secret, through Datto's public client. */
  private async accessToken(renew: boolean): Promise<string> {
    const cached = this.tokens.get(this.cacheKey);
    if (!renew && cached && cached.expiresAt - TOKEN_EXPIRY_MARGIN_MS > Date.now()) return cached.token;
    this.tokens.delete(this.cacheKey);
    const form = new URLSearchParams({ grant_type: 'password', username: this.credentials.apiKey, password: this.credentials.apiSecret });
    const body = await this.http.request(
      {
        method: 'POST',
        url: 'auth/oauth/token',
        data: form.toString(),
        headers: { Authorization: RMM_PUBLIC_CLIENT, 'Content-Type': 'application/x-www-form-urlencoded' },
      },
      rmmTokenSchema,
    );
    const expiresAt = body.expires_in ? Date.now() + body.expires_in * 1000 : Infinity;
    this.tokens.set(this.cacheKey, { token: body.access_token, expiresAt });
    return body.access_token;
  }

  /** A GET with the bearer token; a 401 (token revoked or expired early) renews the token once and repeats. */
  private async get<S extends z.ZodTypeAny>(url: string, schema: S, params?: Record<string, number>): Promise<z.output<S>> {
    const send = async (token: string) => this.http.request({ url, params, headers: { Authorization: `Bearer ${token}` } }, schema);
    // Outside the try: a token request the server refuses is bad credentials, never a reason to ask again.
    const token = await this.accessToken(false);
    try {
      return await send(token);
    } catch (error) {
      if (!(isSourceError(error) && error.status === 401)) throw error;
      return send(await this.accessToken(true));
    }
  }

  /** Pages through `GET /api/v2/account/devices` (page from 0), following `pageDetails.nextPageUrl`. */
  async *devicePages(): AsyncGenerator<RmmDevice[]> {
    let page = await this.get('api/v2/account/devices', rmmDevicesPageSchema, { page: 0, max: RMM_PAGE_SIZE });
    const followed = new Set<string>();
    for (;;) {
      yield page.devices;
      const next = page.pageDetails.nextPageUrl;
      if (!next) return;
      // The bearer token goes with the request: never follow a link off the configured host.
      if (!this.sameOrigin(next)) throw new SourceError('bad_response', SOURCE_ID, 'RMM devices: nextPageUrl points to another host');
      if (followed.has(next)) throw new SourceError('bad_response', SOURCE_ID, 'RMM devices: paging returned the same next page twice');
      followed.add(next);
      page = await this.get(next, rmmDevicesPageSchema);
    }
  }

  account(): Promise<z.output<typeof rmmAccountSchema>> {
    return this.get('api/v2/account', rmmAccountSchema);
  }

  private sameOrigin(url: string): boolean {
    try {
      return new URL(url).origin === new URL(this.origin).origin;
    } catch {
      return false;
    }
  }
}

/** A rejected password grant answers 400 `invalid_grant`: that is bad credentials, not a bad request. */
function classifyRmm(res: { status: number; data: unknown }) {
  const error = res.data && typeof res.data === 'object' ? (res.data as Record<string, unknown>).error : undefined;
  if (res.status === 400 && (error === 'invalid_grant' || error === 'unauthorized_client' || error === 'invalid_client')) {
    return { errorClass: 'auth' as const, retryable: false, message: `token request rejected (${error})` };
  }
  return undefined;
}

export function createRmmApi(
  ctx: SourceContext,
  credentials: RmmCredentials,
  settings: DattoSettings,
  deps: DattoDeps,
  tokens: TokenCache,
): RmmApi {
  const origin = rmmOrigin(ctx.env, settings);
  const http = createHttpClient({
    source: SOURCE_ID,
    baseURL: `${origin}/`,
    // The bearer token is sent per request (it changes on renewal); the generic Bearer/Authorization patterns redact it.
    secrets: [credentials.apiKey, credentials.apiSecret],
    limits: limitsFor(RMM_LIMITS, settings.rate_limit?.rmm),
    classify: classifyRmm,
    logger: ctx.logger,
    stats: ctx.stats,
    sleep: deps.sleep,
    random: deps.random,
  });
  return new RmmApi(http, origin, credentials, tokens);
}
