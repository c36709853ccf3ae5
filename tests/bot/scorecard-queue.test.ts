import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBotApp, type BotApp } from '../../src/bot/app.js';
import { inlineScorecardRenderer } from '../../src/bot/answer/answerer.js';
import type { AddressInfo } from 'node:net';
import { postSigned, slashCommandBody } from '../helpers/slack-requests.js';
import { storeKinds } from '../helpers/tmp-store.js';
import { blockText, CHANNELS, NOW, SIGNING_SECRET, startHarness, USERS, type BotHarness } from './harness.js';

let h: BotHarness;
let bot: BotApp;
let url: string;
/** The scorecard renders wait here until the test opens it (a new gate for each store kind). */
let openGate: () => void = () => undefined;
let gate: Promise<void>;
let rendersHeld = 0;

describe.each(storeKinds())('%s store', (kind) => {
  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    gate = new Promise<void>((resolve) => {
      openGate = resolve;
    });
    rendersHeld = 0;
    h = await startHarness({ kind });
    // A bot of our own on the harness's store and fake Slack, so its scorecard renderer can be held on the gate.
    bot = await createBotApp({ runtime: h.runtime, port: 0, answerWorker: false, now: () => NOW });
    const real = inlineScorecardRenderer(bot.deps);
    bot.deps.scorecards = {
      where: 'inline',
      render: async (request) => {
        rendersHeld++;
        await gate;
        return real.render(request);
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
    await h?.close();
    nock.enableNetConnect();
  });

  function command(command: string, text: string): { send: () => ReturnType<typeof postSigned>; responseUrl: string } {
    const responseUrl = h.fake.responseUrl();
    const body = slashCommandBody({
      command,
      text,
      user_id: USERS.cfo,
      channel_id: CHANNELS.cash,
      response_url: responseUrl,
      trigger_id: `t-${command}`,
    });
    return { send: () => postSigned(url, body, { secret: SIGNING_SECRET }), responseUrl };
  }

  const answersAt = (responseUrl: string) => h.fake.responses.filter((r) => r.url === responseUrl);

  describe('a /metric answer is never queued behind a /scorecard render', () => {
    it('answers /metric while a scorecard render is held, and the scorecard follows once released', async () => {
      const scorecard = command('/scorecard', '');
      expect((await scorecard.send()).status).toBe(200);
      await expect.poll(() => rendersHeld).toBe(1);

      const metric = command('/metric', 'cash');
      expect((await metric.send()).status).toBe(200);
      await expect.poll(() => answersAt(metric.responseUrl).length).toBe(1);
      expect(blockText(answersAt(metric.responseUrl)[0]!.body)).toContain('Cash');
      // Still held: nothing of the scorecard has gone out, yet the answer did.
      expect(answersAt(scorecard.responseUrl)).toEqual([]);

      openGate();
      await expect.poll(() => answersAt(scorecard.responseUrl).length).toBeGreaterThan(0);
      expect(answersAt(scorecard.responseUrl)[0]!.body.text).toContain('2026-W46');
    });
  });
});
