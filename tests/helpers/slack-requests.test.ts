import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel, isValidSlackRequest } from '@slack/bolt';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from './fake-slack.js';
import {
  FORM_CONTENT_TYPE,
  JSON_CONTENT_TYPE,
  appHomeOpenedEvent,
  blockActionsPayload,
  eventBody,
  globalShortcutPayload,
  interactivityBody,
  loadExample,
  postSigned,
  signRequest,
  slashCommandBody,
  viewSubmissionPayload,
} from './slack-requests.js';

// Slack's documented signing example (api.slack.com/authentication/verifying-requests-from-slack).
const DOC_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const DOC_TIMESTAMP = 1531420618;
const DOC_BODY =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar' +
  '&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com' +
  '%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const DOC_SIGNATURE = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';

describe('signRequest', () => {
  it("matches Slack's documented example signature", () => {
    expect(signRequest(DOC_BODY, DOC_SECRET, DOC_TIMESTAMP)).toEqual({
      'Content-Type': 'application/x-www-form-urlencoded',
      'X-Slack-Request-Timestamp': '1531420618',
      'X-Slack-Signature': DOC_SIGNATURE,
    });
  });

  it("is accepted by Bolt's own verifier", () => {
    const body = slashCommandBody({ command: '/metric', text: 'cash' });
    const headers = signRequest(body, 'secret');
    const valid = isValidSlackRequest({
      signingSecret: 'secret',
      body,
      headers: {
        'x-slack-signature': headers['X-Slack-Signature'],
        'x-slack-request-timestamp': Number(headers['X-Slack-Request-Timestamp']),
      },
    });
    expect(valid).toBe(true);
  });
});

describe('request bodies built from Slack examples', () => {
  it('slashCommandBody keeps the example fields and overrides the given ones', () => {
    const form = new URLSearchParams(slashCommandBody({ command: '/log', text: 'dials 40', user_id: 'U0DANA001' }));
    expect(Object.fromEntries(form)).toMatchObject({
      command: '/log',
      text: 'dials 40',
      user_id: 'U0DANA001',
      team_id: 'T111',
      channel_id: 'C111',
      trigger_id: '111.111.xxx',
      response_url: 'https://hooks.slack.com/commands/T111/111/xxxxx',
    });
  });

  it('interactivityBody url-encodes the payload JSON into one `payload` field', () => {
    const payload = globalShortcutPayload('log_activity', { userId: 'U0DANA001' });
    const form = new URLSearchParams(interactivityBody(payload));
    expect([...form.keys()]).toEqual(['payload']);
    expect(JSON.parse(form.get('payload')!)).toMatchObject({ type: 'shortcut', callback_id: 'log_activity', user: { id: 'U0DANA001' } });
  });

  it('loadExample returns a fresh copy each time', () => {
    const first = loadExample('view_submission');
    first.view.callback_id = 'changed';
    expect(loadExample('view_submission').view.callback_id).toBe('view-id');
  });

  it('blockActionsPayload supports message and view sources', () => {
    const fromMessage = blockActionsPayload([{ action_id: 'undo_entry', value: '42' }], {
      type: 'message',
      channelId: 'D1',
      messageTs: '1.2',
    });
    expect(fromMessage).toMatchObject({
      type: 'block_actions',
      container: { type: 'message', channel_id: 'D1', message_ts: '1.2' },
      channel: { id: 'D1' },
      actions: [{ action_id: 'undo_entry', value: '42', type: 'button', block_id: 'actions' }],
    });
    const fromHome = blockActionsPayload([{ action_id: 'log_activity' }], { type: 'view', view: { id: 'V9', type: 'home' } });
    expect(fromHome).toMatchObject({ container: { type: 'view', view_id: 'V9' }, view: { id: 'V9' } });
    expect(fromHome).not.toHaveProperty('response_url');
  });
});

describe('signed requests against a real Bolt HTTPReceiver and the fake Slack', () => {
  const SECRET = 'test-signing-secret';
  let fake: FakeSlack;
  let app: App;
  let endpoint: string;
  const submissions: unknown[] = [];

  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    fake = await startFakeSlack();
    app = new App({
      token: 'xoxb-test-token',
      signingSecret: SECRET,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: fake.url, retryConfig: { retries: 0 } },
    });
    app.command('/metric', async ({ ack, command, respond, client }) => {
      await ack();
      await respond({ text: `You asked for ${command.text}` });
      await client.chat.postMessage({ channel: command.channel_id, text: `metric ${command.text}` });
    });
    app.shortcut('log_activity', async ({ ack, shortcut, client }) => {
      await ack();
      await client.views.open({
        trigger_id: shortcut.trigger_id,
        view: { type: 'modal', callback_id: 'log_entry', title: { type: 'plain_text', text: 'Log activity' }, blocks: [] },
      });
    });
    app.view('log_entry', async ({ ack, view }) => {
      submissions.push(view.state.values);
      await ack({ response_action: 'errors', errors: { value: 'Enter a number' } });
    });
    app.event('app_home_opened', async ({ event, client }) => {
      await client.views.publish({ user_id: event.user, view: { type: 'home', blocks: [] } });
    });
    const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });
  afterEach(() => fake.reset());
  afterAll(async () => {
    await app.stop();
    await fake.close();
    nock.enableNetConnect();
  });

  it('routes a signed slash command; respond() and the Web API land in the fake', async () => {
    const responseUrl = fake.responseUrl();
    const body = slashCommandBody({ command: '/metric', text: 'cash', channel_id: 'C0CASH', response_url: responseUrl });
    const reply = await postSigned(endpoint, body, { secret: SECRET });
    expect(reply.status).toBe(200);
    await expect.poll(() => fake.callsTo('chat.postMessage').length).toBe(1);
    expect(fake.messages('C0CASH')[0]?.text).toBe('metric cash');
    expect(fake.responses).toMatchObject([{ url: responseUrl, body: { text: 'You asked for cash' } }]);
  });

  it('rejects a bad signature and a stale timestamp with 401', async () => {
    const body = slashCommandBody({ command: '/metric', text: 'cash' });
    expect((await postSigned(endpoint, body, { secret: SECRET, badSignature: true })).status).toBe(401);
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 6 * 60;
    expect((await postSigned(endpoint, body, { secret: SECRET, timestamp: sixMinutesAgo })).status).toBe(401);
    expect(fake.calls).toEqual([]);
  });

  it('routes a global shortcut to views.open with its trigger_id', async () => {
    const body = interactivityBody(globalShortcutPayload('log_activity', { triggerId: '999.888.abc' }));
    expect((await postSigned(endpoint, body, { secret: SECRET, contentType: FORM_CONTENT_TYPE })).status).toBe(200);
    await expect.poll(() => fake.callsTo('views.open').length).toBe(1);
    expect(fake.callsTo('views.open')[0]?.body).toMatchObject({ trigger_id: '999.888.abc', view: { callback_id: 'log_entry' } });
  });

  it('returns a view_submission ack body (response_action errors) as JSON', async () => {
    const values = { value: { amount: { type: 'number_input', value: 'abc' } } };
    const reply = await postSigned(endpoint, interactivityBody(viewSubmissionPayload({ callbackId: 'log_entry', values })), {
      secret: SECRET,
    });
    expect(reply).toMatchObject({ status: 200, json: { response_action: 'errors', errors: { value: 'Enter a number' } } });
    expect(submissions.at(-1)).toEqual(values);
  });

  it('delivers an app_home_opened event_callback sent as JSON', async () => {
    const reply = await postSigned(endpoint, eventBody(appHomeOpenedEvent('U0DANA001')), {
      secret: SECRET,
      contentType: JSON_CONTENT_TYPE,
    });
    expect(reply.status).toBe(200);
    await expect.poll(() => fake.homeView('U0DANA001')).toMatchObject({ type: 'home' });
  });
});
