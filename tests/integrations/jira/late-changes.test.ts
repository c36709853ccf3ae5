import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import nock from 'nock';
import { pino } from 'pino';
import { configSchema } from '../../../src/config/schema.js';
import { createJiraSource } from '../../../src/integrations/jira/index.js';
import { changeScanPlans, jqlDateTime } from '../../../src/integrations/jira/late.js';
import { formatRefreshSummary, refresh, type RefreshOptions } from '../../../src/integrations/refresh.js';
import { addDays, localDayOf } from '../../../src/metrics/periods.js';
import { getDailyValues } from '../../../src/store/daily-values.js';
import { storeKinds, useTempStore } from '../../helpers/tmp-store.js';
import { FakeJira, type FakeIssue } from './fake-jira.js';
import { SITE } from './fixtures.js';

/**
 * The acceptance of late changes for Jira, against a stateful loopback site: an issue reopened, one moved out of the
 * filter, one moved into it and one resolved again, each a month after its days, change exactly those days on the
 * next plain refresh (the change scan paged two at a time); a second plain refresh and a full re-collection change
 * nothing, and every day equals the figures computed straight from the issues. A scan answered 429 throughout
 * fails the refresh and leaves the cursor, so the next one still corrects the day.
 */

const TZ = 'America/Chicago';
const FIRST_DAY = '2026-10-01';
const FILTER = 'project = WEB';
const env = { JIRA_BASE_URL: SITE, JIRA_EMAIL: 'scorecard@acme.example', JIRA_API_TOKEN: 'ATATT3xFfGF0-late-token-7d2a' };
const DAY_MS = 86_400_000;

const metric = (measure: string, unit: 'count' | 'days', aggregate: 'sum' | 'ratio') => ({
  name: measure,
  unit,
  aggregate,
  source: 'jira',
  query: { jql: FILTER, measure },
  definition: 'd',
  why: 'w',
  calculation: 'c',
});

const config = configSchema.parse({
  org: { name: 'Test Co', timezone: TZ },
  groups: [{ id: 'eng', name: 'Engineering', metrics: ['created', 'resolved', 'resolution_days'] }],
  metrics: {
    created: metric('created', 'count', 'sum'),
    resolved: metric('resolved', 'count', 'sum'),
    resolution_days: metric('mean_resolution_days', 'days', 'ratio'),
  },
  sources: { jira: { page_size: 2, rate_limit: { default: { max: 1000, per_seconds: 1 } } } },
});

const row = (id: string, project: string, created: string, resolved: string | null = null): FakeIssue => ({
  id,
  project,
  created,
  resolutiondate: resolved,
  statuscategorychangedate: resolved,
  updated: resolved ?? created,
});

function seed(fake: FakeJira): void {
  fake.add(row('10001', 'WEB', '2026-10-05T15:00:00.000+0000', '2026-10-07T15:00:00.000+0000'));
  fake.add(row('10002', 'WEB', '2026-10-20T15:00:00.000+0000'));
  fake.add(row('10003', 'APP', '2026-10-12T15:00:00.000+0000'));
  fake.add(row('10004', 'WEB', '2026-10-25T15:00:00.000+0000', '2026-11-02T15:00:00.000+0000'));
  fake.add(row('10005', 'WEB', '2026-10-08T15:00:00.000+0000', '2026-10-09T15:00:00.000+0000'));
  fake.add(row('10006', 'APP', '2026-10-15T15:00:00.000+0000'));
}

/** The figures straight from the issues: what every stored day must equal. */
function truth(fake: FakeJira, last: string): Map<string, number> {
  const out = new Map<string, number>();
  for (let d = FIRST_DAY; d <= last; d = addDays(d, 1)) {
    out.set(`created ${d}`, 0);
    out.set(`resolved ${d}`, 0);
  }
  const elapsed = new Map<string, [number, number]>();
  const dayOf = (stamp: string) => localDayOf(new Date(Date.parse(stamp.replace(/(\d{2})(\d{2})$/, '$1:$2'))), TZ);
  for (const issue of fake.issues.values()) {
    if (issue.project !== 'WEB') continue;
    out.set(`created ${dayOf(issue.created)}`, out.get(`created ${dayOf(issue.created)}`)! + 1);
    if (!issue.resolutiondate) continue;
    const day = dayOf(issue.resolutiondate);
    out.set(`resolved ${day}`, out.get(`resolved ${day}`)! + 1);
    const [days, count] = elapsed.get(day) ?? [0, 0];
    elapsed.set(day, [
      days + (Date.parse(issue.resolutiondate.replace('+0000', 'Z')) - Date.parse(issue.created.replace('+0000', 'Z'))) / DAY_MS,
      count + 1,
    ]);
  }
  for (const [day, [days, count]] of elapsed) out.set(`resolution_days ${day}`, Math.round((days / count) * 10_000) / 10_000);
  return out;
}

describe('jira change scan JQL', () => {
  it('bounds the scan a day early in UTC, whatever the API user’s profile timezone, and scopes the second search to the filters', () => {
    expect(jqlDateTime(new Date('2026-11-24T18:50:00Z'))).toBe('"2026/11/24 18:50"');
    const plans = changeScanPlans(['project = WEB', 'project = APP AND type = Bug'], new Date('2026-11-24T18:50:00Z'));
    expect(plans.all.jql).toBe('updated >= "2026/11/23 18:50"');
    expect(plans.matching.jql).toBe('((project = WEB) OR (project = APP AND type = Bug)) AND updated >= "2026/11/23 18:50"');
    expect(plans.all.fields).toEqual(['created', 'resolutiondate', 'statuscategorychangedate', 'updated']);
  });
});

describe.each(storeKinds())('Jira late changes (%s)', (kind) => {
  const temp = useTempStore(kind);
  beforeEach(() => nock.disableNetConnect());
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  const source = createJiraSource({ sleep: async () => undefined, random: () => 0.5 });
  const run = (now: string, opts: RefreshOptions = {}) =>
    refresh({ store: temp.store, config, env, logger: pino({ level: 'silent' }), now: new Date(now), sources: [source] }, opts);
  const stored = async () =>
    new Map(
      (await getDailyValues(temp.store, Object.keys(config.metrics), FIRST_DAY, '2026-12-31')).map((r) => [
        `${r.metric_id} ${r.day}`,
        `${r.value}|${r.numerator}|${r.denominator}`,
      ]),
    );
  const storedValues = async () => new Map([...(await stored())].map(([key, text]) => [key, Number(text.split('|')[0])]));

  async function history(fake: FakeJira): Promise<void> {
    expect((await run('2026-11-24T18:00:00Z', { full: true, from: FIRST_DAY })).ok).toBe(true);
    const first = await run('2026-11-24T19:00:00Z');
    expect(first.ok).toBe(true);
    expect(first.results[0]!.late).toBeUndefined();
    expect(await storedValues()).toEqual(truth(fake, '2026-11-24'));
  }

  it('corrects exactly the days of issues reopened, moved or resolved again a month late; a second and a full refresh change nothing', async () => {
    const fake = new FakeJira();
    seed(fake);
    fake.start();
    await history(fake);
    const before = await stored();

    fake.edit('10001', '2026-11-25T16:00:00.000+0000', { resolutiondate: null, statuscategorychangedate: '2026-11-25T16:00:00.000+0000' });
    fake.edit('10002', '2026-11-26T16:00:00.000+0000', { project: 'APP' });
    fake.edit('10003', '2026-11-27T16:00:00.000+0000', { project: 'WEB' });
    fake.edit('10004', '2026-11-28T16:00:00.000+0000', {
      resolutiondate: '2026-11-28T16:00:00.000+0000',
      statuscategorychangedate: '2026-11-28T16:00:00.000+0000',
    });
    fake.edit('10006', '2026-11-28T17:00:00.000+0000', { created: '2026-10-15T15:00:00.000+0000' });
    fake.add(row('10007', 'WEB', '2026-11-26T15:00:00.000+0000'));
    const scansBefore = fake.changeScans().length;

    const plain = await run('2026-11-30T20:00:00Z');
    expect(plain.ok).toBe(true);
    const late = plain.results[0]!.late!;
    expect(late.recollected).toEqual(['2026-10-05', '2026-10-07', '2026-10-12', '2026-10-20', '2026-10-25', '2026-11-02']);
    expect(late.corrected).toEqual(['2026-10-07', '2026-10-12', '2026-10-20', '2026-11-02']);
    expect(late.reasons).toEqual(['3 issues changed after their day', '1 issue moved out of the filters']);
    expect(formatRefreshSummary(plain)).toContain(
      '4 old days corrected (jira: 3 issues changed after their day, 1 issue moved out of the filters)',
    );

    // Two searches (every change, then the filter's), each paged two at a time with the token Jira returned.
    const scans = fake.changeScans().slice(scansBefore);
    expect(scans[0]!.jql).toBe('updated >= "2026/11/23 18:50"');
    expect(scans.some((scan) => scan.nextPageToken !== undefined)).toBe(true);
    expect(scans.at(-1)!.jql).toBe('((project = WEB)) AND updated >= "2026/11/23 18:50"');

    const after = await stored();
    const window = (key: string) => key.slice(-10) >= '2026-11-24';
    const moved = [...new Set([...before.keys(), ...after.keys()])].filter((key) => !window(key) && after.get(key) !== before.get(key));
    expect(moved.sort()).toEqual([
      'created 2026-10-12',
      'created 2026-10-20',
      'resolution_days 2026-10-07',
      'resolution_days 2026-11-02',
      'resolved 2026-10-07',
      'resolved 2026-11-02',
    ]);
    expect(await storedValues()).toEqual(truth(fake, '2026-11-30'));

    const again = await run('2026-11-30T21:00:00Z');
    expect(again.ok).toBe(true);
    expect(again.results[0]!.late).toBeUndefined();
    expect(await stored()).toEqual(after);

    const full = await run('2026-11-30T22:00:00Z', { full: true, from: FIRST_DAY });
    expect(full.ok).toBe(true);
    expect(await stored()).toEqual(after);
  });

  it('keeps the cursor when the change scan is rate limited throughout: the next refresh still corrects the day', async () => {
    const fake = new FakeJira();
    seed(fake);
    fake.start();
    await history(fake);

    fake.edit('10002', '2026-11-25T16:00:00.000+0000', { project: 'APP' });
    fake.changeScansLimited = true;
    const failed = await run('2026-11-26T20:00:00Z');
    expect(failed.results[0]!.status).toBe('failed');
    expect(failed.results[0]!.rateLimited).toBeGreaterThan(0);
    expect((await stored()).get('created 2026-10-20')).toBe('1|null|null');

    fake.changeScansLimited = false;
    const next = await run('2026-11-26T21:00:00Z');
    expect(next.ok).toBe(true);
    expect(next.results[0]!.late!.corrected).toEqual(['2026-10-20']);
    expect(formatRefreshSummary(next)).toContain('1 old day corrected');
    expect(await storedValues()).toEqual(truth(fake, '2026-11-26'));
  });
});
