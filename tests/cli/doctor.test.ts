import { describe, it, expect, afterEach, beforeEach } from 'vitest';
import nock from 'nock';
import { pino } from 'pino';
import { openRuntime, type Runtime } from '../../src/runtime.js';
import { doctor, formatDoctor } from '../../src/cli/doctor.js';
import { recordMetricFailures } from '../../src/store/metric-failures.js';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.js';
import { storeKinds, tempDatabaseUrl } from '../helpers/tmp-store.js';

/** `scorecard doctor`: each source configured or not, and an auth failure reported clearly, with no secret in it. */

describe.each(storeKinds())('scorecard doctor (%s)', (kind) => {
  let rt: Runtime | undefined;
  let slack: FakeSlack | undefined;
  let database: Awaited<ReturnType<typeof tempDatabaseUrl>>;

  beforeEach(async () => {
    database = await tempDatabaseUrl(kind);
  });
  afterEach(async () => {
    await rt?.close();
    await slack?.close();
    nock.cleanAll();
    nock.enableNetConnect();
    await database.cleanup();
  });

  it('lists every source as configured or not, and names the auth failure of a configured one', async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    const token = 'zendesk-api-token-that-must-stay-secret';
    nock('https://acme.zendesk.test').get('/api/v2/users/me.json').reply(401, { error: "Couldn't authenticate you" }).persist();
    nock('https://acme.zendesk.test').get('/api/v2/users/me').reply(401, { error: "Couldn't authenticate you" }).persist();
    slack = await startFakeSlack();
    rt = await openRuntime({
      databaseUrl: database.url,
      logger: pino({ level: 'silent' }),
      env: {
        ZENDESK_SUBDOMAIN: 'acme',
        ZENDESK_EMAIL: 'ops@example.com',
        ZENDESK_API_TOKEN: token,
        ZENDESK_BASE_URL: 'https://acme.zendesk.test',
        SLACK_BOT_TOKEN: 'xoxb-1234-5678-doctor',
        SLACK_API_URL: slack.url,
      },
    });
    const lines = await doctor(rt);
    const byCheck = Object.fromEntries(lines.map((l) => [l.check, l]));
    expect(byCheck.config).toMatchObject({ ok: true });
    expect(byCheck.database).toMatchObject({ ok: true });
    expect(byCheck['source hubspot']).toMatchObject({ ok: true, skipped: true });
    expect(byCheck['source hubspot']!.detail).toContain('not configured (set HUBSPOT_ACCESS_TOKEN)');
    expect(byCheck['source zendesk']!.ok).toBe(false);
    expect(byCheck['source zendesk']!.detail).toMatch(/auth/i);
    expect(byCheck.slack).toMatchObject({ ok: true });
    expect(byCheck.slack!.detail).toContain('authenticated as');
    const printed = formatDoctor(lines);
    expect(printed).toMatch(/^✖ source zendesk/m);
    expect(printed).toMatch(/^· source hubspot/m);
    expect(printed).not.toContain(token);
    for (const id of [
      'hubspot',
      'zendesk',
      'intercom',
      'livechat',
      'autotask',
      'bill',
      'smartlead',
      'simplefin',
      'datto',
      'quickbooks',
      'jira',
      'salesforce',
      'bigquery',
      'looker',
      'meta_ads',
      'google_ads',
    ]) {
      expect(printed).toContain(`source ${id}`);
    }
  });

  it('names each metric whose last refresh failed on its own, with the reason', async () => {
    slack = undefined;
    rt = await openRuntime({ databaseUrl: database.url, logger: pino({ level: 'silent' }), env: {} });
    await recordMetricFailures(
      rt.store,
      [{ metricId: 'w250_dials', source: 'hubspot', errorClass: 'config', error: 'GET /crm/v3/lists/123/memberships → HTTP 404' }],
      new Date('2026-11-16T12:00:00Z'),
    );
    const line = (await doctor(rt, {})).find((l) => l.check === 'metric w250_dials');
    expect(line).toMatchObject({ ok: false });
    expect(line!.detail).toBe(
      'last refresh failed (hubspot, config, 2026-11-16T12:00:00.000Z): GET /crm/v3/lists/123/memberships → HTTP 404',
    );
  });
});
