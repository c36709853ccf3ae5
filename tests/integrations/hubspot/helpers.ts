import nock from 'nock';
import { configSchema, type Config, type Metric } from '../../../src/config/schema.js';
import { createHubspotSource } from '../../../src/integrations/hubspot/index.js';
import type { CollectedValue, SourceContext } from '../../../src/integrations/source.js';
import { collectBatches, makeContext } from '../../helpers/source-harness.js';

export { memoryLogger, memoryState } from '../../helpers/source-harness.js';

export const BASE = 'https://api.hubapi.com';
export const TOKEN = 'pat-na1-11111111-2222-3333-4444-555566667777';

/** Owner ids from the official PublicOwner example (6166860) onwards. */
export const OWNERS = {
  ava: { id: '6166860', email: 'ava@example.com' },
  ben: { id: '6166861', email: 'ben@example.com' },
  cleo: { id: '6166862', email: 'cleo@example.com' },
  support: { id: '6166869', email: 'support-bot@example.com' },
};

/** PublicOwner, shaped exactly like `crm-v3-owners.PublicOwner.schema-example.json`. */
export function publicOwner(id: string, email: string) {
  return {
    archived: false,
    createdAt: '2019-10-30T03:30:17.883Z',
    email,
    firstName: email.split('@')[0],
    id,
    lastName: 'Smith',
    teams: [{ id: '178588', name: 'West Coast Sales', primary: true }],
    updatedAt: '2019-12-07T16:50:06.678Z',
    userId: 1296619,
  };
}

export const ownersPage = () => ({ results: Object.values(OWNERS).map((o) => publicOwner(o.id, o.email)) });

/** SimplePublicObject, shaped exactly like `post-crm-v3-objects-search.json`'s results. */
export function record(id: string, properties: Record<string, string | null>) {
  return { archived: false, createdAt: '2019-10-30T03:30:17.883Z', id, properties, updatedAt: '2019-12-07T16:50:06.678Z' };
}

/** CollectionResponseWithTotalSimplePublicObject. */
export function searchPage(total: number, results: ReturnType<typeof record>[], after?: string) {
  return { total, ...(after ? { paging: { next: { after, link: `?after=${after}` } } } : {}), results };
}

export interface SearchBody {
  filterGroups: { filters: { propertyName: string; operator: string; value?: string; highValue?: string; values?: string[] }[] }[];
  sorts: { propertyName: string; direction: string }[];
  properties: string[];
  limit: number;
  after: string;
}

export function filterOf(body: SearchBody, propertyName: string) {
  return body.filterGroups[0]!.filters.find((f) => f.propertyName === propertyName);
}

type MetricInput = Partial<Metric> & { query: Record<string, unknown> };

export function makeConfig(
  metrics: Record<string, MetricInput>,
  hubspot: Record<string, unknown> = {},
  extra: Partial<Record<string, unknown>> = {},
): Config {
  return configSchema.parse({
    org: { name: 'Acme', timezone: 'America/Chicago' },
    groups: [{ id: 'sales', name: 'Sales', metrics: Object.keys(metrics) }],
    metrics: Object.fromEntries(
      Object.entries(metrics).map(([id, m]) => [
        id,
        { name: id, unit: 'count', aggregate: 'sum', source: 'hubspot', definition: 'd', why: 'w', calculation: 'c', ...m },
      ]),
    ),
    // Tests must not wait on real rate-limit windows. The quarter deals summary (its own requests) is tested in
    // deals-summary.test.ts; elsewhere it is off, so each test serves only the requests of its metrics.
    sources: { hubspot: { rate_limit: { per_10s: 1000, search_per_s: 1000 }, quarter_deals: false, ...hubspot } },
    ...extra,
  });
}

/** A source whose retries never wait for real; the waits asked for are recorded. */
export function testSource() {
  const sleeps: number[] = [];
  const source = createHubspotSource({ sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 });
  return { source, sleeps };
}

/** metricId → day → value (non-zero days only, to keep assertions readable). */
export function nonZero(batches: CollectedValue[][]): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const v of batches.flat()) {
    if (v.value === 0) continue;
    out[v.metricId] = { ...out[v.metricId], [v.day]: v.value };
  }
  return out;
}

/** Serves POST /crm/v3/objects/{type}/search from `answer` (until nock.cleanAll), recording every body. */
export function searchOn(type: string, answer: (body: SearchBody) => object): SearchBody[] {
  const bodies: SearchBody[] = [];
  nock(BASE)
    .persist()
    .post(`/crm/v3/objects/${type}/search`)
    .reply(200, (_uri, body) => {
      bodies.push(body as SearchBody);
      return answer(body as SearchBody);
    });
  return bodies;
}

export const ownersOnce = () => nock(BASE).get('/crm/v3/owners').query({ limit: '100' }).reply(200, ownersPage());

/** A call record as a calls search returns it. */
export const call = (id: string, owner: string, at: string, extra: Record<string, string | null> = {}) =>
  record(id, { hs_timestamp: at, hubspot_owner_id: owner, hs_createdate: at, ...extra });

/** A HubSpot context (token set, Friday 20 Nov 2026) over `config`; `logLines` holds what was logged. */
export function hubspotContext(config: Config, overrides: Partial<SourceContext> = {}): SourceContext & { logLines: string[] } {
  const { ctx, lines } = makeContext(config, { env: { HUBSPOT_ACCESS_TOKEN: TOKEN }, now: '2026-11-20T18:00:00Z' });
  return { ...ctx, logLines: lines, ...overrides };
}

/** The batches a run yields (one per window), with a source whose retries never wait. */
export function collectWindows(ctx: SourceContext, from: string, to: string, source = testSource().source): Promise<CollectedValue[][]> {
  return collectBatches(source, ctx, from, to);
}
