import nock from 'nock';

/**
 * Looker bodies (provenance in fixtures/_sources.json) and a stateful fake instance. The fortnight is
 * Mon 2026-10-26 … Sun 2026-11-08 in America/Chicago; Looker formats dates in the query's timezone, so rows
 * already carry local days (Sun 11-01, the 25-hour day, is simply "2026-11-01").
 *
 * Look 42 (no date): one row, accounts.active_count 318.
 * Look 57 (events by day; days without events have no row): logins / active users
 *   10-26 40/12, 10-30 33/10, 11-01 5/3, 11-02 61/15, 11-08 8/4, and 11-09 (outside) 99/99.
 * Inline export query: 10-28 3, 11-01 2, 11-05 6.
 */

export const HOST = 'https://acme.cloud.looker.com';
export const API = '/api/4.0';
export const FROM = '2026-10-26';
export const TO = '2026-11-08';
export const NOW = new Date('2026-11-08T16:00:00Z');

export const accessToken = (token: string, expiresIn = 3600) => ({
  access_token: token,
  token_type: 'Bearer',
  expires_in: expiresIn,
  refresh_token: null,
});
export const lookerError = (message: string) => ({ message, documentation_url: 'https://cloud.google.com/looker/docs/r/api/support' });
export const me = { id: '17', display_name: 'Scorecard API user' };

const LOOK_57 = [
  ['2026-10-26', 40, 12],
  ['2026-10-30', 33, 10],
  ['2026-11-01', 5, 3],
  ['2026-11-02', 61, 15],
  ['2026-11-08', 8, 4],
  ['2026-11-09', 99, 99],
].map(([day, logins, users]) => ({ 'events.event_date': day, 'events.logins': logins, 'events.active_users': users }));
const EXPORTS = [
  ['2026-10-28', 3],
  ['2026-11-01', 2],
  ['2026-11-05', 6],
].map(([day, count]) => ({ 'events.event_date': day, 'events.count': count }));

export interface FakeLooker {
  logins: number;
  lookRuns: string[];
  inlineBodies: Record<string, unknown>[];
}

/** Tokens `lk-N`; only the newest is accepted. */
export function fakeLooker(): FakeLooker {
  const fake: FakeLooker = { logins: 0, lookRuns: [], inlineBodies: [] };
  const denied = (header: string | string[] | undefined) => header !== `token lk-${fake.logins}`;
  nock(HOST)
    .persist()
    .post(`${API}/login`)
    .reply(() => [200, accessToken(`lk-${++fake.logins}`)])
    .get(/\/api\/4\.0\/looks\/\d+\/run\/json/)
    .query(true)
    .reply(function (uri) {
      if (denied(this.req.headers.authorization)) return [401, lookerError('Requires authentication.')];
      const id = /looks\/(\d+)\//.exec(uri)![1]!;
      fake.lookRuns.push(id);
      if (id === '42') return [200, [{ 'accounts.active_count': 318 }]];
      if (id === '57') return [200, LOOK_57];
      return [404, lookerError('Not found')];
    })
    .post(`${API}/queries/run/json`)
    .query(true)
    .reply(function (_uri, body) {
      if (denied(this.req.headers.authorization)) return [401, lookerError('Requires authentication.')];
      fake.inlineBodies.push(body as Record<string, unknown>);
      return [200, EXPORTS];
    })
    .get(`${API}/user`)
    .query(true)
    .reply(function () {
      return denied(this.req.headers.authorization) ? [401, lookerError('Requires authentication.')] : [200, me];
    });
  return fake;
}
