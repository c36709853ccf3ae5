import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockActionsPayload } from '../helpers/slack-requests.js';
import { findElement, startHarness, USERS, type BotHarness } from '../bot/harness.js';
import { startWebHarness, type WebHarness } from './harness.js';

// *Open in browser* on the scorecard and on /metric answers: the button names the page; pressing it sends the presser,
// and only them, a personal one-time link that lands on that page.

let h: WebHarness;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  h = await startWebHarness();
});
afterAll(async () => {
  await h.close();
  nock.enableNetConnect();
});

async function press(value: string, userId: string): Promise<string> {
  const url = h.fake.responseUrl();
  await h.interact(blockActionsPayload([{ action_id: 'open_in_browser', value }], { type: 'message', responseUrl: url }, userId));
  const reply = h.fake.responses.find((r) => r.url === url)!.body;
  expect(reply.response_type).toBe('ephemeral');
  const button = findElement(reply, 'open_web_link')!;
  return button.url as string;
}

describe('Open in browser', () => {
  it('is on /scorecard and on /metric answers, naming the page', async () => {
    const { replies } = await h.command('/scorecard', '2026-W45', { userId: USERS.cfo });
    expect(findElement(replies[0]!.body, 'open_in_browser')?.value).toBe('/scorecard/2026-W45');
    const { replies: metric } = await h.command('/metric', 'dials', { userId: USERS.cfo });
    expect(findElement(metric[0]!.body, 'open_in_browser')?.value).toBe('/metrics/dials');
    h.expectValidSlackTraffic();
  });

  it("sends the presser a link that signs them in and lands on the button's page", async () => {
    const link = await press('/metrics/dials', USERS.rep);
    expect(link).toMatch(/^http:\/\/scorecard\.test\/signin\?token=[\w.-]+&next=%2Fmetrics%2Fdials$/);
    const { searchParams } = new URL(link);
    const signedIn = await h.post('/signin', { token: searchParams.get('token')!, next: searchParams.get('next')! });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe('/metrics/dials');
    h.expectValidSlackTraffic();
  });
});

describe('without PUBLIC_URL and WEB_SESSION_SECRET', () => {
  let plain: BotHarness;
  beforeAll(async () => {
    plain = await startHarness();
  });
  afterAll(() => plain.close());

  it('serves no pages, shows no button, and /scorecard web says how to turn them on', async () => {
    const base = plain.url.replace('/slack/events', '');
    expect((await fetch(`${base}/scorecard`, { redirect: 'manual' })).status).toBe(404);
    const { replies } = await plain.command('/scorecard', '', { userId: USERS.cfo });
    expect(findElement(replies[0]!.body, 'open_in_browser')).toBeUndefined();
    const { replies: web } = await plain.command('/scorecard', 'web', { userId: USERS.cfo });
    expect(web[0]!.body.text).toContain('PUBLIC_URL and WEB_SESSION_SECRET');
  });
});
