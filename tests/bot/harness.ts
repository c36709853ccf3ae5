// The real bot over HTTP for tests: a temp store (SQLite or Postgres) seeded with the deterministic sample, the fake
// Slack Web API on 127.0.0.1 (SLACK_API_URL), and correctly signed requests built from Slack's example payloads.
import { fileURLToPath } from 'node:url';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { checkMessage } from '../../src/slack/limits.js';
import { pino } from 'pino';
import { openRuntime, type Runtime } from '../../src/runtime.js';
import { startBot, type RunningBot } from '../../src/bot/start.js';
import { seedDemo } from '../../src/integrations/sample/demo.js';
import { syncStateFor } from '../../src/store/sync-state.js';
import { startFakeSlack, type FakeSlack, type FakeSlackResponse } from '../helpers/fake-slack.js';
import {
  postSigned,
  slashCommandBody,
  interactivityBody,
  eventBody,
  type Payload,
  type SignedResponse,
} from '../helpers/slack-requests.js';
import { tempDatabaseUrl, type StoreKind } from '../helpers/tmp-store.js';

export const SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';
export const BOT_TOKEN = 'xoxb-test-bot-token';
/** Wednesday 18 Nov 2026, 09:00 in Chicago: week 2026-W47 is running, 2026-W46 is the last completed one. */
export const NOW = new Date('2026-11-18T15:00:00Z');
export const TODAY = '2026-11-18';
export const CONFIG_PATH = fileURLToPath(new URL('./fixtures/scorecard.bot-test.yml', import.meta.url));

/** People in the fixture config. */
export const USERS = {
  /** Owns coi_meetings (via slack.users email) and volunteer_hours; no special rights. */
  rep: 'W111',
  admin: 'U0ADMIN001',
  cfo: 'U0CFO00001',
  dana: 'U0DANA001',
} as const;
export const CHANNELS = { general: 'C111', cash: 'C0CASH0001' } as const;

export interface BotHarness {
  fake: FakeSlack;
  runtime: Runtime;
  bot: RunningBot;
  url: string;
  clock: { now: Date };
  /** POSTs a signed body to /slack/events and waits for the listener's work after the ack. */
  send(body: string, opts?: { timestamp?: number; badSignature?: boolean }): Promise<SignedResponse>;
  command(
    command: string,
    text: string,
    opts?: { userId?: string; channelId?: string },
  ): Promise<{ response: SignedResponse; replies: FakeSlackResponse[] }>;
  interact(payload: Payload): Promise<SignedResponse>;
  event(event: Payload): Promise<SignedResponse>;
  /** Every Web API call the bot made succeeded, and every response_url post fits Block Kit's limits. */
  expectValidSlackTraffic(): void;
  close(): Promise<void>;
}

export async function startHarness(
  opts: { seed?: boolean; env?: Record<string, string>; configPath?: string; kind?: StoreKind } = {},
): Promise<BotHarness> {
  const fake = await startFakeSlack();
  fake.addUser({ id: USERS.admin, name: 'ada', real_name: 'Ada Admin', email: 'ada@example.com' });
  fake.addUser({ id: USERS.cfo, name: 'cy', real_name: 'Cy CFO', email: 'cfo@example.com' });
  const database = await tempDatabaseUrl(opts.kind ?? 'sqlite');
  const clock = { now: NOW };
  const runtime = await openRuntime({
    configPath: opts.configPath ?? CONFIG_PATH,
    databaseUrl: database.url,
    env: { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.url, LOG_LEVEL: 'silent', ...opts.env },
    now: NOW,
    logger: pino({ level: 'silent' }),
  });
  if (opts.seed !== false) {
    await seedDemo(
      runtime.store,
      runtime.config,
      {
        config: runtime.config,
        env: {},
        logger: runtime.logger,
        state: syncStateFor(runtime.store, runtime.now),
        now: NOW,
        stats: { calls: 0, rateLimited: 0 },
      },
      { weeks: 14, gapGroup: 'none', staleSource: 'none' },
    );
  }
  const bot = await startBot({ runtime, port: 0, scheduler: false, now: () => clock.now });
  const url = `http://127.0.0.1:${bot.port}/slack/events`;

  const send = async (body: string, sendOpts: { timestamp?: number; badSignature?: boolean } = {}) => {
    const response = await postSigned(url, body, { secret: SIGNING_SECRET, ...sendOpts });
    await bot.idle();
    return response;
  };
  return {
    fake,
    runtime,
    bot,
    url,
    clock,
    send,
    async command(command, text, cmdOpts = {}) {
      const responseUrl = fake.responseUrl();
      const response = await send(
        slashCommandBody({
          command,
          text,
          user_id: cmdOpts.userId ?? USERS.rep,
          channel_id: cmdOpts.channelId ?? CHANNELS.general,
          response_url: responseUrl,
          trigger_id: `trigger-${Math.random().toString(36).slice(2)}`,
        }),
      );
      return { response, replies: fake.responses.filter((r) => r.url === responseUrl) };
    },
    interact: (payload) => send(interactivityBody(payload)),
    expectValidSlackTraffic() {
      const refused = fake.calls
        // An owner email unknown to Slack is an answer, not a refusal: the owner is then named instead of mentioned.
        .filter((c) => !c.response.ok && !(c.method === 'users.lookupByEmail' && c.response.error === 'users_not_found'))
        .map((c) => `${c.method}: ${String(c.response.error)} ${JSON.stringify(c.response.errors ?? c.response.response_metadata ?? '')}`);
      expect(refused).toEqual([]);
      const oversized = fake.responses.flatMap((r) =>
        checkMessage(r.body as { text?: string; blocks?: unknown[] }).map((problem) => `${r.url}: ${problem}`),
      );
      expect(oversized).toEqual([]);
    },
    event: (event) => send(eventBody(event)),
    async close() {
      await bot.stop();
      await runtime.close();
      await fake.close();
      await database.cleanup();
    },
  };
}

/** All text in a message's blocks, for "does it say X" checks. */
export function blockText(body: object): string {
  const parts: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const child of node) visit(child);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'text' && typeof value === 'string') parts.push(value);
      else visit(value);
    }
  };
  visit((body as { blocks?: unknown }).blocks);
  return parts.join('\n');
}

/** Every action_id in a message or view. */
export function actionIds(body: object): string[] {
  const ids: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const child of node) visit(child);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'action_id' && typeof value === 'string') ids.push(value);
      else visit(value);
    }
  };
  visit((body as { blocks?: unknown }).blocks);
  return ids;
}

/** A button (or any element) by action id, anywhere in the blocks. */
export function findElement(body: object, actionId: string): Payload | undefined {
  let found: Payload | undefined;
  const visit = (node: unknown): void => {
    if (found || node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const child of node) visit(child);
      return;
    }
    const obj = node as Payload;
    if (obj.action_id === actionId) {
      found = obj;
      return;
    }
    Object.values(obj).forEach(visit);
  };
  visit((body as { blocks?: unknown }).blocks);
  return found;
}

/**
 * The lifecycle every bot test file shares: nock with loopback only, one bot per store kind (`onStart` seeds it), the
 * clock back at NOW before each test, and after each the Slack traffic checked against Slack's limits and forgotten.
 */
export function botTestLifecycle(opts: { seed?: boolean; kind?: StoreKind; onStart: (harness: BotHarness) => void | Promise<void> }): void {
  let harness: BotHarness | undefined;
  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    harness = await startHarness({ seed: opts.seed, ...(opts.kind ? { kind: opts.kind } : {}) });
    await opts.onStart(harness);
  });
  beforeEach(() => {
    if (harness) harness.clock.now = NOW;
  });
  afterEach(() => {
    harness?.expectValidSlackTraffic();
    harness?.fake.reset();
    nock.cleanAll();
  });
  afterAll(async () => {
    await harness?.close();
    nock.enableNetConnect();
  });
}
