import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { SourceError } from '../errors.js';
import { createHttpClient, limitsFromSettings } from '../http.js';
import type { HttpClient, HttpClientOptions } from '../http-types.js';
import type { SourceContext } from '../source.js';
import {
  entityFieldsSchema,
  queryCountSchema,
  queryPageSchema,
  resourceSchema,
  zoneInformationSchema,
  type AutotaskSettings,
  billingCodeSchema,
} from './schemas.js';
import type { AutotaskCredentials } from './credentials.js';

export const SOURCE_ID = 'autotask';
export const ZONE_LOOKUP_URL = 'https://webservices.autotask.net/atservicesrest/v1.0/ZoneInformation';
/** 10,000 requests per rolling hour per Autotask database, shared by every integration of the tenant. */
export const AUTOTASK_LIMITS = { default: { max: 10_000, perMs: 3_600_000 } };
/** Thread limiting: at most 3 concurrent requests per object endpoint per integration. */
export const PER_ENTITY_CONCURRENCY = 3;
export const ENTITIES = ['Tickets', 'TimeEntries', 'Resources', 'BillingCodes'] as const;
export type Entity = (typeof ENTITIES)[number];
export const MAX_RECORDS = 500;
/** Autotask rejects queries with more than 500 OR conditions; an `in` list counts each value. */
export const MAX_IN_VALUES = 500;

const ZONE_STATE_KEY = 'autotask.zone';
const QUEUE_STATE_PREFIX = 'autotask.queue_id.';
const CACHE_TTL_MS = 24 * 60 * 60 * 1000;

/** Test hooks and the zone lookup address. */
export interface AutotaskDeps {
  sleep?: HttpClientOptions['sleep'];
  random?: HttpClientOptions['random'];
  zoneLookupUrl?: string;
}

function baseOptions(ctx: SourceContext, credentials: AutotaskCredentials, settings: AutotaskSettings, deps: AutotaskDeps) {
  return {
    source: SOURCE_ID,
    headers: { ApiIntegrationCode: credentials.integrationCode, UserName: credentials.username, Secret: credentials.secret },
    // Only the Secret header name looks secret to the shared client; the user name and integration code are too.
    secrets: [credentials.secret, credentials.username, credentials.integrationCode],
    limits: limitsFromSettings(AUTOTASK_LIMITS, settings.rate_limit),
    logger: ctx.logger,
    stats: ctx.stats,
    sleep: deps.sleep,
    random: deps.random,
  } satisfies Partial<HttpClientOptions>;
}

/** `https://webservices5.autotask.net/ATServicesRest/` or `…/v1.0` → `https://webservices5.autotask.net/ATServicesRest/`. */
export function normaliseApiBase(url: string): string {
  return `${url
    .trim()
    .replace(/\/+$/, '')
    .replace(/\/v1\.0$/i, '')}/`;
}

function userKey(username: string): string {
  return createHash('sha256').update(username.toLowerCase()).digest('hex').slice(0, 16);
}

/** The tenant's zone base URL: `AUTOTASK_BASE_URL` if set, else the zone lookup, cached in sync state for a day. */
export async function resolveApiBase(
  ctx: SourceContext,
  credentials: AutotaskCredentials,
  settings: AutotaskSettings,
  deps: AutotaskDeps,
): Promise<string> {
  const override = ctx.env.AUTOTASK_BASE_URL?.trim();
  if (override) return normaliseApiBase(override);

  const user = userKey(credentials.username);
  const cached = parseCache(await ctx.state.get(ZONE_STATE_KEY));
  if (cached && cached.user === user && ctx.now.getTime() - cached.fetchedAt < CACHE_TTL_MS) return cached.url;

  const lookupUrl = deps.zoneLookupUrl ?? ZONE_LOOKUP_URL;
  const http = createHttpClient({ ...baseOptions(ctx, credentials, settings, deps), baseURL: lookupUrl });
  const zone = await http.request({ url: lookupUrl, params: { user: credentials.username } }, zoneInformationSchema);
  const url = normaliseApiBase(zone.url);
  await ctx.state.set(ZONE_STATE_KEY, JSON.stringify({ user, url, fetchedAt: ctx.now.toISOString() }));
  return url;
}

function parseCache(text: string | undefined): { user: string; url: string; fetchedAt: number } | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as { user?: unknown; url?: unknown; fetchedAt?: unknown };
    const fetchedAt = typeof value.fetchedAt === 'string' ? Date.parse(value.fetchedAt) : NaN;
    if (typeof value.user !== 'string' || typeof value.url !== 'string' || Number.isNaN(fetchedAt)) return undefined;
    return { user: value.user, url: value.url, fetchedAt };
  } catch {
    return undefined;
  }
}

export interface Filter {
  op: string;
  /** Absent on a grouping (`or`, `and`), which holds its conditions in `items`. */
  field?: string;
  value?: string | number | boolean | readonly (string | number)[];
  items?: readonly Filter[];
}

/** Autotask filter values for datetimes: UTC, `yyyy-mm-ddThh:mm:ss`. */
export function utcFilterValue(at: Date): string {
  return at.toISOString().slice(0, 19);
}

export class AutotaskApi {
  constructor(readonly http: HttpClient) {}

  /** Pages through `POST /v1.0/{entity}/query`, following `nextPageUrl` until it is null. */
  async *query<T extends z.ZodTypeAny>(
    entity: Entity,
    filter: readonly Filter[],
    includeFields: readonly string[],
    item: T,
  ): AsyncGenerator<z.output<T>[]> {
    const schema = queryPageSchema(item);
    const body = { MaxRecords: MAX_RECORDS, IncludeFields: includeFields, Filter: filter };
    let page = await this.http.request({ method: 'POST', url: `v1.0/${entity}/query`, data: body, bucket: entity }, schema);
    const followed = new Set<string>();
    for (;;) {
      yield page.items as z.output<T>[];
      const next = page.pageDetails.nextPageUrl;
      if (!next) return;
      if (followed.has(next)) throw new SourceError('bad_response', SOURCE_ID, `${entity} query: paging returned the same next page twice`);
      followed.add(next);
      page = await this.http.request({ url: next, bucket: entity }, schema);
    }
  }

  async count(entity: Entity, filter: readonly Filter[]): Promise<number> {
    const result = await this.http.request(
      { method: 'POST', url: `v1.0/${entity}/query/count`, data: { Filter: filter }, bucket: entity },
      queryCountSchema,
    );
    return result.queryCount;
  }

  async picklist(entity: Entity, field: string): Promise<{ value: string; label: string; isActive?: boolean }[]> {
    return (await this.picklists(entity, [field])).get(field) ?? [];
  }

  /** Several fields' picklists from one `entityInformation/fields` call, by the names asked for. */
  async picklists(entity: Entity, fields: readonly string[]): Promise<Map<string, { value: string; label: string; isActive?: boolean }[]>> {
    const info = await this.http.request({ url: `v1.0/${entity}/entityInformation/fields`, bucket: entity }, entityFieldsSchema);
    const out = new Map<string, { value: string; label: string; isActive?: boolean }[]>();
    for (const field of fields) {
      const found = info.fields.find((candidate) => candidate.name.toLowerCase() === field.toLowerCase());
      out.set(field, found?.picklistValues ?? []);
    }
    return out;
  }
}

export async function connect(
  ctx: SourceContext,
  credentials: AutotaskCredentials,
  settings: AutotaskSettings,
  deps: AutotaskDeps,
): Promise<AutotaskApi> {
  const baseURL = await resolveApiBase(ctx, credentials, settings, deps);
  const entityCaps = Object.fromEntries(ENTITIES.map((entity) => [entity, PER_ENTITY_CONCURRENCY]));
  const http = createHttpClient({
    ...baseOptions(ctx, credentials, settings, deps),
    baseURL,
    maxConcurrency: { default: PER_ENTITY_CONCURRENCY * ENTITIES.length, ...entityCaps },
  });
  return new AutotaskApi(http);
}

/** The queue id from settings, resolving a name through the Tickets `queueID` picklist (cached in sync state for a day). */
export async function resolveQueueId(ctx: SourceContext, api: AutotaskApi, queue: NonNullable<AutotaskSettings['queue']>): Promise<number> {
  if (queue.id !== undefined) return queue.id;
  const name = (queue.name ?? '').trim();
  const key = `${QUEUE_STATE_PREFIX}${name.toLowerCase()}`;
  const cached = parseQueueCache(await ctx.state.get(key));
  if (cached && ctx.now.getTime() - cached.fetchedAt < CACHE_TTL_MS) return cached.id;
  const values = await api.picklist('Tickets', 'queueID');
  const match = values.find((value) => value.label.trim().toLowerCase() === name.toLowerCase());
  const id = match ? Number(match.value) : NaN;
  if (!Number.isInteger(id)) {
    const known = values
      .map((value) => value.label)
      .slice(0, 10)
      .join(', ');
    throw new SourceError('config', SOURCE_ID, `no ticket queue named "${name}"${known ? ` (queues: ${known})` : ''}`);
  }
  await ctx.state.set(key, JSON.stringify({ id, fetchedAt: ctx.now.toISOString() }));
  return id;
}

function parseQueueCache(text: string | undefined): { id: number; fetchedAt: number } | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as { id?: unknown; fetchedAt?: unknown };
    const fetchedAt = typeof value.fetchedAt === 'string' ? Date.parse(value.fetchedAt) : NaN;
    return Number.isInteger(value.id) && !Number.isNaN(fetchedAt) ? { id: value.id as number, fetchedAt } : undefined;
  } catch {
    return undefined;
  }
}

/** Resource ids for utilization: numbers as given, emails looked up (case-insensitively) among Resources. */
export async function resolveResourceIds(api: AutotaskApi, resources: readonly (number | string)[]): Promise<number[]> {
  const ids = resources.filter((resource): resource is number => typeof resource === 'number');
  const emails = resources.filter((resource): resource is string => typeof resource === 'string').map((email) => email.toLowerCase());
  const found = new Map<string, number>();
  for (let i = 0; i < emails.length; i += MAX_IN_VALUES) {
    const batch = emails.slice(i, i + MAX_IN_VALUES);
    for await (const page of api.query('Resources', [{ op: 'in', field: 'email', value: batch }], ['id', 'email'], resourceSchema)) {
      for (const resource of page) if (resource.email) found.set(resource.email.toLowerCase(), resource.id);
    }
  }
  const missing = emails.filter((email) => !found.has(email));
  if (missing.length > 0) throw new SourceError('config', SOURCE_ID, `no Autotask resource with email ${missing.join(', ')}`);
  return [...new Set([...ids, ...emails.map((email) => found.get(email)!)])];
}

const TIME_OFF_STATE_KEY = 'autotask.time_off_codes';
/** Autotask's own mark of time off: a BillingCodes `useType` or `billingCodeType` picklist value labelled "Time Off". */
const TIME_OFF_LABEL = /\btime[\s-]*off\b/i;
const TIME_OFF_FIELDS = ['useType', 'billingCodeType'] as const;

/**
 * The billing codes Autotask itself marks as time off (PTO, holiday, sick and the like are internal time-off
 * codes): the picklist values of BillingCodes `useType` / `billingCodeType` whose label says "Time Off", then the
 * codes of those types. Read by label, never by a hard-coded number, since tenants' picklists differ; cached in sync
 * state for a day. A tenant without such a label gets a warning and only `time_off_billing_codes`.
 */
export async function resolveTimeOffCodes(ctx: SourceContext, api: AutotaskApi): Promise<number[]> {
  const cached = parseTimeOffCache(await ctx.state.get(TIME_OFF_STATE_KEY));
  if (cached && ctx.now.getTime() - cached.fetchedAt < CACHE_TTL_MS) return cached.ids;
  const picklists = await api.picklists('BillingCodes', TIME_OFF_FIELDS);
  const items: Filter[] = TIME_OFF_FIELDS.flatMap((field) =>
    (picklists.get(field) ?? [])
      .filter((value) => TIME_OFF_LABEL.test(value.label))
      .map((value): Filter => ({ op: 'eq', field, value: Number(value.value) })),
  );
  const ids: number[] = [];
  if (items.length === 0) {
    ctx.logger.warn(
      { source: SOURCE_ID },
      'no BillingCodes picklist value is labelled "Time Off": only sources.autotask.time_off_billing_codes are left out of utilization',
    );
  } else {
    for await (const page of api.query('BillingCodes', [{ op: 'or', items }], ['id'], billingCodeSchema))
      ids.push(...page.map((code) => code.id));
  }
  await ctx.state.set(TIME_OFF_STATE_KEY, JSON.stringify({ ids, fetchedAt: ctx.now.toISOString() }));
  return ids;
}

function parseTimeOffCache(text: string | undefined): { ids: number[]; fetchedAt: number } | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as { ids?: unknown; fetchedAt?: unknown };
    const fetchedAt = typeof value.fetchedAt === 'string' ? Date.parse(value.fetchedAt) : NaN;
    const ids = Array.isArray(value.ids) && value.ids.every(Number.isInteger) ? (value.ids as number[]) : undefined;
    return ids && !Number.isNaN(fetchedAt) ? { ids, fetchedAt } : undefined;
  } catch {
    return undefined;
  }
}
