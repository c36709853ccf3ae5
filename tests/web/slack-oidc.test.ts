import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { USERS } from '../bot/harness.js';
import { startWebHarness, type WebHarness } from './harness.js';

// Sign in with Slack (OpenID Connect): the redirect to Slack, then the callback exchanging the code server to server.
// Slack's two Web API answers are intercepted with nock, shaped like the examples on docs.slack.dev
// (openid.connect.token: ok, access_token, token_type, id_token; openid.connect.userInfo: ok, sub, https://slack.com/user_id, …).

const CLIENT_ID = '2141029472.691202649728';
const CLIENT_SECRET = 'e1b9e11dfcd19c1982d5de12921e17e8c';
let h: WebHarness;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  h = await startWebHarness({ SLACK_CLIENT_ID: CLIENT_ID, SLACK_CLIENT_SECRET: CLIENT_SECRET });
});
afterAll(async () => {
  nock.cleanAll();
  await h.close();
  nock.enableNetConnect();
});

const idToken = (nonce: string) =>
  [
    'eyJhbGciOiJSUzI1NiJ9',
    Buffer.from(JSON.stringify({ iss: 'https://slack.com', sub: USERS.cfo, nonce })).toString('base64url'),
    'sig',
  ].join('.');

async function start(): Promise<{ state: string; nonce: string; cookie: string }> {
  const response = await h.get('/signin/slack');
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get('location')!);
  expect(location.origin + location.pathname).toBe('https://slack.com/openid/connect/authorize');
  expect(location.searchParams.get('client_id')).toBe(CLIENT_ID);
  expect(location.searchParams.get('redirect_uri')).toBe('http://scorecard.test/signin/slack/callback');
  expect(location.searchParams.get('scope')).toBe('openid');
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0]!;
  expect(cookie).toMatch(/^scorecard_oidc=/);
  return { state: location.searchParams.get('state')!, nonce: location.searchParams.get('nonce')!, cookie };
}

function slackAnswers(nonce: string, userId: string) {
  const api = nock(h.fake.origin);
  api
    .post('/api/openid.connect.token', (body: Record<string, string>) => body.code === 'the-code' && body.client_secret === CLIENT_SECRET)
    .reply(200, { ok: true, access_token: 'xoxp-1234', token_type: 'Bearer', id_token: idToken(nonce) });
  api.post('/api/openid.connect.userInfo').reply(200, {
    ok: true,
    sub: userId,
    'https://slack.com/user_id': userId,
    'https://slack.com/team_id': 'T0001',
    email: 'cfo@example.com',
    email_verified: true,
  });
  return api;
}

describe('Sign in with Slack', () => {
  it('is offered on the sign-in page, and signs the Slack user in after the callback', async () => {
    expect(await (await h.get('/signin')).text()).toContain('href="/signin/slack"');
    const { state, nonce, cookie } = await start();
    const api = slackAnswers(nonce, USERS.cfo);
    const callback = await h.get(`/signin/slack/callback?code=the-code&state=${state}`, cookie);
    expect(callback.status).toBe(303);
    expect(api.isDone()).toBe(true);
    const session = (callback.headers.get('set-cookie') ?? '').match(/scorecard_session=[^;]+/)?.[0];
    expect(session).toBeDefined();
    const page = await (await h.get('/scorecard', session)).text();
    expect(page).toContain(`Sign out (${USERS.cfo})`);
    expect(page).toContain('Cash position');
  });

  it('refuses a callback whose state does not match, or without the cookie, and calls Slack for nothing', async () => {
    const { cookie } = await start();
    expect((await h.get('/signin/slack/callback?code=the-code&state=forged', cookie)).status).toBe(400);
    const { state } = await start();
    expect((await h.get(`/signin/slack/callback?code=the-code&state=${state}`)).status).toBe(400);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('refuses an id_token whose nonce is not the one sent', async () => {
    const { state, cookie } = await start();
    slackAnswers('another-nonce', USERS.cfo);
    const callback = await h.get(`/signin/slack/callback?code=the-code&state=${state}`, cookie);
    expect(callback.status).toBe(400);
    expect(callback.headers.get('set-cookie') ?? '').not.toContain('scorecard_session=');
    nock.cleanAll();
  });
});
