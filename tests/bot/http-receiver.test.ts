import { describe, expect, it } from 'vitest';
import { claimDigestRun, markDigestPosted } from '../../src/store/digest-runs.js';
import { recordSourceFailure, recordSourceSuccess } from '../../src/store/source-health.js';
import { nowSeconds, slashCommandBody, loadExample, interactivityBody } from '../helpers/slack-requests.js';
import { NOW, type BotHarness, botTestLifecycle } from './harness.js';

let h: BotHarness;
botTestLifecycle({
  seed: false,
  onStart: (started) => {
    h = started;
  },
});

describe('the HTTP receiver at /slack/events', () => {
  it('answers a correctly signed slash command with an empty 200 (the ack)', async () => {
    const { response } = await h.command('/metric', 'help');
    expect(response.status).toBe(200);
    expect(response.text).toBe('');
  });

  it('rejects a request signed with the wrong secret: 401, and no listener runs', async () => {
    const responseUrl = h.fake.responseUrl();
    const response = await h.send(slashCommandBody({ command: '/metric', text: 'help', response_url: responseUrl }), {
      badSignature: true,
    });
    expect(response.status).toBe(401);
    expect(h.fake.responses).toEqual([]);
  });

  it('rejects a correctly signed request whose timestamp is more than 5 minutes old: 401', async () => {
    const responseUrl = h.fake.responseUrl();
    const response = await h.send(slashCommandBody({ command: '/metric', text: 'help', response_url: responseUrl }), {
      timestamp: nowSeconds() - 6 * 60,
    });
    expect(response.status).toBe(401);
    expect(h.fake.responses).toEqual([]);
  });

  it('rejects a signed interactivity payload with a stale timestamp too', async () => {
    const payload = loadExample('shortcut_global');
    payload.callback_id = 'log_activity';
    const response = await h.send(interactivityBody(payload), { timestamp: nowSeconds() - 600 });
    expect(response.status).toBe(401);
    expect(h.fake.callsTo('views.open')).toEqual([]);
  });

  it('answers Slack’s url_verification handshake with the challenge', async () => {
    const example = loadExample('url_verification');
    const response = await h.send(JSON.stringify(example));
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ challenge: example.challenge });
  });
});

describe('GET /healthz', () => {
  const healthUrl = () => h.url.replace('/slack/events', '/healthz');

  it('reports the database, each source’s last refresh and the last digest runs as JSON, without error text', async () => {
    await recordSourceSuccess(h.runtime.store, 'hubspot', new Date('2026-11-18T12:00:00Z'));
    await recordSourceFailure(h.runtime.store, 'simplefin', 'auth', 'token xyz rejected by upstream', new Date('2026-11-18T12:05:00Z'));
    const { run } = await claimDigestRun(
      h.runtime.store,
      { kind: 'weekly', period: '2026-W46', channel: 'C0WEEKLY01' },
      new Date('2026-11-16T14:00:00Z'),
    );
    await markDigestPosted(h.runtime.store, run.id, { messageTs: '1763000000.000100', snapshot: null }, new Date('2026-11-16T14:00:01Z'));

    const response = await fetch(healthUrl());
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      ok: true,
      database: { ok: true },
      sources: [
        { source: 'hubspot', last_success_at: '2026-11-18T12:00:00.000Z', consecutive_failures: 0, last_error_class: null },
        { source: 'simplefin', last_success_at: null, consecutive_failures: 1, last_error_class: 'auth' },
      ],
      digests: [{ kind: 'weekly', period: '2026-W46', channel: 'C0WEEKLY01', status: 'posted', posted_at: '2026-11-16T14:00:01.000Z' }],
      checked_at: NOW.toISOString(),
    });
    expect(JSON.stringify(body)).not.toContain('xyz');
  });
});
