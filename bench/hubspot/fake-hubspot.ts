import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { runSearch, SearchError, type FakeRecord, type SearchRequestBody } from './search-engine.js';

/**
 * A loopback HubSpot (node:http on 127.0.0.1, random port) for the benchmark and integration tests: owners,
 * pipelines, list memberships, v4 association batch reads and CRM v3 search, behind a bearer token and
 * HubSpot's limits enforced exactly as sliding windows on arrival (100 per 10 s for non-search calls,
 * 4 per second for search), answering 429 with HubSpot's bodies when a request would exceed them.
 * Record arrays must not change after start (the search engine indexes them).
 */

export interface FakeOwner {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
}

export interface FakeStage {
  id: string;
  label: string;
  metadata: Record<string, string>;
}

export interface FakePipeline {
  id: string;
  label: string;
  stages: FakeStage[];
}

export interface FakeHubspotData {
  owners: FakeOwner[];
  /** Records per object type: calls, meetings, notes, deals, contacts, tickets. */
  objects: Record<string, FakeRecord[]>;
  pipelines: { deals?: FakePipeline[]; tickets?: FakePipeline[] };
  /** List id → contact ids. */
  lists?: Record<string, string[]>;
}

export interface FakeHubspotOptions {
  token: string;
  limits?: { per10s: number; searchPerS: number };
  /** Keep every search body in `stats.searches` (tests); off for long benchmark runs. Default true. */
  recordSearches?: boolean;
}

export interface FakeHubspotStats {
  /** Accepted requests per bucket (`search`, `default`). */
  requests: { search: number; default: number };
  rateLimited: number;
  /** 429s per bucket. */
  rejected: { search: number; default: number };
  /** Every search body received, in order (when `recordSearches`). */
  searches: { objectType: string; body: SearchRequestBody }[];
}

export interface FakeHubspot {
  url: string;
  stats: FakeHubspotStats;
  close(): Promise<void>;
}

class SlidingWindow {
  private arrivals: number[] = [];
  constructor(
    private readonly max: number,
    private readonly perMs: number,
  ) {}
  /** Admits the request arriving now unless `max` others arrived within the last `perMs`. */
  admit(now: number): boolean {
    while (this.arrivals.length > 0 && this.arrivals[0]! <= now - this.perMs) this.arrivals.shift();
    if (this.arrivals.length >= this.max) return false;
    this.arrivals.push(now);
    return true;
  }
}

const SEARCH_PATH = /^\/crm\/v3\/objects\/([\w-]+)\/search$/;
const PIPELINES_PATH = /^\/crm\/v3\/pipelines\/(deals|tickets)$/;
const LIST_PATH = /^\/crm\/v3\/lists\/([^/]+)\/memberships$/;
const ASSOCIATIONS_PATH = /^\/crm\/v4\/associations\/contacts\/([\w-]+)\/batch\/read$/;

export async function startFakeHubspot(data: FakeHubspotData, options: FakeHubspotOptions): Promise<FakeHubspot> {
  const limits = options.limits ?? { per10s: 100, searchPerS: 4 };
  const tenSecondly = new SlidingWindow(limits.per10s, 10_000);
  const secondly = new SlidingWindow(limits.searchPerS, 1_000);
  const stats: FakeHubspotStats = {
    requests: { search: 0, default: 0 },
    rateLimited: 0,
    rejected: { search: 0, default: 0 },
    searches: [],
  };
  const record = options.recordSearches ?? true;

  const server = createServer((req, res) => {
    const arrivedAt = performance.now();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const isSearch = req.method === 'POST' && SEARCH_PATH.test(url.pathname);
    if (req.headers.authorization !== `Bearer ${options.token}`) {
      return send(res, 401, {
        status: 'error',
        message: 'Authentication credentials not found.',
        correlationId: randomUUID(),
        category: 'INVALID_AUTHENTICATION',
      });
    }
    if (isSearch ? !secondly.admit(arrivedAt) : !tenSecondly.admit(arrivedAt)) {
      stats.rateLimited++;
      stats.rejected[isSearch ? 'search' : 'default']++;
      return isSearch
        ? send(res, 429, rateLimitBody('You have reached your secondly limit.'))
        : send(res, 429, rateLimitBody('You have reached your ten_secondly_rolling limit.', 'TEN_SECONDLY_ROLLING'), {
            'X-HubSpot-RateLimit-Interval-Milliseconds': '10000',
            'X-HubSpot-RateLimit-Max': String(limits.per10s),
            'X-HubSpot-RateLimit-Remaining': '0',
          });
    }
    if (isSearch) stats.requests.search++;
    else stats.requests.default++;
    readJson(req)
      .then((body) => route(data, record ? stats : undefined, req.method ?? 'GET', url, body))
      .then(([status, body]) => send(res, status, body, isSearch ? {} : { 'X-HubSpot-RateLimit-Max': String(limits.per10s) }))
      .catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        send(res, error instanceof SearchError ? 400 : 500, {
          status: 'error',
          message,
          correlationId: randomUUID(),
          category: error instanceof SearchError ? 'VALIDATION_ERROR' : 'INTERNAL_ERROR',
        });
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function rateLimitBody(message: string, policyName?: string) {
  return {
    status: 'error',
    message,
    errorType: 'RATE_LIMIT',
    correlationId: randomUUID(),
    ...(policyName ? { policyName } : {}),
    requestId: randomUUID(),
  };
}

async function route(
  data: FakeHubspotData,
  stats: FakeHubspotStats | undefined,
  method: string,
  url: URL,
  body: unknown,
): Promise<[number, unknown]> {
  const path = url.pathname;
  const search = SEARCH_PATH.exec(path);
  if (method === 'POST' && search) {
    const objectType = search[1]!;
    const request = (body ?? {}) as SearchRequestBody;
    stats?.searches.push({ objectType, body: request });
    return [200, runSearch(data.objects[objectType] ?? [], request)];
  }
  if (method === 'GET' && path === '/crm/v3/owners') {
    const page = offsetPage(data.owners, url, 100, 500);
    return [200, { results: page.items.map((o) => ({ ...o, userId: Number(o.id) + 1, archived: false, teams: [] })), ...page.paging }];
  }
  const pipelines = PIPELINES_PATH.exec(path);
  if (method === 'GET' && pipelines) {
    const list = data.pipelines[pipelines[1] as 'deals' | 'tickets'] ?? [];
    return [
      200,
      {
        results: list.map((p, i) => ({
          ...p,
          displayOrder: i,
          archived: false,
          stages: p.stages.map((s, j) => ({ ...s, displayOrder: j, archived: false })),
        })),
      },
    ];
  }
  const list = LIST_PATH.exec(path);
  if (method === 'GET' && list) {
    const members = data.lists?.[decodeURIComponent(list[1]!)];
    if (!members) return [404, { status: 'error', message: 'List not found', category: 'OBJECT_NOT_FOUND' }];
    const page = offsetPage(members, url, 100, 250);
    return [200, { results: page.items.map((recordId) => ({ recordId, membershipTimestamp: '2025-01-01T00:00:00Z' })), ...page.paging }];
  }
  const associations = ASSOCIATIONS_PATH.exec(path);
  if (method === 'POST' && associations) {
    const inputs = ((body as { inputs?: { id: string }[] } | undefined)?.inputs ?? []).map((input) => input.id);
    if (inputs.length > 1000) throw new SearchError('at most 1000 inputs per batch read');
    const byContact = new Map<string, string[]>();
    for (const record of data.objects[associations[1]!] ?? []) {
      for (const contact of record.contacts ?? []) byContact.set(contact, [...(byContact.get(contact) ?? []), record.id]);
    }
    const now = new Date().toISOString();
    const results = inputs
      .filter((id) => byContact.has(id))
      .map((id) => ({
        from: { id },
        to: byContact
          .get(id)!
          .map((to) => ({ toObjectId: Number(to), associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 194, label: null }] })),
      }));
    return [200, { status: 'COMPLETE', results, startedAt: now, completedAt: now }];
  }
  return [404, { status: 'error', message: `no route for ${method} ${path}`, category: 'OBJECT_NOT_FOUND' }];
}

function offsetPage<T>(items: readonly T[], url: URL, defaultLimit: number, maxLimit: number) {
  const limit = Math.min(maxLimit, Number(url.searchParams.get('limit') ?? defaultLimit));
  const offset = Number(url.searchParams.get('after') ?? 0);
  const end = offset + limit;
  return {
    items: items.slice(offset, end),
    paging: end < items.length ? { paging: { next: { after: String(end), link: `?after=${end}` } } } : {},
  };
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('error', reject);
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (!text) return resolve(undefined);
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(new SearchError('request body is not JSON'));
      }
    });
  });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json;charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
