import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { WebClient } from '@slack/web-api';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHomeRenderer, inlineHomeRenderer, inlineScorecardRenderer } from '../../src/bot/answer/answerer.js';
import { createBotApp, type BotApp } from '../../src/bot/app.js';
import { createBotDeps } from '../../src/bot/create-deps.js';
import { addManualEntry } from '../../src/store/manual-entries.js';
import { recordSourceFailure, recordSourceSuccess } from '../../src/store/source-health.js';
import { appHomeOpenedEvent, eventBody, postSigned, slashCommandBody } from '../helpers/slack-requests.js';
import { blockText, CHANNELS, NOW, SIGNING_SECRET, startHarness, USERS, type BotHarness } from './harness.js';

/**
 * App Home drawn off the main thread: the Home thread draws the same view the main thread would, and a Home visit
 * (or a whole scorecard) being drawn never holds up a `/metric` answer.
 */

let h: BotHarness;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  h = await startHarness();
  await recordSourceSuccess(h.runtime.store, 'sample', new Date('2026-11-18T12:00:00Z'));
  await recordSourceFailure(h.runtime.store, 'hubspot', 'rate_limited', 'HTTP 429 from api.hubapi.com', new Date('2026-11-18T12:00:00Z'));
  await addManualEntry(
    h.runtime.store,
    { metricId: 'coi_meetings', day: '2026-11-17', value: 2, userId: USERS.rep, enteredBy: USERS.rep, note: 'Breakfast with an attorney' },
    NOW,
  );
});
afterAll(async () => {
  await h?.close();
  nock.enableNetConnect();
});

const compiledWorker = fileURLToPath(new URL('../../dist/src/bot/answer/worker.js', import.meta.url));

// The worker runs compiled JavaScript: `npm test` builds dist/ first; a bare `vitest run` without a build skips this.
describe.runIf(existsSync(compiledWorker))('the Home thread (compiled)', () => {
  it('draws the same Home tab as the main thread: my metrics, my entries, and source health for an admin', async () => {
    const deps = createBotDeps(h.runtime, () => NOW);
    const renderer = await createHomeRenderer(deps, { workerFile: compiledWorker });
    try {
      expect(renderer.where).toBe('worker');
      const inline = inlineHomeRenderer(deps);
      const rep = { userId: USERS.rep, nowIso: NOW.toISOString() };
      const repView = await renderer.render(rep);
      expect(repView).toEqual(await inline.render(rep));
      const repText = blockText(repView);
      expect(repText).toContain('2026-W47');
      for (const name of ['COI meetings attended', 'Volunteer hours']) expect(repText).toContain(`*${name}*`);
      expect(repText).toContain('Breakfast with an attorney');
      expect(repText).not.toContain('Source health');

      // The admin is known by email only (slack.admins): the email learnt on the main thread travels with the job.
      const admin = { userId: USERS.admin, nowIso: NOW.toISOString(), email: 'ada@example.com', notice: 'That entry is locked.' };
      const adminView = await renderer.render(admin);
      expect(adminView).toEqual(await inline.render(admin));
      const adminText = blockText(adminView);
      expect(adminText).toContain('Source health');
      expect(adminText).toContain('hubspot');
      expect(adminText).toContain('That entry is locked.');

      // The /log confirmation DM goes out from the Home thread, through its own Web API client.
      const before = h.fake.callsTo('chat.postMessage').length;
      // A client that reaches nothing: were it used, the DM would fail.
      const unreachable = new WebClient('xoxb-unused', { slackApiUrl: 'http://127.0.0.1:9/api/', retryConfig: { retries: 0 } });
      await renderer.sendDirectMessage(unreachable, USERS.rep, { text: 'Logged 2 COI meetings attended', blocks: [] });
      const posted = h.fake.callsTo('chat.postMessage').slice(before);
      expect(posted.map((call) => call.body.text)).toEqual(['Logged 2 COI meetings attended']);
      expect(h.fake.callsTo('conversations.open').at(-1)!.body).toMatchObject({ users: USERS.rep });
    } finally {
      await renderer.close();
    }
    // Starting a thread (modules, config, database) is slow on a busy shared machine; nothing here is timed.
  }, 60_000);
});

describe('a /metric answer is never queued behind a Home tab or a scorecard being drawn', () => {
  let bot: BotApp;
  let url: string;
  let openGate: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    openGate = resolve;
  });
  const held = { homes: 0, scorecards: 0 };

  beforeAll(async () => {
    // A bot of our own on the harness's store and fake Slack, so its Home and scorecard renders can wait on the gate.
    bot = await createBotApp({ runtime: h.runtime, port: 0, answerWorker: false, now: () => NOW });
    const homes = inlineHomeRenderer(bot.deps);
    const scorecards = inlineScorecardRenderer(bot.deps);
    bot.deps.homes = {
      where: 'inline',
      render: async (request) => {
        held.homes++;
        await gate;
        return homes.render(request);
      },
      sendDirectMessage: homes.sendDirectMessage,
      close: async () => undefined,
    };
    bot.deps.scorecards = {
      where: 'inline',
      render: async (request) => {
        held.scorecards++;
        await gate;
        return scorecards.render(request);
      },
      close: async () => undefined,
    };
    const server = (await bot.app.start(0)) as { address(): AddressInfo };
    url = `http://127.0.0.1:${server.address().port}/slack/events`;
  });
  afterAll(async () => {
    openGate();
    await bot?.inFlight.idle(10_000);
    await bot?.app.stop();
  });

  const command = (name: string, text: string) => {
    const responseUrl = h.fake.responseUrl();
    const body = slashCommandBody({
      command: name,
      text,
      user_id: USERS.cfo,
      channel_id: CHANNELS.cash,
      response_url: responseUrl,
      trigger_id: `t-${name}`,
    });
    return { send: () => postSigned(url, body, { secret: SIGNING_SECRET }), responseUrl };
  };
  const answersAt = (responseUrl: string) => h.fake.responses.filter((r) => r.url === responseUrl);

  it('answers /metric while a Home tab and a scorecard are held, then publishes both once released', async () => {
    expect((await postSigned(url, eventBody(appHomeOpenedEvent(USERS.rep)), { secret: SIGNING_SECRET })).status).toBe(200);
    const scorecard = command('/scorecard', '');
    expect((await scorecard.send()).status).toBe(200);
    await expect.poll(() => held).toEqual({ homes: 1, scorecards: 1 });

    const metric = command('/metric', 'cash');
    expect((await metric.send()).status).toBe(200);
    await expect.poll(() => answersAt(metric.responseUrl).length).toBe(1);
    expect(blockText(answersAt(metric.responseUrl)[0]!.body)).toContain('Cash');
    // Both still held: the answer went out ahead of them.
    expect(h.fake.homeView(USERS.rep)).toBeUndefined();
    expect(answersAt(scorecard.responseUrl)).toEqual([]);

    openGate();
    await expect.poll(() => h.fake.homeView(USERS.rep)).toBeDefined();
    expect(blockText(h.fake.homeView(USERS.rep)!)).toContain('*COI meetings attended*');
    await expect.poll(() => answersAt(scorecard.responseUrl).length).toBeGreaterThan(0);
  });
});
