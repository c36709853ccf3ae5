import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseWeekLabel } from '../../src/metrics/periods.js';
import { weeklyScorecard } from '../../src/report/queries.js';
import { listAudit } from '../../src/store/audit.js';
import { blockText, USERS } from '../bot/harness.js';
import { startWebHarness, type WebHarness } from './harness.js';

// A goal changed on /settings/goals is read by every surface that reads goal history: later weeks on the pages and
// in Slack take it, earlier weeks keep theirs, and the metric page shows who changed it, when and why.

let h: WebHarness;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  h = await startWebHarness();
});
afterAll(async () => {
  await h.close();
  nock.enableNetConnect();
});

const dialsRow = async (label: string) => {
  const ctx = h.runtime.evalContext(h.clock.now);
  const view = await weeklyScorecard(h.runtime.store, ctx, parseWeekLabel(label, ctx.periods)!);
  return view.groups.flatMap((g) => g.rows).find((r) => r.id === 'dials')!;
};

describe('/settings/goals', () => {
  it('a change from a date shows in later weeks, Slack included; earlier weeks keep their goal and status', async () => {
    const before46 = await dialsRow('2026-W46');
    const before47 = await dialsRow('2026-W47');
    expect(before47.goal).toBe(before46.goal);
    const thisWeek = before47.values.thisWeek!;
    const admin = await h.signIn(USERS.admin);

    // A goal far above this week's figure turns the week red.
    const goal = String(thisWeek * 10 + 100);
    const response = await h.post(
      '/settings/goals',
      { csrf: admin.csrf, metric: 'dials', scope: 'from', from: '2026-11-16', op: '>=', value: goal, reason: 'New hires ramped up' },
      admin.cookie,
    );
    expect(response.status).toBe(303);
    expect(await (await h.get(response.headers.get('location')!, admin.cookie)).text()).toContain('Goal saved for Dials.');

    const after47 = await dialsRow('2026-W47');
    expect(after47.goal).toBe(`≥ ${goal}`);
    expect(after47.status).toBe('red');
    expect(await dialsRow('2026-W46')).toEqual(before46);

    // Slack reads the same goal history.
    const { replies } = await h.command('/scorecard', 'this-week', { userId: USERS.admin });
    expect(replies.map((r) => blockText(r.body)).join('\n')).toContain(`≥ ${goal}`);
    const { replies: old } = await h.command('/scorecard', '2026-W46', { userId: USERS.admin });
    expect(old.map((r) => blockText(r.body)).join('\n')).not.toContain(`≥ ${goal}`);

    const page = await (await h.get('/metrics/dials', admin.cookie)).text();
    expect(page).toContain('From 2026-11-16');
    expect(page).toContain(`${USERS.admin}, 2026-11-18 15:00 UTC`);
    expect(page).toContain('New hires ramped up');
    const audit = await listAudit(h.runtime.store, { subject: 'metric:dials', limit: 5 });
    expect(audit[0]).toMatchObject({ actor: USERS.admin, action: 'goal.change' });
  });

  it('a one-week override applies to that week only', async () => {
    const admin = await h.signIn(USERS.admin);
    const response = await h.post(
      '/settings/goals',
      { csrf: admin.csrf, metric: 'dials', scope: 'week', period: '2026-w48', op: 'between', min: '1', max: '5', reason: 'Thanksgiving' },
      admin.cookie,
    );
    expect(response.status).toBe(303);
    expect((await dialsRow('2026-W48')).goal).toBe('1–5');
    expect((await dialsRow('2026-W49')).goal).not.toBe('1–5');
  });
});
