import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { storeKinds } from '../helpers/tmp-store.js';
import { claimDigestRun, markDigestFailed, markDigestPosted } from '../../src/store/digest-runs.js';
import { markSourceAlerted, recordSourceFailure, recordSourceSuccess } from '../../src/store/source-health.js';
import { nowSeconds, slashCommandBody, loadExample, interactivityBody } from '../helpers/slack-requests.js';
import { NOW, type BotHarness, botTestLifecycle } from './harness.js';

let h: BotHarness;
describe.each(storeKinds())('%s store', (kind) => {
  botTestLifecycle({
    kind,
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

  describe('GET /healthz turning 503, /livez and /metrics', () => {
    const url = (path: string) => h.url.replace('/slack/events', path);
    const at = (minute: number) => new Date(Date.UTC(2026, 10, 18, 14, minute));

    it('is 503 with a reason after a failed digest run, 200 again after a good run of it, with the same body shape', async () => {
      const key = { kind: 'cash' as const, period: '2026-11-17', channel: 'C0CASH0001' };
      const { run } = await claimDigestRun(h.runtime.store, key, at(0));
      await markDigestFailed(h.runtime.store, run.id, 'chat.postMessage: channel_not_found', at(1));

      const failing = await fetch(url('/healthz'));
      expect(failing.status).toBe(503);
      const failed = (await failing.json()) as Record<string, unknown>;
      expect(failed).toMatchObject({
        ok: false,
        reasons: ['the last cash digest run (2026-11-17 to C0CASH0001) failed'],
        database: { ok: true },
      });
      expect(JSON.stringify(failed)).not.toContain('channel_not_found');

      const retry = await claimDigestRun(h.runtime.store, key, at(2));
      await markDigestPosted(h.runtime.store, retry.run.id, { messageTs: '1763400000.000100', snapshot: null }, at(3));
      const healthy = await fetch(url('/healthz'));
      expect(healthy.status).toBe(200);
      const body = (await healthy.json()) as Record<string, unknown>;
      expect(body).toMatchObject({ ok: true, reasons: [] });
      expect(Object.keys(body).sort()).toEqual(Object.keys(failed).sort());
    });

    it('is 503 while a source has alerted, and 200 once it recovers', async () => {
      await recordSourceFailure(h.runtime.store, 'stripe', 'auth', 'key sk_live_x rejected', at(10));
      await markSourceAlerted(h.runtime.store, 'stripe', at(11));
      const alerted = await fetch(url('/healthz'));
      expect(alerted.status).toBe(503);
      expect(((await alerted.json()) as { reasons: string[] }).reasons).toContain('source stripe is failing (auth) and has alerted');
      await recordSourceSuccess(h.runtime.store, 'stripe', at(20));
      expect((await fetch(url('/healthz'))).status).toBe(200);
    });

    it('/livez answers 200 while the process is up', async () => {
      const live = await fetch(url('/livez'));
      expect(live.status).toBe(200);
      expect(await live.json()).toEqual({ ok: true });
    });

    it('/metrics serves Prometheus text with refresh, digest, latency, leader and freshness series', async () => {
      await h.command('/metric', 'help');
      const response = await fetch(url('/metrics'));
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
      const text = await response.text();
      expect(text).toMatch(/^scorecard_metric_ack_seconds_count [1-9]\d*$/m);
      for (const series of [
        'scorecard_metric_answer_seconds_bucket',
        'scorecard_leader 0',
        'scorecard_refresh_runs_total',
        'scorecard_refresh_rate_limited_total',
        'scorecard_digest_runs_total{kind="cash",status="posted"} 1',
        'scorecard_source_data_age_seconds{source="stripe"}',
      ]) {
        expect(text).toContain(series);
      }
    });
  });

  describe('the edges of /slack/events', () => {
    it('rejects a correctly signed request timestamped more than 5 minutes in the future: 401', async () => {
      const responseUrl = h.fake.responseUrl();
      const response = await h.send(slashCommandBody({ command: '/metric', text: 'help', response_url: responseUrl }), {
        timestamp: nowSeconds() + 10 * 60,
      });
      expect(response.status).toBe(401);
      expect(h.fake.responses).toEqual([]);
    });

    it('answers a body declared over 1 MB with 413 before reading it: the client never sends a byte of it', async () => {
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(h.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': String(32 * 1024 * 1024),
            'x-slack-request-timestamp': String(nowSeconds()),
            'x-slack-signature': 'v0=0',
          },
        });
        req.on('response', (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.flushHeaders(); // headers only: the 32 MB body is never written
      });
      expect(status).toBe(413);
    });

    it('answers a body without a declared length with 411', async () => {
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(h.url, { method: 'POST', headers: { 'x-slack-request-timestamp': String(nowSeconds()) } });
        req.on('response', (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.write('a=b'); // chunked: no content-length
        req.end();
      });
      expect(status).toBe(411);
    });
  });
});
