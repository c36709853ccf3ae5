import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import nock from 'nock';
import { claimSetupToken } from '../../../src/integrations/simplefin/index.js';
import { SourceError } from '../../../src/integrations/errors.js';

/** The protocol doc's demo token: base64 of https://bridge.simplefin.org/simplefin/claim/demo. */
const DEMO_TOKEN = 'aHR0cHM6Ly9icmlkZ2Uuc2ltcGxlZmluLm9yZy9zaW1wbGVmaW4vY2xhaW0vZGVtbw==';
const DEMO_ACCESS_URL = 'https://demo:demo@bridge.simplefin.org/simplefin';

beforeEach(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});

afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

async function failure(promise: Promise<unknown>): Promise<SourceError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SourceError);
  return error as SourceError;
}

describe('claimSetupToken', () => {
  it('POSTs an empty body to the decoded claim URL and returns the access URL', async () => {
    const scope = nock('https://bridge.simplefin.org')
      .matchHeader('content-length', '0')
      .post('/simplefin/claim/demo', (body) => body === '' || (typeof body === 'object' && Object.keys(body).length === 0))
      .reply(200, `${DEMO_ACCESS_URL}\n`, { 'Content-Type': 'text/plain' });
    await expect(claimSetupToken(` ${DEMO_TOKEN}\n`)).resolves.toBe(DEMO_ACCESS_URL);
    scope.done();
  });

  it('sends the claim to baseUrl when given', async () => {
    const scope = nock('https://sandbox.example.test').post('/sfin/claim/demo').reply(200, DEMO_ACCESS_URL);
    await expect(claimSetupToken(DEMO_TOKEN, { baseUrl: 'https://sandbox.example.test/sfin/' })).resolves.toBe(DEMO_ACCESS_URL);
    scope.done();
  });

  it('explains a 403 (token used or invalid) without retrying or echoing the token', async () => {
    const scope = nock('https://bridge.simplefin.org').post('/simplefin/claim/demo').reply(403, 'Forbidden');
    const error = await failure(claimSetupToken(DEMO_TOKEN));
    expect(error.errorClass).toBe('auth');
    expect(error.message).toContain('setup token already used or invalid');
    expect(error.message).not.toContain(DEMO_TOKEN);
    expect(error.message).not.toContain('claim/demo');
    scope.done();
  });

  it('rejects text that is not a setup token', async () => {
    const error = await failure(claimSetupToken('not a token!'));
    expect(error.errorClass).toBe('config');
    expect(error.message).toContain('not a SimpleFIN setup token');
    const notUrl = await failure(claimSetupToken(Buffer.from('hello world').toString('base64')));
    expect(notUrl.errorClass).toBe('config');
  });

  it('rejects a claim answer that is not an access URL', async () => {
    nock('https://bridge.simplefin.org').post('/simplefin/claim/demo').reply(200, '<html>oops</html>');
    const error = await failure(claimSetupToken(DEMO_TOKEN));
    expect(error.errorClass).toBe('bad_response');
  });
});
