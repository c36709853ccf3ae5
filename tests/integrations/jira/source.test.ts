import { describe, expect, it } from 'vitest';
import { createJiraSource } from '../../../src/integrations/jira/index.js';
import { jiraQuerySchema } from '../../../src/integrations/jira/schemas.js';
import { refresh } from '../../../src/integrations/refresh.js';
import { getDailyValues } from '../../../src/store/daily-values.js';
import { commentedExampleMetrics, harnessMetrics } from '../../helpers/commented-examples.js';
import { fakeApi } from '../../helpers/source-fixtures.js';
import { byDay, collectAll, createHarness, expectNoSecrets, sourceTestLifecycle } from '../../helpers/source-harness.js';
import { FILTER, FROM, fakeJira, NOW, QUERIES, SITE, TO } from './fixtures.js';

const TOKEN = 'ATATT3xFfGF0-jira-api-token-9c1e';
const ENV = { JIRA_BASE_URL: SITE, JIRA_EMAIL: 'scorecard@acme.example', JIRA_API_TOKEN: TOKEN };
const COUNTS = { [QUERIES.open_bugs.jql]: 17, [QUERIES.critical_bugs.jql]: 3 };
/** Two issues a page, so every search pages; no limiter waits in tests. */
const SETTINGS = { jira: { page_size: 2, rate_limit: { default: { max: 1000, per_seconds: 1 } } } };

const { sleeps, track } = sourceTestLifecycle();
const source = () => createJiraSource({ sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 });

async function harness(metrics: Record<string, { query: Record<string, unknown>; aggregate?: 'sum' | 'last' | 'ratio' }> = allMetrics()) {
  return track(await createHarness({ env: ENV, source: 'jira', now: NOW, sources: SETTINGS, metrics }));
}

function allMetrics() {
  return Object.fromEntries(
    Object.entries(QUERIES).map(([id, query]) => [
      id,
      {
        query: { ...query },
        aggregate: query.measure === 'count_now' ? 'last' : query.measure === 'mean_resolution_days' ? 'ratio' : 'sum',
      },
    ]),
  ) as Record<string, { query: Record<string, unknown>; aggregate: 'sum' | 'last' | 'ratio' }>;
}

/** Every day of the fortnight at 0, with `nonZero` laid over. */
function fortnight(nonZero: Record<string, number>): Record<string, number> {
  const days: Record<string, number> = {};
  for (let d = new Date(`${FROM}T12:00:00Z`); d.toISOString().slice(0, 10) <= TO; d.setUTCDate(d.getUTCDate() + 1)) {
    days[d.toISOString().slice(0, 10)] = 0;
  }
  return { ...days, ...nonZero };
}

describe('Jira source', () => {
  it('fills every measure for a fortnight across the end of DST, with exact local-day values', async () => {
    const calls = fakeApi(SITE, fakeJira(COUNTS));
    const h = await harness();
    const values = await collectAll(source(), h, FROM, TO);

    expect(byDay(values, 'open_bugs')).toEqual({ [TO]: 17 });
    expect(byDay(values, 'critical_bugs')).toEqual({ [TO]: 3 });
    expect(byDay(values, 'bugs_created')).toEqual(
      fortnight({ '2026-10-26': 1, '2026-10-31': 1, '2026-11-01': 1, '2026-11-02': 1, '2026-11-08': 1 }),
    );
    expect(byDay(values, 'bugs_resolved')).toEqual(fortnight({ '2026-10-28': 1, '2026-11-01': 2, '2026-11-05': 1 }));
    expect(byDay(values, 'bugs_reopened')).toEqual(fortnight({ '2026-10-30': 1, '2026-11-01': 2, '2026-11-07': 1 }));
    const ratio = byDay(values, 'bug_resolution_days', (v) => [v.value, v.numerator, v.denominator]);
    expect(ratio['2026-10-28']).toEqual([2, 2, 1]);
    expect(ratio['2026-11-01']).toEqual([1.0208, 2.0417, 2]);
    expect(ratio['2026-11-05']).toEqual([10.5833, 10.5833, 1]);
    expect(ratio['2026-11-03']).toEqual([0, 0, 0]);

    const searches = calls.filter((call) => call.path === '/rest/api/3/search/jql');
    const created = searches.filter((call) => call.body.jql.includes('created >='));
    expect(created[0]!.body).toEqual({
      jql: `(${FILTER}) AND created >= "2026-10-25" AND created < "2026-11-10"`,
      fields: ['created'],
      maxResults: 2,
    });
    // Seven issues two a page: four pages, each after the first carrying the previous page's token.
    expect(created).toHaveLength(4);
    expect(
      created
        .slice(1)
        .every((call, i) => typeof call.body.nextPageToken === 'string' && call.body.nextPageToken !== created[i]!.body.nextPageToken),
    ).toBe(true);
    const reopened = searches.find((call) => call.body.jql.includes('CHANGED'))!;
    expect(reopened.body).toMatchObject({ jql: `(${FILTER}) AND status CHANGED DURING ("2026-10-25", "2026-11-10")`, expand: 'changelog' });
    // BUG-8's truncated changelog is read from its own endpoint, two pages.
    expect(calls.filter((call) => call.path.endsWith('/changelog'))).toHaveLength(2);
    expect(calls.every((call) => !call.path.match(/\/rest\/api\/[23]\/search$/))).toBe(true);
    expectNoSecrets(h.logLines, [TOKEN]);
  });

  it('counts stocks only when the window reaches today', async () => {
    const calls = fakeApi(SITE, fakeJira(COUNTS));
    const h = await harness({ open_bugs: { query: { ...QUERIES.open_bugs }, aggregate: 'last' } });
    expect(await collectAll(source(), h, FROM, '2026-11-01')).toEqual([]);
    expect(calls).toHaveLength(0);
  });

  it('reports the user it authenticated as, and what to set when unconfigured', async () => {
    fakeApi(SITE, fakeJira());
    const h = await harness();
    await expect(source().check(h.ctx)).resolves.toEqual({ ok: true, detail: 'authenticated as Scorecard Bot' });
    h.ctx.env = {};
    await expect(source().check(h.ctx)).resolves.toEqual({
      ok: false,
      detail: 'not configured: set JIRA_BASE_URL, JIRA_EMAIL and JIRA_API_TOKEN',
    });
    expect(source().configured(ENV)).toBe(true);
    expect(source().configured({ ...ENV, JIRA_BASE_URL: ' ' })).toBe(false);
  });

  it('rejects JQL it cannot bound safely', () => {
    const error = (jql: string) => jiraQuerySchema.safeParse({ jql, measure: 'created' }).error?.issues[0]?.message;
    expect(error('project = WEB ORDER BY created')).toContain('leave out ORDER BY');
    expect(error('project = WEB) OR (project = OPS')).toContain('unbalanced');
    expect(error('summary ~ "open (')).toContain('unbalanced');
    expect(error('summary ~ "a ) b" AND project = WEB')).toBeUndefined();
    expect(jiraQuerySchema.safeParse({ jql: 'project = WEB', measure: 'median' }).success).toBe(false);
  });

  it('refreshes the example catalog’s Jira metrics for the fortnight, and a second refresh changes nothing', async () => {
    const examples = commentedExampleMetrics('Jira bugs');
    const counts = Object.fromEntries(
      Object.entries(examples)
        .filter(([, metric]) => metric.query.measure === 'count_now')
        .map(([id, metric]) => [metric.query.jql as string, id === 'open_bugs' ? 17 : 3]),
    );
    fakeApi(SITE, fakeJira(counts));
    const h = track(await createHarness({ env: ENV, source: 'jira', now: NOW, sources: SETTINGS, metrics: harnessMetrics(examples) }));
    const deps = { store: h.store, config: h.ctx.config, env: ENV, logger: h.ctx.logger, now: NOW, sources: [source()] };
    const ids = Object.keys(examples);

    const first = await refresh(deps, { sourceIds: ['jira'], from: FROM, to: TO });
    // Two stocks, three daily flows, and mean resolution days only on the 3 days with resolutions: a day with
    // nothing to divide (0 ÷ 0) stores no value.
    expect(first.results[0]).toMatchObject({ status: 'ok', valuesWritten: 2 + 3 * 14 + 3 });
    const stored = await getDailyValues(h.store, ids, FROM, '2026-11-09');
    const sums = Object.fromEntries(
      ids.map((id) => [id, stored.filter((row) => row.metric_id === id).reduce((sum, row) => sum + row.value, 0)]),
    );
    expect(sums).toEqual({
      open_bugs: 17,
      critical_bugs: 3,
      bugs_created: 5,
      bugs_resolved: 4,
      bugs_reopened: 4,
      bug_resolution_days: 2 + 1.0208 + 10.5833,
    });

    await refresh(deps, { sourceIds: ['jira'], from: FROM, to: TO });
    expect(await getDailyValues(h.store, ids, FROM, '2026-11-09')).toEqual(stored);
  });
});
