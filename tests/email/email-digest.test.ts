import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { openRuntime, type Runtime } from '../../src/runtime.js';
import { seedDemo } from '../../src/integrations/sample/demo.js';
import { syncStateFor } from '../../src/store/sync-state.js';
import { weeklyScorecard } from '../../src/report/queries.js';
import { parseWeekLabel } from '../../src/metrics/periods.js';
import { claimDelivery, listDeliveries } from '../../src/store/deliveries.js';
import { emailDigest, type EmailDigestIo } from '../../src/jobs/email-digests.js';
import { digestMessageId, recipientsHash } from '../../src/email/send.js';
import { createMailer, smtpSettings, type Mailer } from '../../src/email/transport.js';
import { attentionLines } from '../../src/email/weekly.js';
import { emailDigestCommand, smtpCheck } from '../../src/cli/email.js';
import { startScheduler } from '../../src/jobs/scheduler.js';
import { tempDbPath, removeTempDb } from '../helpers/tmp-store.js';
import { expectNoSecrets } from '../helpers/source-harness.js';
import { startSmtpPeer, type SmtpPeer } from '../helpers/smtp.js';

/** Email digests against a real SMTP server on loopback: content, exactly once, crash recovery, retries, no secrets. */

const NOW = new Date('2026-11-16T14:00:00Z');
const LATER = new Date(NOW.getTime() + 11 * 60_000);
const PERIOD = '2026-W46';
const USER = 'scorecard-mailer';
const PASS = 'Sm7p-s3cret/pass word';
const EXECS = ['ceo@example.com', 'cfo@example.com'];
const TEAM = ['sales@example.com'];

let base: Runtime;
let peer: SmtpPeer;
let logLines: string[];
let alerts: string[];
let sleeps: number[];
const path = tempDbPath();

function runtime(opts: { now?: Date; smtpUrl?: string; publicUrl?: string } = {}): Runtime {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logLines.push(chunk.toString('utf8'));
      callback();
    },
  });
  const now = opts.now ?? NOW;
  return {
    ...base,
    config: { ...base.config, email: { weekly: [...EXECS, ...TEAM], cash: EXECS, support: [], sensitive_recipients: EXECS } },
    rawEnv: {
      SMTP_URL: opts.smtpUrl ?? peer.url(),
      EMAIL_FROM: 'Scorecard <scorecard@example.com>',
      ...(opts.publicUrl ? { PUBLIC_URL: opts.publicUrl } : {}),
    },
    logger: pino({ level: 'debug' }, sink),
    now: () => now,
    evalContext: (at) => base.evalContext(at ?? now),
  };
}

const io = (extra: EmailDigestIo = {}): EmailDigestIo => ({
  notify: async (text) => void alerts.push(text),
  sleep: async (ms) => void sleeps.push(ms),
  ...extra,
});

const secrets = [
  PASS,
  encodeURIComponent(PASS),
  Buffer.from(`${USER}:${PASS}`).toString('base64'),
  Buffer.from(`\0${USER}\0${PASS}`).toString('base64'),
];

beforeAll(async () => {
  base = await openRuntime({ databaseUrl: `sqlite:${path}`, now: NOW, env: {}, logger: pino({ level: 'silent' }), allConnected: true });
  await seedDemo(
    base.store,
    base.config,
    {
      config: base.config,
      env: {},
      logger: base.logger,
      state: syncStateFor(base.store, base.now),
      now: NOW,
      stats: { calls: 0, rateLimited: 0 },
    },
    { weeks: 14 },
  );
  peer = await startSmtpPeer({ user: USER, pass: PASS });
});
afterAll(async () => {
  await peer.close();
  await base.close();
  removeTempDb(path);
});
beforeEach(async () => {
  logLines = [];
  alerts = [];
  sleeps = [];
  peer.received.length = 0;
  peer.failNext(0);
  await base.store.db.deleteFrom('deliveries').execute();
});
afterEach(() => {
  expectNoSecrets([...logLines, ...alerts], secrets);
});

const sentTo = (recipients: string[]) => peer.received.filter((m) => [...m.envelope.to].sort().join() === [...recipients].sort().join());

describe('the weekly digest by email', () => {
  it('delivers one message per recipient list across two runs, with every metric, attention first and a web link', async () => {
    const rt = runtime({ publicUrl: 'https://scorecard.example.com/' });
    const first = await emailDigest(rt, 'weekly', PERIOD, io());
    const second = await emailDigest(rt, 'weekly', PERIOD, io());
    expect(first.map((r) => r.result?.outcome)).toEqual(['sent', 'sent']);
    expect(second.map((r) => r.result?.outcome)).toEqual(['already_sent', 'already_sent']);
    expect(peer.received).toHaveLength(2);

    const execCopy = sentTo(EXECS)[0]!;
    const { rowsRead: _rows, ...view } = await weeklyScorecard(
      base.store,
      rt.evalContext(),
      parseWeekLabel(PERIOD, rt.evalContext().periods)!,
    );
    const text = execCopy.parsed.text ?? '';
    for (const row of view.groups.flatMap((g) => g.rows)) {
      expect(text).toContain(row.name);
      expect(text).toContain(`${row.name}: ${row.thisWeek}`);
    }
    expect(execCopy.parsed.subject).toBe(`Example Co: weekly scorecard ${PERIOD} (Mon 9 Nov – Sun 15 Nov 2026) — ${view.summary.red} red`);
    expect(execCopy.parsed.messageId).toBe(digestMessageId('weekly', PERIOD, EXECS, 'scorecard@example.com'));
    expect(execCopy.parsed.from?.text).toContain('scorecard@example.com');

    const html = String(execCopy.parsed.html);
    expect(html).toContain('<table role="presentation"');
    expect(html).not.toMatch(/<style|class="/);
    expect(html.indexOf('Needs attention')).toBeGreaterThan(-1);
    expect(html.indexOf('Needs attention')).toBeLessThan(html.indexOf('This week'));
    expect(text.indexOf('NEEDS ATTENTION')).toBeLessThan(text.indexOf(view.groups[0]!.name.toUpperCase()));
    expect(html).toContain('href="https://scorecard.example.com/scorecard/2026-W46"');
    expect(text).toContain('https://scorecard.example.com/scorecard/2026-W46');
    // The view model's "needs attention" section, first in both parts: every red with how far off it is.
    expect(view.attention.red.length).toBeGreaterThan(0);
    const attentionText = text.slice(text.indexOf('NEEDS ATTENTION'), text.indexOf(view.groups[0]!.name.toUpperCase()));
    for (const red of view.attention.red)
      expect(attentionText).toContain(`🔴 ${red.name}: ${red.thisWeek} against ${red.goal}, ${red.missText}`);
    for (const line of attentionLines(view.attention))
      expect(html).toContain(line.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
  });

  it('leaves sensitive metrics out of the copy for recipients outside email.sensitive_recipients', async () => {
    await emailDigest(runtime(), 'weekly', PERIOD, io());
    const exec = sentTo(EXECS)[0]!;
    const team = sentTo(TEAM)[0]!;
    expect(exec.parsed.text).toContain('Cash position');
    expect(team.parsed.text).not.toContain('Cash position');
    expect(String(team.parsed.html)).not.toContain('Cash position');
    expect(team.parsed.text).toContain('1 restricted metric is left out of this copy');
    expect(exec.parsed.text).not.toContain('restricted');
  });

  it('has no web link without PUBLIC_URL, and escapes names in the HTML', async () => {
    const rt = runtime();
    const config = { ...rt.config, org: { ...rt.config.org, name: 'R&D <Co>' } };
    const renamed: Runtime = { ...rt, config, evalContext: (at) => ({ ...rt.evalContext(at), config }) };
    await emailDigest(renamed, 'weekly', PERIOD, io());
    const html = String(peer.received[0]!.parsed.html);
    expect(html).toContain('R&amp;D &lt;Co&gt;');
    expect(html).not.toContain('<Co>');
    expect(html).not.toContain('Open the scorecard in your browser');
  });
});

describe('exactly once across crashes', () => {
  it('does not send again after a crash between the SMTP accept and the ledger write, and alerts once', async () => {
    const real = createMailer(smtpSettings(runtime().rawEnv)!);
    // The process "dies" right after the server accepted the message: the ledger write never happens.
    const dying: Mailer = {
      ...real,
      sendMail: async (message) => {
        await real.sendMail(message);
        return new Promise<never>(() => undefined);
      },
      verify: () => real.verify(),
      close: () => real.close(),
    };
    void emailDigest(runtime(), 'cash', '2026-11-16', io({ mailer: dying }));
    for (let i = 0; i < 500 && peer.received.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(peer.received).toHaveLength(1);
    const [row] = await listDeliveries(base.store, { digest: 'cash', limit: 5 });
    expect(row?.status).toBe('sending');
    expect(row?.message_id).toBe(peer.received[0]!.parsed.messageId);

    const restarted = await emailDigest(runtime({ now: LATER }), 'cash', '2026-11-16', io());
    expect(restarted.map((r) => r.result?.outcome)).toEqual(['became_unconfirmed']);
    const again = await emailDigest(runtime({ now: LATER }), 'cash', '2026-11-16', io());
    expect(again.map((r) => r.result?.outcome)).toEqual(['unconfirmed']);
    expect(peer.received).toHaveLength(1);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toContain('may not have been delivered');
    expect((await listDeliveries(base.store, { digest: 'cash', limit: 5 }))[0]?.status).toBe('unconfirmed');
  });

  it('sends once when a process died after claiming but before sending', async () => {
    const key = { kind: 'email', digest: 'cash', period: '2026-11-16', recipientsHash: recipientsHash(EXECS) };
    await claimDelivery(
      base.store,
      key,
      { recipients: EXECS.join(','), messageId: digestMessageId('cash', '2026-11-16', EXECS, 'scorecard@example.com') },
      NOW,
    );
    expect((await emailDigest(runtime(), 'cash', '2026-11-16', io())).map((r) => r.result?.outcome)).toEqual(['busy']);
    expect(peer.received).toHaveLength(0);
    const taken = await emailDigest(runtime({ now: LATER }), 'cash', '2026-11-16', io());
    expect(taken.map((r) => r.result?.outcome)).toEqual(['sent']);
    await emailDigest(runtime({ now: LATER }), 'cash', '2026-11-16', io());
    expect(peer.received).toHaveLength(1);
    expect((await listDeliveries(base.store, { digest: 'cash', limit: 1 }))[0]?.attempts).toBe(2);
  });
});

describe('SMTP failures', () => {
  it('retries temporary failures with backoff and delivers once', async () => {
    peer.failNext(2, 451);
    const runs = await emailDigest(runtime(), 'cash', '2026-11-16', io());
    expect(runs.map((r) => [r.result?.outcome, r.result?.attempts])).toEqual([['sent', 3]]);
    expect(sleeps).toEqual([2000, 4000]);
    expect(peer.received).toHaveLength(1);
    expect(alerts).toEqual([]);
    expect(peer.received[0]!.parsed.subject).toMatch(/^Example Co: cash digest Monday 16 Nov 2026 — \d+ red$/);
  });

  it('ends in one ops alert when every attempt fails, and a later run delivers', async () => {
    peer.failNext(10, 452);
    const runs = await emailDigest(runtime(), 'cash', '2026-11-16', io({ maxAttempts: 3 }));
    expect(runs[0]?.error).toMatch(/452/);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toContain('failed after 3 attempts');
    expect(peer.received).toHaveLength(0);
    peer.failNext(0);
    expect((await emailDigest(runtime(), 'cash', '2026-11-16', io())).map((r) => r.result?.outcome)).toEqual(['sent']);
    expect(peer.received).toHaveLength(1);
  });

  it('does not retry refused credentials, and never logs them', async () => {
    const wrong = 'not-the-Pa55word';
    const runs = await emailDigest(runtime({ smtpUrl: peer.url(USER, wrong) }), 'cash', '2026-11-16', io());
    expect(runs[0]?.error).toMatch(/EAUTH/);
    expect(sleeps).toEqual([]);
    expect(alerts).toHaveLength(1);
    expectNoSecrets([...logLines, ...alerts, runs[0]!.error!], [wrong, Buffer.from(`\0${USER}\0${wrong}`).toString('base64')]);
  });
});

describe('the CLI and doctor', () => {
  it('digest weekly --email sends by hand, once', async () => {
    const out: string[] = [];
    expect(await emailDigestCommand(runtime(), 'weekly', { period: PERIOD }, { ...io(), out: (line: string) => void out.push(line) })).toBe(
      true,
    );
    expect(await emailDigestCommand(runtime(), 'weekly', { period: PERIOD }, { ...io(), out: (line: string) => void out.push(line) })).toBe(
      true,
    );
    expect(peer.received).toHaveLength(2);
    expect(out.filter((line) => line.includes(': sent <scorecard.weekly.2026-W46.'))).toHaveLength(2);
    expect(out.filter((line) => line.includes('already sent'))).toHaveLength(2);
    await expect(emailDigestCommand(runtime(), 'support', {}, io())).rejects.toThrow(/email.support/);
  });

  it('doctor checks EHLO and AUTH without sending, and names only the host', async () => {
    const ok = await smtpCheck(runtime());
    expect(ok).toMatchObject({ check: 'smtp', ok: true });
    expect(ok.detail).toContain('authenticated');
    const refused = await smtpCheck(runtime({ smtpUrl: peer.url(USER, 'wrong-password-1') }));
    expect(refused.ok).toBe(false);
    expect(refused.detail).toMatch(/^127\.0\.0\.1:\d+: EAUTH 535/);
    expect(refused.detail).not.toContain('wrong-password-1');
    expect(peer.received).toHaveLength(0);
    expect(await smtpCheck({ ...runtime(), rawEnv: {} })).toMatchObject({ ok: true, skipped: true });
    expect(await smtpCheck({ ...runtime(), rawEnv: { SMTP_URL: 'http://x:y@host', EMAIL_FROM: 'a@b.c' } })).toMatchObject({ ok: false });
  });
});

describe('the scheduler', () => {
  it('emails the weekly digest on its schedule once per recipient list, across the start-up catch-up and a later fire', async () => {
    // Monday 08:00 in Chicago: the weekly fire time, so the start-up catch-up sends it, and a fire after that does not.
    const scheduler = startScheduler({
      runtime: runtime(),
      client: null,
      schedule: () => ({ stop: () => undefined }),
      out: () => undefined,
    });
    await scheduler.caughtUp;
    expect(peer.received).toHaveLength(2);
    await scheduler.runNow('weekly');
    await scheduler.stop();
    expect(peer.received).toHaveLength(2);
    expect(peer.received.map((m) => m.parsed.subject)).toEqual([expect.stringContaining(PERIOD), expect.stringContaining(PERIOD)]);
  });
});
