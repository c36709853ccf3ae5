import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OWNERS_CACHE_KEY } from '../../../src/integrations/hubspot/owners.js';
import {
  OWNERS,
  call,
  collectWindows,
  filterOf,
  makeConfig,
  hubspotContext,
  memoryState,
  nonZero,
  ownersOnce,
  record,
  searchOn,
  searchPage,
  type SearchBody,
} from './helpers.js';

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterEach(() => nock.cleanAll());

describe('HubSpot collect: calls', () => {
  it('pages through three pages of one search and counts every record', async () => {
    ownersOnce();
    const bodies = searchOn('calls', (body) => {
      if (body.after === '0')
        return searchPage(
          5,
          [call('1', OWNERS.ava.id, '2026-11-16T15:00:00Z'), call('2', OWNERS.ava.id, '2026-11-16T16:00:00Z')],
          'NTI1Cg%3D%3D',
        );
      if (body.after === 'NTI1Cg%3D%3D')
        return searchPage(
          5,
          [call('3', OWNERS.ava.id, '2026-11-17T15:00:00Z'), call('4', OWNERS.ava.id, '2026-11-17T16:00:00Z')],
          'NzI1Cg%3D%3D',
        );
      return searchPage(5, [call('5', OWNERS.ava.id, '2026-11-18T15:00:00Z')]);
    });
    const ctx = hubspotContext(makeConfig({ dials: { owner: OWNERS.ava.email, query: { object: 'calls' } } }));
    const batches = await collectWindows(ctx, '2026-11-16', '2026-11-20');

    expect(bodies.map((b) => b.after)).toEqual(['0', 'NTI1Cg%3D%3D', 'NzI1Cg%3D%3D']);
    expect(bodies[0]!.limit).toBe(200);
    expect(bodies[0]!.sorts).toEqual([{ propertyName: 'hs_timestamp', direction: 'ASCENDING' }]);
    expect(nonZero(batches)).toEqual({ dials: { '2026-11-16': 2, '2026-11-17': 2, '2026-11-18': 1 } });
    // A value for every day, zeros included, so freshness is visible.
    expect(batches.flat().map((v) => v.day)).toEqual(['2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20']);
    expect(ctx.stats.calls).toBe(4);
  });

  it('buckets by owner and local day across the DST change (America/Chicago, 2026-11-01)', async () => {
    ownersOnce();
    const bodies = searchOn('calls', () =>
      searchPage(7, [
        call('1', OWNERS.ava.id, '2026-11-01T04:30:00Z'), // 23:30 CDT Oct 31
        call('2', OWNERS.ava.id, '2026-11-01T05:30:00Z'), // 00:30 CDT Nov 1
        call('3', OWNERS.ben.id, '2026-11-01T06:30:00Z'), // 01:30 CDT Nov 1 (first 01:30)
        call('4', OWNERS.ben.id, '2026-11-01T07:30:00Z'), // 01:30 CST Nov 1 (second 01:30)
        call('5', OWNERS.ava.id, '2026-11-02T05:30:00Z'), // 23:30 CST Nov 1: the 25-hour day
        call('6', OWNERS.ben.id, '2026-11-02T06:30:00Z'), // 00:30 CST Nov 2
        call('7', OWNERS.cleo.id, '2026-11-01T12:00:00Z'), // not a counted owner
      ]),
    );
    const ctx = hubspotContext(
      makeConfig({
        dials_ava: { owner: OWNERS.ava.email, query: { object: 'calls' } },
        dials_ben: { query: { object: 'calls', owners: [OWNERS.ben.email] } },
      }),
    );
    const batches = await collectWindows(ctx, '2026-10-29', '2026-11-04');

    expect(nonZero(batches)).toEqual({
      dials_ava: { '2026-10-31': 1, '2026-11-01': 2 },
      dials_ben: { '2026-11-01': 2, '2026-11-02': 1 },
    });
    expect(bodies).toHaveLength(1);
    const between = filterOf(bodies[0]!, 'hs_timestamp')!;
    expect(between.operator).toBe('BETWEEN');
    expect(between.value).toBe(String(Date.parse('2026-10-29T05:00:00Z'))); // local midnight, CDT
    expect(between.highValue).toBe(String(Date.parse('2026-11-05T06:00:00Z') - 1)); // local midnight, CST
  });

  it('runs one search per object type and date property per window, for all owners at once', async () => {
    ownersOnce();
    const calls = searchOn('calls', () => searchPage(0, []));
    const notes = searchOn('notes', () => searchPage(0, []));
    const meetings = searchOn('meetings', () => searchPage(0, []));
    const ctx = hubspotContext(
      makeConfig({
        dials_ava: { owner: OWNERS.ava.email, query: { object: 'calls' } },
        dials_ben: { owner: OWNERS.ben.email, query: { object: 'calls' } },
        dm_team: { query: { object: 'conversations', owners: [OWNERS.ava.email, OWNERS.ben.email] } },
        ftas_set_ava: { owner: OWNERS.ava.email, query: { object: 'meetings', by: 'created' } },
        ftas_attended_ben: { owner: OWNERS.ben.email, query: { object: 'meetings', by: 'attended' } },
      }),
    );
    const batches = await collectWindows(ctx, '2026-11-01', '2026-11-10'); // 10 days = 2 windows of 7

    expect(calls).toHaveLength(2);
    expect(notes).toHaveLength(2);
    expect(meetings).toHaveLength(4); // by hs_createdate and by hs_meeting_start_time, per window
    const ownerFilter = (body: SearchBody) => filterOf(body, 'hubspot_owner_id');
    for (const body of [...calls, ...notes]) {
      expect(ownerFilter(body)).toEqual({ propertyName: 'hubspot_owner_id', operator: 'IN', values: [OWNERS.ava.id, OWNERS.ben.id] });
    }
    // Each search asks only for the owners its metrics count.
    const created = meetings.filter((b) => filterOf(b, 'hs_createdate'));
    const attended = meetings.filter((b) => filterOf(b, 'hs_meeting_start_time'));
    expect(created.map((b) => ownerFilter(b)!.values)).toEqual([[OWNERS.ava.id], [OWNERS.ava.id]]);
    expect(attended.map((b) => ownerFilter(b)!.values)).toEqual([[OWNERS.ben.id], [OWNERS.ben.id]]);
    expect(attended.map((b) => filterOf(b, 'hs_meeting_outcome'))).toEqual([
      { propertyName: 'hs_meeting_outcome', operator: 'EQ', value: 'COMPLETED' },
      { propertyName: 'hs_meeting_outcome', operator: 'EQ', value: 'COMPLETED' },
    ]);
    expect(batches).toHaveLength(2);
    expect(batches.flat()).toHaveLength(5 * 10);
  });

  it('splits a window whose search reports more than 10,000 results into halves', async () => {
    ownersOnce();
    const start = Date.parse('2026-11-02T06:00:00Z');
    const end = Date.parse('2026-11-09T06:00:00Z') - 1;
    const mid = start + Math.floor((end - start) / 2);
    const bodies = searchOn('calls', (body) => {
      const range = filterOf(body, 'hs_timestamp')!;
      if (range.value === String(start) && range.highValue === String(end)) {
        return searchPage(12_000, [call('1', OWNERS.ava.id, '2026-11-02T15:00:00Z')], 'MjAw');
      }
      if (range.highValue === String(mid))
        return searchPage(2, [call('1', OWNERS.ava.id, '2026-11-02T15:00:00Z'), call('2', OWNERS.ava.id, '2026-11-04T15:00:00Z')]);
      return searchPage(1, [call('3', OWNERS.ava.id, '2026-11-07T15:00:00Z')]);
    });
    const ctx = hubspotContext(makeConfig({ dials: { owner: OWNERS.ava.email, query: { object: 'calls' } } }));
    const batches = await collectWindows(ctx, '2026-11-02', '2026-11-08');

    expect(bodies.map((b) => [filterOf(b, 'hs_timestamp')!.value, filterOf(b, 'hs_timestamp')!.highValue])).toEqual([
      [String(start), String(end)],
      [String(start), String(mid)],
      [String(mid + 1), String(end)],
    ]);
    expect(nonZero(batches)).toEqual({ dials: { '2026-11-02': 1, '2026-11-04': 1, '2026-11-07': 1 } });
  });

  it('counts outbound calls only when asked, and warns about an owner email HubSpot does not know', async () => {
    ownersOnce();
    searchOn('calls', () =>
      searchPage(3, [
        call('1', OWNERS.ava.id, '2026-11-16T15:00:00Z', { hs_call_direction: 'OUTBOUND' }),
        call('2', OWNERS.ava.id, '2026-11-16T16:00:00Z', { hs_call_direction: 'INBOUND' }),
        call('3', OWNERS.ava.id, '2026-11-16T17:00:00Z', { hs_call_direction: 'OUTBOUND' }),
      ]),
    );
    const ctx = hubspotContext(
      makeConfig({
        outbound: { query: { object: 'calls', owners: [OWNERS.ava.email], outbound_only: true } },
        ghost: { query: { object: 'calls', owners: ['ghost@example.com'] } },
      }),
    );
    const batches = await collectWindows(ctx, '2026-11-16', '2026-11-16');
    const values = Object.fromEntries(batches.flat().map((v) => [v.metricId, v]));
    expect(values.outbound!.value).toBe(2);
    expect(values.ghost).toEqual({
      metricId: 'ghost',
      day: '2026-11-16',
      value: 0,
      warnings: ['ghost@example.com is not an active HubSpot owner; their activity is not counted'],
    });
  });

  it('drops the owner filter when one metric counts every owner, and still counts the others by owner', async () => {
    ownersOnce();
    const bodies = searchOn('calls', () =>
      searchPage(3, [
        call('1', OWNERS.ava.id, '2026-11-16T15:00:00Z'),
        call('2', OWNERS.ben.id, '2026-11-16T16:00:00Z'),
        call('3', OWNERS.cleo.id, '2026-11-16T17:00:00Z'),
      ]),
    );
    const ctx = hubspotContext(
      makeConfig({
        dials_all: { query: { object: 'calls' } },
        dials_ava: { owner: OWNERS.ava.email, query: { object: 'calls' } },
      }),
    );
    const batches = await collectWindows(ctx, '2026-11-16', '2026-11-16');
    expect(bodies).toHaveLength(1);
    expect(filterOf(bodies[0]!, 'hubspot_owner_id')).toBeUndefined();
    expect(bodies[0]!.properties).toContain('hubspot_owner_id');
    expect(nonZero(batches)).toEqual({ dials_all: { '2026-11-16': 3 }, dials_ava: { '2026-11-16': 1 } });
  });

  it('counts MQLs per local day by the configured date property, for every owner', async () => {
    const bodies = searchOn('contacts', () =>
      searchPage(3, [
        record('101', { hs_v2_date_entered_marketingqualifiedlead: '2026-11-17T04:00:00Z' }), // 22:00 CST on the 16th
        record('102', { hs_v2_date_entered_marketingqualifiedlead: '2026-11-17T15:00:00Z' }),
        record('103', { hs_v2_date_entered_marketingqualifiedlead: '1794906000000' }), // epoch ms: 2026-11-17T09:00Z
      ]),
    );
    const ctx = hubspotContext(
      makeConfig({ mqls: { query: { object: 'mqls' } } }, { mql_date_property: 'hs_v2_date_entered_marketingqualifiedlead' }),
    );
    const batches = await collectWindows(ctx, '2026-11-16', '2026-11-17');
    expect(filterOf(bodies[0]!, 'hs_v2_date_entered_marketingqualifiedlead')!.operator).toBe('BETWEEN');
    expect(filterOf(bodies[0]!, 'hubspot_owner_id')).toBeUndefined();
    expect(nonZero(batches)).toEqual({ mqls: { '2026-11-16': 1, '2026-11-17': 2 } });
  });

  it('reads a metric owner that is not a HubSpot owner (a team address) as the team, and says so', async () => {
    ownersOnce();
    const bodies = searchOn('calls', () =>
      searchPage(3, [
        call('1', OWNERS.ava.id, '2026-11-16T15:00:00Z'),
        call('2', OWNERS.ben.id, '2026-11-16T16:00:00Z'),
        call('3', OWNERS.cleo.id, '2026-11-16T17:00:00Z'),
      ]),
    );
    const ctx = hubspotContext(
      makeConfig(
        { team_dials: { owner: 'inside-sales@example.com', query: { object: 'calls' } } },
        { owners: [OWNERS.ava.email, OWNERS.ben.email] },
      ),
    );
    const [team] = (await collectWindows(ctx, '2026-11-16', '2026-11-16')).flat();
    expect(filterOf(bodies[0]!, 'hubspot_owner_id')!.values).toEqual([OWNERS.ava.id, OWNERS.ben.id]);
    expect(team).toEqual({
      metricId: 'team_dials',
      day: '2026-11-16',
      value: 2,
      warnings: ['metric owner inside-sales@example.com is not a HubSpot owner, so this counts sources.hubspot.owners'],
    });
  });

  it('without sources.hubspot.owners, a team-address metric owner counts every owner', async () => {
    ownersOnce();
    const bodies = searchOn('calls', () =>
      searchPage(2, [call('1', OWNERS.ava.id, '2026-11-16T15:00:00Z'), call('2', OWNERS.cleo.id, '2026-11-16T16:00:00Z')]),
    );
    const ctx = hubspotContext(makeConfig({ team_dials: { owner: 'inside-sales@example.com', query: { object: 'calls' } } }));
    const [team] = (await collectWindows(ctx, '2026-11-16', '2026-11-16')).flat();
    expect(filterOf(bodies[0]!, 'hubspot_owner_id')).toBeUndefined();
    expect(team!.value).toBe(2);
    expect(team!.warnings).toEqual(['metric owner inside-sales@example.com is not a HubSpot owner, so this counts every owner']);
  });

  it('caches owners for a day in sync state', async () => {
    const state = memoryState();
    searchOn('calls', () => searchPage(0, []));
    const config = makeConfig({ dials: { owner: OWNERS.ava.email, query: { object: 'calls' } } });
    const owners = ownersOnce();
    await collectWindows(hubspotContext(config, { state }), '2026-11-16', '2026-11-16');
    expect(owners.isDone()).toBe(true);
    expect(JSON.parse(state.values.get(OWNERS_CACHE_KEY)!).byEmail['ava@example.com']).toBe(OWNERS.ava.id);

    // Within 24 h: no owners call (nock would refuse one).
    const ctx = hubspotContext(config, { state, now: new Date('2026-11-21T06:00:00Z') });
    await collectWindows(ctx, '2026-11-16', '2026-11-16');
    expect(ctx.stats.calls).toBe(1);

    // After 24 h: fetched again.
    const again = ownersOnce();
    await collectWindows(hubspotContext(config, { state, now: new Date('2026-11-21T19:00:00Z') }), '2026-11-16', '2026-11-16');
    expect(again.isDone()).toBe(true);
  });
});

describe('HubSpot collect: conversations with a decision maker', () => {
  it('counts a call once even when it matches both rules, notes by distinct id, and a call and a note on the same day both', async () => {
    ownersOnce();
    searchOn('calls', () =>
      searchPage(4, [
        call('11', OWNERS.ava.id, '2026-11-16T15:00:00Z', {
          hs_call_disposition: 'f240bbac-87c9-4f6e-bf70-924b57d47db7',
          hs_call_body: 'Spoke with the DM',
        }),
        call('12', OWNERS.ava.id, '2026-11-16T16:00:00Z', {
          hs_call_disposition: '73a0d17f-1163-4015-bdd5-ec830791da20',
          hs_call_body: '<p>Decision   Maker confirmed</p>',
        }),
        call('13', OWNERS.ava.id, '2026-11-16T17:00:00Z', {
          hs_call_disposition: '73a0d17f-1163-4015-bdd5-ec830791da20',
          hs_call_body: 'left voicemail',
        }),
        call('14', OWNERS.ava.id, '2026-11-17T17:00:00Z', {
          hs_call_disposition: 'f240bbac-87c9-4f6e-bf70-924b57d47db7',
          hs_call_body: null,
        }),
      ]),
    );
    const note = (id: string, body: string) =>
      record(id, { hs_timestamp: '2026-11-16T18:00:00Z', hubspot_owner_id: OWNERS.ava.id, hs_note_body: body });
    searchOn('notes', (body) =>
      body.after === '0'
        ? searchPage(3, [note('21', '<div>Met the <b>decision maker</b></div>'), note('22', 'admin follow-up')], 'Mg')
        : searchPage(3, [note('21', '<div>Met the <b>decision maker</b></div>')]),
    );
    const ctx = hubspotContext(makeConfig({ dm: { owner: OWNERS.ava.email, query: { object: 'conversations' } } }));
    const batches = await collectWindows(ctx, '2026-11-16', '2026-11-17');
    // Calls 11 (both rules), 12 (keyword) and the note 21 on the 16th; call 14 (disposition) on the 17th.
    expect(nonZero(batches)).toEqual({ dm: { '2026-11-16': 3, '2026-11-17': 1 } });
  });
});
