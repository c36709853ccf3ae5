import nock from 'nock';
import { metricsOf } from '../../../src/metrics/catalog.js';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { refresh, formatRefreshSummary } from '../../../src/integrations/refresh.js';
import { isFailedMetric } from '../../../src/integrations/source.js';
import { getDailyValues } from '../../../src/store/daily-values.js';
import { listMetricFailures } from '../../../src/store/metric-failures.js';
import { openTempStore } from '../../helpers/tmp-store.js';
import {
  BASE,
  OWNERS,
  TOKEN,
  call,
  collectWindows,
  memoryLogger,
  testSource,
  filterOf,
  makeConfig,
  hubspotContext,
  nonZero,
  ownersOnce,
  record,
  searchOn,
  searchPage,
} from './helpers.js';

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterEach(() => nock.cleanAll());

const association = (from: string, to: number[], after?: string) => ({
  from: { id: from },
  to: to.map((toObjectId) => ({ toObjectId, associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 194, label: null }] })),
  ...(after ? { paging: { next: { after, link: `?after=${after}` } } } : {}),
});
const batch = (results: ReturnType<typeof association>[]) => ({
  status: 'COMPLETE',
  startedAt: '2026-11-20T18:00:00Z',
  completedAt: '2026-11-20T18:00:01Z',
  results,
});

describe('HubSpot collect: Warm 250', () => {
  it('counts only engagements associated with the target list, from the same search as all dials', async () => {
    ownersOnce();
    nock(BASE)
      .get('/crm/v3/lists/812/memberships')
      .query({ limit: '250' })
      .reply(200, {
        results: [
          { recordId: '501', membershipTimestamp: '2026-01-05T10:00:00Z' },
          { recordId: '502', membershipTimestamp: '2026-01-05T10:00:00Z' },
        ],
      });
    let associationBody: unknown;
    nock(BASE)
      .post('/crm/v4/associations/contacts/calls/batch/read')
      .reply(200, (_uri, body) => {
        associationBody = body;
        return {
          status: 'COMPLETE',
          startedAt: '2026-11-20T18:00:00Z',
          completedAt: '2026-11-20T18:00:01Z',
          results: [
            {
              from: { id: '501' },
              to: [{ toObjectId: 9001, associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 194, label: null }] }],
            },
            {
              from: { id: '502' },
              to: [{ toObjectId: 9003, associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 194, label: null }] }],
            },
          ],
        };
      });
    const bodies = searchOn('calls', () =>
      searchPage(3, [
        call('9001', OWNERS.ava.id, '2026-11-16T15:00:00Z'),
        call('9002', OWNERS.ava.id, '2026-11-16T16:00:00Z'),
        call('9003', OWNERS.ava.id, '2026-11-17T16:00:00Z'),
      ]),
    );
    const ctx = hubspotContext(
      makeConfig(
        {
          dials: { owner: OWNERS.ava.email, query: { object: 'calls' } },
          w250_dials: { owner: OWNERS.ava.email, query: { object: 'calls', warm250: true } },
        },
        { warm250: { list_id: '812' } },
      ),
    );
    const batches = await collectWindows(ctx, '2026-11-16', '2026-11-17');
    expect(associationBody).toEqual({ inputs: [{ id: '501' }, { id: '502' }] });
    expect(bodies).toHaveLength(1);
    expect(nonZero(batches)).toEqual({
      dials: { '2026-11-16': 2, '2026-11-17': 1 },
      w250_dials: { '2026-11-16': 1, '2026-11-17': 1 },
    });
  });

  it('fails a Warm-250 metric with no target list configured, alone', async () => {
    ownersOnce();
    searchOn('calls', () => searchPage(1, [call('9001', OWNERS.ava.id, '2026-11-16T15:00:00Z')]));
    const ctx = hubspotContext(
      makeConfig({
        dials: { owner: OWNERS.ava.email, query: { object: 'calls' } },
        w250: { owner: OWNERS.ava.email, query: { object: 'calls', warm250: true } },
      }),
    );
    const items = [];
    for await (const batch of testSource().source.collect(ctx, { from: '2026-11-16', to: '2026-11-16', metrics: metricsOf(ctx.config) }))
      items.push(...batch);
    expect(items.filter(isFailedMetric)).toEqual([
      { metricId: 'w250', failure: { errorClass: 'config', message: expect.stringContaining('needs sources.hubspot.warm250') } },
    ]);
    expect(items.filter((i) => !isFailedMetric(i))).toEqual([{ metricId: 'dials', day: '2026-11-16', value: 1 }]);
  });

  it('a target list that answers 404 fails the Warm-250 metrics only: the others refresh, and the reason is kept', async () => {
    const { store, cleanup } = await openTempStore();
    try {
      ownersOnce();
      nock(BASE).get('/crm/v3/lists/123/memberships').query(true).reply(404, {
        status: 'error',
        message: 'List 123 does not exist',
        correlationId: 'c0a8e3b2-1f0e-4bde-9c52-2d6a9f4b1a11',
        category: 'OBJECT_NOT_FOUND',
      });
      searchOn('calls', () => searchPage(1, [call('9001', OWNERS.ava.id, '2026-11-16T15:00:00Z')]));
      const config = makeConfig(
        {
          dials: { owner: OWNERS.ava.email, query: { object: 'calls' } },
          w250_dials: { owner: OWNERS.ava.email, query: { object: 'calls', warm250: true } },
        },
        { warm250: { list_id: '123' } },
      );
      const { logger } = memoryLogger();
      const deps = {
        store,
        config,
        env: { HUBSPOT_ACCESS_TOKEN: TOKEN },
        logger,
        now: new Date('2026-11-16T23:00:00Z'),
        sources: [testSource().source],
      };
      const summary = await refresh(deps, { from: '2026-11-16', to: '2026-11-16' });

      expect(summary.ok).toBe(true);
      expect(summary.results[0]).toMatchObject({
        source: 'hubspot',
        status: 'ok',
        failedMetrics: [{ metric: 'w250_dials', errorClass: 'config' }],
      });
      expect(summary.results[0]!.failedMetrics![0]!.error).toContain('404');
      expect(formatRefreshSummary(summary)).toContain('1 metric failed: w250_dials (config:');
      expect((await getDailyValues(store, ['dials'], '2026-11-16', '2026-11-17')).map((v) => v.value)).toEqual([1]);
      expect(await getDailyValues(store, ['w250_dials'], '2026-11-16', '2026-11-17')).toEqual([]);
      const [failure] = await listMetricFailures(store);
      expect(failure).toMatchObject({ metric_id: 'w250_dials', source: 'hubspot', error_class: 'config' });
      expect(failure!.error).not.toContain(TOKEN);

      // Fixed: the next refresh clears the failure.
      ownersOnce();
      nock(BASE).get('/crm/v3/lists/123/memberships').query(true).reply(200, { results: [] });
      searchOn('calls', () => searchPage(0, []));
      await refresh(deps, { from: '2026-11-16', to: '2026-11-16' });
      expect(await listMetricFailures(store)).toEqual([]);
    } finally {
      await cleanup();
    }
  });
});

describe('HubSpot collect: Warm 250 by contact property', () => {
  it('finds the contacts with a search, follows association paging, and counts calls, notes and meetings', async () => {
    ownersOnce();
    const contactSearches = searchOn('contacts', (body) =>
      body.after === '0'
        ? searchPage(3, [record('501', { hs_object_id: '501' }), record('502', { hs_object_id: '502' })], 'Mg')
        : searchPage(3, [record('503', { hs_object_id: '503' })]),
    );
    const callInputs: unknown[] = [];
    nock(BASE)
      .post('/crm/v4/associations/contacts/calls/batch/read')
      .reply(200, (_uri, body) => {
        callInputs.push(body);
        return batch([association('501', [9001], 'NTAw'), association('503', [9004])]);
      })
      .post('/crm/v4/associations/contacts/calls/batch/read')
      .reply(200, (_uri, body) => {
        callInputs.push(body);
        return batch([association('501', [9003])]);
      });
    // A contact without notes is reported in a 207's errors, not in results.
    nock(BASE)
      .post('/crm/v4/associations/contacts/notes/batch/read')
      .reply(207, { ...batch([association('502', [8001])]), numErrors: 2, errors: [] });
    nock(BASE)
      .post('/crm/v4/associations/contacts/meetings/batch/read')
      .reply(200, batch([association('503', [7001])]));
    searchOn('calls', () =>
      searchPage(4, [
        call('9001', OWNERS.ava.id, '2026-11-16T15:00:00Z', { hs_call_disposition: 'f240bbac-87c9-4f6e-bf70-924b57d47db7' }),
        call('9002', OWNERS.ava.id, '2026-11-16T16:00:00Z', { hs_call_disposition: 'f240bbac-87c9-4f6e-bf70-924b57d47db7' }),
        call('9003', OWNERS.ava.id, '2026-11-16T17:00:00Z', { hs_call_disposition: null, hs_call_body: 'voicemail' }),
        call('9004', OWNERS.ava.id, '2026-11-17T17:00:00Z', { hs_call_disposition: null, hs_call_body: 'talked to the DM' }),
      ]),
    );
    searchOn('notes', () =>
      searchPage(2, [
        record('8001', { hs_timestamp: '2026-11-16T18:00:00Z', hubspot_owner_id: OWNERS.ava.id, hs_note_body: 'DM agreed to meet' }),
        record('8002', { hs_timestamp: '2026-11-16T19:00:00Z', hubspot_owner_id: OWNERS.ava.id, hs_note_body: 'DM said no' }),
      ]),
    );
    searchOn('meetings', () =>
      searchPage(2, [
        record('7001', { hs_createdate: '2026-11-17T15:00:00Z', hubspot_owner_id: OWNERS.ava.id }),
        record('7002', { hs_createdate: '2026-11-17T16:00:00Z', hubspot_owner_id: OWNERS.ava.id }),
      ]),
    );
    const ctx = hubspotContext(
      makeConfig(
        {
          w250_conversations: { owner: OWNERS.ava.email, query: { object: 'conversations', warm250: true } },
          w250_ftas_set: { owner: OWNERS.ava.email, query: { object: 'meetings', by: 'created', warm250: true } },
        },
        { warm250: { property: { name: 'warm_250', value: 'true' } } },
      ),
    );
    const batches = await collectWindows(ctx, '2026-11-16', '2026-11-17');

    expect(filterOf(contactSearches[0]!, 'warm_250')).toEqual({ propertyName: 'warm_250', operator: 'EQ', value: 'true' });
    expect(callInputs).toEqual([{ inputs: [{ id: '501' }, { id: '502' }, { id: '503' }] }, { inputs: [{ id: '501', after: 'NTAw' }] }]);
    expect(nonZero(batches)).toEqual({
      // Calls 9001 (connected, warm), 9003 is warm but not a conversation, 9004 (keyword, warm); note 8001 (warm).
      w250_conversations: { '2026-11-16': 2, '2026-11-17': 1 },
      w250_ftas_set: { '2026-11-17': 1 },
    });
  });
});
