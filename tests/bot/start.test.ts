import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createBotApp, slackSettings, BotSetupError } from '../../src/bot/app.js';
import { redactSlackSecrets } from '../../src/bot/bolt-logger.js';
import { InFlight } from '../../src/bot/in-flight.js';
import { runBot, startBot } from '../../src/bot/start.js';
import { EventEmitter } from 'node:events';
import { loadEnv } from '../../src/config/env.js';
import { openRuntime, type Runtime } from '../../src/runtime.js';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.js';
import { postSigned, slashCommandBody } from '../helpers/slack-requests.js';
import { storeKinds, tempDatabaseUrl, type StoreKind } from '../helpers/tmp-store.js';
import { BOT_TOKEN, CONFIG_PATH, NOW, SIGNING_SECRET } from './harness.js';

let fake: FakeSlack;
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  fake = await startFakeSlack();
});
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
  fake.reset();
  nock.cleanAll();
});
afterAll(async () => {
  await fake.close();
  nock.enableNetConnect();
});

async function runtimeFor(env: Record<string, string>, kind: StoreKind = 'sqlite'): Promise<Runtime> {
  const database = await tempDatabaseUrl(kind);
  const runtime = await openRuntime({
    configPath: CONFIG_PATH,
    databaseUrl: database.url,
    env: { LOG_LEVEL: 'silent', ...env },
    now: NOW,
    logger: pino({ level: 'silent' }),
  });
  cleanups.push(async () => {
    await runtime.close();
    await database.cleanup();
  });
  return runtime;
}

const httpEnv = () => ({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.url });

describe('slackSettings: which mode, and what each mode needs', () => {
  it('runs HTTP with a signing secret, Socket Mode with an app token, and normalises SLACK_API_URL', () => {
    expect(
      slackSettings(loadEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: 'http://127.0.0.1:9/api' })),
    ).toEqual({
      mode: 'http',
      botToken: 'xoxb-1',
      signingSecret: 's',
      apiUrl: 'http://127.0.0.1:9/api/',
    });
    expect(slackSettings(loadEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }))).toMatchObject({
      mode: 'socket',
      appToken: 'xapp-1',
    });
  });

  it('names every missing variable, without echoing any secret', () => {
    expect(() => slackSettings(loadEnv({}))).toThrow(BotSetupError);
    expect(() => slackSettings(loadEnv({}))).toThrow(/SLACK_BOT_TOKEN .* and SLACK_SIGNING_SECRET/);
    expect(() => slackSettings(loadEnv({ SLACK_BOT_TOKEN: 'xoxb-secret-value' }))).toThrow(/SLACK_SIGNING_SECRET/);
    try {
      slackSettings(loadEnv({ SLACK_BOT_TOKEN: 'xoxb-secret-value' }));
    } catch (error) {
      expect((error as Error).message).not.toContain('xoxb-secret-value');
    }
  });
});

describe('createBotApp', () => {
  it('builds a Socket Mode app (Web API on SLACK_API_URL, /healthz on PORT) when SLACK_APP_TOKEN is set', async () => {
    const runtime = await runtimeFor({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: 'xapp-1-A111-222-abc', SLACK_API_URL: fake.url });
    const bot = await createBotApp({ runtime, port: 0 });
    expect(bot.settings.mode).toBe('socket');
    // auth.test went to the fake: the client honours SLACK_API_URL in Socket Mode too.
    expect(fake.callsTo('auth.test').length).toBeGreaterThan(0);
  });
});

describe.each(storeKinds())('startBot (%s)', (kind) => {
  it('fails fast when Slack rejects the token (auth.test at start), before listening', async () => {
    const strict = await startFakeSlack({ token: 'xoxb-the-right-one' });
    cleanups.push(() => strict.close());
    const runtime = await runtimeFor(
      { SLACK_BOT_TOKEN: 'xoxb-the-wrong-one', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: strict.url },
      kind,
    );
    await expect(startBot({ runtime, port: 0, scheduler: false })).rejects.toMatchObject({ data: { error: 'invalid_auth' } });
  });

  it('runs the scheduler with a client on SLACK_API_URL (a missed cash digest is caught up), and stops cleanly', async () => {
    const runtime = await runtimeFor(httpEnv(), kind);
    const bot = await startBot({ runtime, port: 0 });
    expect(bot.mode).toBe('http');
    expect((await fetch(`http://127.0.0.1:${bot.port}/healthz`)).status).toBe(200);

    await bot.stop();
    await bot.stop();
    // 08:30 on a weekday is 30 minutes before NOW, inside the catch-up grace: the cash digest went out once.
    expect(fake.callsTo('chat.postMessage').filter((c) => c.body.channel === 'C0CASH0001')).toHaveLength(1);
    await expect(fetch(`http://127.0.0.1:${bot.port}/healthz`)).rejects.toThrow();
    // The caller owns the runtime: the store is still open after the bot stopped.
    expect((await runtime.store.db.selectFrom('manual_entries').select('id').execute()).length).toBe(0);
  });

  it('on stop, lets a listener still working after its ack finish before returning', async () => {
    let delivered = false;
    const slowResponder: Server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        setTimeout(() => {
          delivered = true;
          res.writeHead(200).end('ok');
        }, 200);
      });
    });
    await new Promise<void>((resolve) => slowResponder.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => slowResponder.close(() => resolve())));
    const responseUrl = `http://127.0.0.1:${(slowResponder.address() as AddressInfo).port}/response`;

    const runtime = await runtimeFor(httpEnv(), kind);
    const bot = await startBot({ runtime, port: 0, scheduler: false });
    const acked = await postSigned(
      `http://127.0.0.1:${bot.port}/slack/events`,
      slashCommandBody({ command: '/metric', text: 'help', response_url: responseUrl }),
      { secret: SIGNING_SECRET },
    );
    expect(acked.status).toBe(200);
    expect(delivered).toBe(false);
    await bot.stop();
    expect(delivered).toBe(true);
  });
});

describe.each(storeKinds())('runBot (%s)', (kind) => {
  it('runs until SIGTERM, then stops, closes the database and removes its signal handlers', async () => {
    // runBot closes the runtime itself, so only the database is left to clean up.
    const database = await tempDatabaseUrl(kind);
    cleanups.push(() => database.cleanup());
    const runtime = await openRuntime({
      configPath: CONFIG_PATH,
      databaseUrl: database.url,
      env: { LOG_LEVEL: 'silent', ...httpEnv() },
      now: NOW,
      logger: pino({ level: 'silent' }),
    });
    const signals = new EventEmitter();
    const running = runBot({ runtime, port: 0, scheduler: false, signals });
    // The handlers go on once the bot is up; until then a signal has nobody to hear it.
    while (signals.listenerCount('SIGTERM') === 0) await new Promise((resolve) => setImmediate(resolve));
    signals.emit('SIGTERM', 'SIGTERM');
    await running;
    expect(signals.listenerCount('SIGTERM') + signals.listenerCount('SIGINT')).toBe(0);
    await expect(runtime.store.db.selectFrom('manual_entries').select('id').execute()).rejects.toThrow();
  });
});

describe('InFlight', () => {
  it('is idle once tracked work settles (failures included), and reports a timeout as false', async () => {
    const inFlight = new InFlight();
    expect(await inFlight.idle()).toBe(true);
    let finish!: () => void;
    inFlight.track(new Promise<void>((resolve) => (finish = resolve)));
    inFlight.track(Promise.reject(new Error('listener failed'))).catch(() => undefined);
    expect(inFlight.size).toBe(2);
    expect(await inFlight.idle(20)).toBe(false);
    finish();
    expect(await inFlight.idle()).toBe(true);
    expect(inFlight.size).toBe(0);
  });
});

describe('Bolt logging', () => {
  it('redacts Slack tokens from anything a library logs', () => {
    expect(redactSlackSecrets('auth failed for xoxb-123-456-abcDEF and xapp-1-A0-99-ff, user xoxp-9-9')).toBe(
      'auth failed for [redacted] and [redacted], user [redacted]',
    );
  });
});
