import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../../../bench/hubspot/dataset.js';
import { startFakeHubspot, type FakeHubspot } from '../../../bench/hubspot/fake-hubspot.js';
import { groundTruth, truthKey, type Measure } from '../../../bench/hubspot/truth.js';
import { RESULT_CAP } from '../../../bench/hubspot/search-engine.js';
import { collectWindows, makeConfig, hubspotContext } from './helpers.js';

/**
 * End to end against the loopback HubSpot (real HTTP, real search semantics, the 10,000-result paging cap):
 * a DST week dense enough that the calls search must be split, every daily per-owner figure checked against
 * the dataset.
 */

const TOKEN = 'pat-na1-loopback-0000-1111-2222-333344445555';
const TZ = 'America/New_York';
const FROM = '2026-03-02';
const TO = '2026-03-08'; // DST starts 2026-03-08 in New York
const data = generateDataset({
  seed: 7,
  from: FROM,
  to: TO,
  timezone: TZ,
  callsPerOwnerDay: 450,
  meetingsPerOwnerDay: 6,
  dealsPerOwnerDay: 4,
});
const team = data.owners.filter((o) => o.email !== 'outsider@example.com');
let server: FakeHubspot;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  server = await startFakeHubspot(data, { token: TOKEN, limits: { per10s: 100_000, searchPerS: 100_000 } });
});
afterEach(() => nock.cleanAll());
afterAll(async () => server.close());

describe('HubSpot collect against the loopback server', () => {
  it('matches the ground truth per owner and local day, splitting a search past 10,000 results', async () => {
    const queries: Record<Measure, Record<string, unknown>> = {
      dials: { object: 'calls' },
      ftas_set: { object: 'meetings', by: 'created' },
      ftas_attended: { object: 'meetings', by: 'attended' },
      mrr_closed: { object: 'deals' },
    };
    const metrics = Object.fromEntries(
      team.flatMap((owner) =>
        (Object.keys(queries) as Measure[]).map((m) => [`${m}_${owner.id}`, { owner: owner.email, query: queries[m] }]),
      ),
    );
    const config = makeConfig(
      metrics,
      { rate_limit: { per_10s: 100_000, search_per_s: 100_000 } },
      { org: { name: 'Acme', timezone: TZ } },
    );
    const ctx = hubspotContext(config, {
      env: { HUBSPOT_ACCESS_TOKEN: TOKEN, HUBSPOT_BASE_URL: server.url },
      now: new Date('2026-03-10T12:00:00Z'),
    });

    const values = (await collectWindows(ctx, FROM, TO)).flat();

    const truth = groundTruth(data, new Set(team.map((o) => o.id)), { from: FROM, to: TO, timezone: TZ, bucket: (day) => day });
    const collected = new Map<string, number>();
    for (const v of values) {
      const [measure, ownerId] = [v.metricId.replace(/_\d+$/, '') as Measure, v.metricId.split('_').pop()!];
      collected.set(truthKey(measure, ownerId, v.day), measure === 'mrr_closed' ? Math.round(v.value * 100) : v.value);
    }
    expect(values).toHaveLength(team.length * 4 * 7);
    for (const [key, expected] of truth) expect([key, collected.get(key)]).toEqual([key, expected]);
    for (const [key, got] of collected) expect([key, got]).toEqual([key, truth.get(key) ?? 0]);

    const callSearches = server.stats.searches.filter((s) => s.objectType === 'calls');
    const firstPages = callSearches.filter((s) => s.body.after === '0');
    expect(firstPages.length).toBeGreaterThan(1); // the week holds > 10,000 matching calls, so it was split
    expect(callSearches.every((s) => Number(s.body.after) < RESULT_CAP)).toBe(true);
    expect(server.stats.rateLimited).toBe(0);
  });

  it('answers 401 to a wrong token, and the run fails auth', async () => {
    const ctx = hubspotContext(makeConfig({ dials: { owner: team[0]!.email, query: { object: 'calls' } } }), {
      env: { HUBSPOT_ACCESS_TOKEN: 'pat-na1-wrong-token-0000', HUBSPOT_BASE_URL: server.url },
    });
    await expect(collectWindows(ctx, FROM, FROM)).rejects.toMatchObject({ errorClass: 'auth' });
  });
});
