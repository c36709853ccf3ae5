import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  BASE,
  OWNERS,
  call,
  collectWindows,
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

  it('refuses a Warm-250 metric when no target list is configured', async () => {
    ownersOnce();
    const ctx = hubspotContext(makeConfig({ w250: { owner: OWNERS.ava.email, query: { object: 'calls', warm250: true } } }));
    await expect(collectWindows(ctx, '2026-11-16', '2026-11-16')).rejects.toMatchObject({ errorClass: 'config' });
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
