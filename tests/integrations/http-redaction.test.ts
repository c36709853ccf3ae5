import { memoryLogger } from '../helpers/source-harness.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import nock from 'nock';
import { z } from 'zod';
import { createHttpClient } from '../../src/integrations/http.js';
import { redact, REDACTED } from '../../src/integrations/redact.js';
import { SourceError } from '../../src/integrations/errors.js';

const BASE = 'https://api.example.test';
const BEARER = 'pat-na1-9f8e7d6c-5b4a-3210-fedc-ba9876543210';
const API_KEY = 'k3y_live_abcdef123456';
const PASSWORD = 'hunter2-correct-horse';
const CUSTOM = 'sfin-custom-secret-778899';

function assertClean(text: string) {
  for (const secret of [BEARER, API_KEY, PASSWORD, CUSTOM, Buffer.from(`bob:${PASSWORD}`).toString('base64')]) {
    expect(text).not.toContain(secret);
  }
}

beforeEach(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});

afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe('redact', () => {
  it('removes generic credential shapes', () => {
    expect(redact(`Authorization: Bearer ${BEARER}`)).toBe(`Authorization: ${REDACTED}`);
    expect(redact(`sent bearer ${BEARER} twice`)).toBe(`sent bearer ${REDACTED} twice`);
    expect(redact(`GET /v1/x?api_key=${API_KEY}&limit=5`)).toBe(`GET /v1/x?api_key=${REDACTED}&limit=5`);
    expect(redact('a?apikey=1234abcd&token=zzzz9999&access_token=t0k&key=k9&secret=s3&page=2')).toBe(
      `a?apikey=${REDACTED}&token=${REDACTED}&access_token=${REDACTED}&key=${REDACTED}&secret=${REDACTED}&page=2`,
    );
    expect(redact(`https://bob:${PASSWORD}@beta-bridge.simplefin.org/simplefin/accounts`)).toBe(
      `https://${REDACTED}@beta-bridge.simplefin.org/simplefin/accounts`,
    );
    const basic = Buffer.from(`bob:${PASSWORD}`).toString('base64');
    expect(redact(`Basic ${basic}`)).toBe(`Basic ${REDACTED}`);
    expect(redact('{"client_secret":"abc123","name":"ok"}')).toBe(`{"client_secret":"${REDACTED}","name":"ok"}`);
  });

  it('leaves ordinary prose alone', () => {
    const prose = 'Basic authentication failed: token already used or invalid; see the key results.';
    expect(redact(prose)).toBe(prose);
  });

  it('removes configured secrets in raw, URL-encoded and base64 forms', () => {
    const secret = 'p@ss word/with+chars';
    const text = [
      secret,
      encodeURIComponent(secret),
      Buffer.from(secret).toString('base64'),
      Buffer.from(secret).toString('base64url'),
    ].join(' | ');
    const out = redact(text, [secret]);
    expect(out).toBe([REDACTED, REDACTED, REDACTED, REDACTED].join(' | '));
  });
});

describe('createHttpClient redaction', () => {
  it('keeps a bearer token, an api_key parameter and custom secrets out of errors and logs', async () => {
    const echo = `invalid credentials Bearer ${BEARER} for api_key=${API_KEY} (${CUSTOM})`;
    nock(BASE)
      .get('/v1/things')
      .query({ api_key: API_KEY })
      .reply(500, { message: echo })
      .get('/v1/things')
      .query({ api_key: API_KEY })
      .reply(401, { message: echo });
    const { logger, lines } = memoryLogger();
    const http = createHttpClient({
      source: 'example',
      baseURL: BASE,
      headers: { Authorization: `Bearer ${BEARER}` },
      limits: { default: { max: 10, perMs: 1000 } },
      secrets: [CUSTOM],
      logger,
      sleep: async () => {},
    });
    const error = await http.request({ url: '/v1/things', params: { api_key: API_KEY } }, z.unknown()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    const message = (error as SourceError).message;
    expect(message).toContain('auth');
    expect(message).toContain(`api_key=${REDACTED}`);
    assertClean(message);
    assertClean(JSON.stringify(error));
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const line of lines) assertClean(line);
    expect(http.redact(`x ${CUSTOM} y`)).toBe(`x ${REDACTED} y`);
  });

  it('keeps user:pass from a credentialed URL and Basic auth out of errors and logs', async () => {
    nock(BASE)
      .get('/simplefin/accounts')
      .replyWithError(
        Object.assign(new Error(`connect ECONNREFUSED for https://bob:${PASSWORD}@api.example.test`), { code: 'ECONNREFUSED' }),
      );
    const { logger, lines } = memoryLogger();
    const http = createHttpClient({
      source: 'example',
      baseURL: `https://bob:${PASSWORD}@api.example.test/simplefin`,
      auth: { username: 'bob', password: PASSWORD },
      limits: { default: { max: 10, perMs: 1000 } },
      retry: { maxRetries: 0 },
      logger,
    });
    const error = (await http.request({ url: '/accounts' }, z.unknown()).catch((e: unknown) => e)) as SourceError;
    expect(error).toBeInstanceOf(SourceError);
    expect(error.errorClass).toBe('unavailable');
    expect(error.message).toContain('ECONNREFUSED');
    assertClean(error.message);
    assertClean(String(error.stack));
    expect(lines.length).toBeGreaterThanOrEqual(1);
    for (const line of lines) assertClean(line);
  });
});
