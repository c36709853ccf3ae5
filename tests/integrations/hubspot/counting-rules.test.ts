import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runSearch, type FakeRecord } from '../../../bench/hubspot/search-engine.js';
import { OWNERS, collectWindows, filterOf, hubspotContext, makeConfig, nonZero, ownersOnce, searchOn, type SearchBody } from './helpers.js';

/**
 * The counting rules a reader can check against HubSpot by hand: which meeting types and outcomes make an FTA, and
 * whether a team metric counts records nobody owns. HubSpot's side is the loopback search engine (filter groups ORed,
 * HAS_PROPERTY / NOT_HAS_PROPERTY, IN), answering the bodies the source sends.
 */

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterEach(() => nock.cleanAll());

const meeting = (id: string, owner: string | null, at: string, type: string, outcome = 'COMPLETED'): FakeRecord => ({
  id,
  properties: {
    hs_createdate: at,
    hs_meeting_start_time: at,
    hubspot_owner_id: owner,
    hs_activity_type: type,
    hs_meeting_outcome: outcome,
  },
});
const meetings: FakeRecord[] = [
  meeting('1', OWNERS.ava.id, '2026-11-16T15:00:00Z', 'First Meeting'),
  meeting('2', OWNERS.ava.id, '2026-11-16T16:00:00Z', 'Follow-up'),
  meeting('3', OWNERS.ben.id, '2026-11-17T15:00:00Z', 'First Meeting', 'NO_SHOW'),
  meeting('4', null, '2026-11-17T16:00:00Z', 'First Meeting'),
  meeting('5', OWNERS.cleo.id, '2026-11-18T15:00:00Z', 'Discovery', 'RESCHEDULED'),
];
const serveMeetings = () => searchOn('meetings', (body) => runSearch(meetings, body));

const ftas = (hubspot: Record<string, unknown> = {}, query: Record<string, unknown> = {}) =>
  makeConfig(
    {
      ftas_set: { owner: 'inside-sales@example.com', query: { object: 'meetings', by: 'created', ...query } },
      ftas_attended: { owner: 'inside-sales@example.com', query: { object: 'meetings', by: 'attended', ...query } },
    },
    hubspot,
  );

const groups = (body: SearchBody) => body.filterGroups.map((g) => g.filters.map((f) => `${f.propertyName} ${f.operator}`).slice(1));

describe('FTAs: meeting types and outcomes', () => {
  it('counts every type by default (no type filter), attended = outcome COMPLETED', async () => {
    ownersOnce();
    const bodies = serveMeetings();
    const batches = await collectWindows(hubspotContext(ftas()), '2026-11-16', '2026-11-18');
    expect(bodies.every((b) => filterOf(b, 'hs_activity_type') === undefined)).toBe(true);
    const attended = bodies.find((b) => filterOf(b, 'hs_meeting_outcome'))!;
    expect(filterOf(attended, 'hs_meeting_outcome')).toEqual({ propertyName: 'hs_meeting_outcome', operator: 'EQ', value: 'COMPLETED' });
    // Every owner (the team address is not a HubSpot owner, no team set): the unowned meeting counts, as before.
    expect(nonZero(batches)).toEqual({
      ftas_set: { '2026-11-16': 2, '2026-11-17': 2, '2026-11-18': 1 },
      ftas_attended: { '2026-11-16': 2, '2026-11-17': 1 },
    });
  });

  it('filters on hs_activity_type in the search when types are set, and takes several outcomes', async () => {
    ownersOnce();
    const bodies = serveMeetings();
    const config = ftas({ fta_meeting_types: ['First Meeting', 'Discovery'], fta_attended_outcomes: ['COMPLETED', 'RESCHEDULED'] });
    const batches = await collectWindows(hubspotContext(config), '2026-11-16', '2026-11-18');
    for (const body of bodies) {
      expect(filterOf(body, 'hs_activity_type')).toEqual({
        propertyName: 'hs_activity_type',
        operator: 'IN',
        values: ['Discovery', 'First Meeting'],
      });
    }
    expect(nonZero(batches)).toEqual({
      ftas_set: { '2026-11-16': 1, '2026-11-17': 2, '2026-11-18': 1 },
      ftas_attended: { '2026-11-16': 1, '2026-11-17': 1, '2026-11-18': 1 },
    });
  });
});

describe('team metrics and records with no owner', () => {
  const team = { owners: [OWNERS.ava.email, OWNERS.ben.email] };

  it('a team metric leaves unowned records out by default: one owner group, as before', async () => {
    ownersOnce();
    const bodies = serveMeetings();
    const batches = await collectWindows(hubspotContext(ftas(team)), '2026-11-16', '2026-11-18');
    expect(groups(bodies[0]!)).toEqual([['hubspot_owner_id IN']]);
    expect(nonZero(batches)).toEqual({ ftas_set: { '2026-11-16': 2, '2026-11-17': 1 }, ftas_attended: { '2026-11-16': 2 } });
  });

  it('include_unassigned: true adds a NOT_HAS_PROPERTY group and counts the unowned meeting', async () => {
    ownersOnce();
    const bodies = serveMeetings();
    const batches = await collectWindows(hubspotContext(ftas({ ...team, include_unassigned: true })), '2026-11-16', '2026-11-18');
    expect(groups(bodies[0]!)).toEqual([['hubspot_owner_id IN'], ['hubspot_owner_id NOT_HAS_PROPERTY']]);
    expect(nonZero(batches)).toEqual({
      ftas_set: { '2026-11-16': 2, '2026-11-17': 2 },
      ftas_attended: { '2026-11-16': 2, '2026-11-17': 1 },
    });
  });

  it('include_unassigned: false on a metric counting every owner asks HubSpot for owned records only', async () => {
    ownersOnce();
    const bodies = serveMeetings();
    const batches = await collectWindows(hubspotContext(ftas({ include_unassigned: false })), '2026-11-16', '2026-11-18');
    expect(groups(bodies[0]!)).toEqual([['hubspot_owner_id HAS_PROPERTY']]);
    expect(nonZero(batches).ftas_set).toEqual({ '2026-11-16': 2, '2026-11-17': 1, '2026-11-18': 1 });
  });

  it("a metric's own include_unassigned wins; one rep's metric never counts unowned records", async () => {
    ownersOnce();
    const bodies = serveMeetings();
    const config = makeConfig(
      {
        team_set: { owner: 'inside-sales@example.com', query: { object: 'meetings', by: 'created', include_unassigned: true } },
        ava_set: { owner: OWNERS.ava.email, query: { object: 'meetings', by: 'created' } },
      },
      { ...team, include_unassigned: false },
    );
    const batches = await collectWindows(hubspotContext(config), '2026-11-16', '2026-11-18');
    expect(bodies.filter((b) => b.after === '0')).toHaveLength(1); // one search shared by both
    expect(nonZero(batches)).toEqual({ team_set: { '2026-11-16': 2, '2026-11-17': 2 }, ava_set: { '2026-11-16': 2 } });
  });
});
