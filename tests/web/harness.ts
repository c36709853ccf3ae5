// The real bot (HTTP mode) with the web pages mounted: the bot harness plus PUBLIC_URL and WEB_SESSION_SECRET, and
// helpers to sign in over plain HTTP (fetch on 127.0.0.1) the way a browser does.
import { signInLink, signLinkToken } from '../../src/web/link-token.js';
import { startHarness, type BotHarness } from '../bot/harness.js';

export const WEB_SECRET = 'test-web-session-secret-0123456789abcdef';
/** The pages' origin as configured; the bot listens on a free port, so requests go to `base` instead. */
export const PUBLIC_URL = 'http://scorecard.test';

export interface WebHarness extends BotHarness {
  base: string;
  /** A fresh one-time link token for a user, signed as `/scorecard web` signs it. */
  token(userId: string): string;
  link(userId: string): string;
  /** Signs in over HTTP: returns the session cookie header value and the CSRF token of the session. */
  signIn(userId: string): Promise<{ cookie: string; csrf: string }>;
  get(path: string, cookie?: string): Promise<Response>;
  post(path: string, form: Record<string, string>, cookie?: string, headers?: Record<string, string>): Promise<Response>;
}

export async function startWebHarness(env: Record<string, string> = {}, configPath?: string): Promise<WebHarness> {
  const h = await startHarness({ env: { PUBLIC_URL, WEB_SESSION_SECRET: WEB_SECRET, ...env }, ...(configPath ? { configPath } : {}) });
  const base = `http://127.0.0.1:${h.bot.port}`;
  const get = (path: string, cookie?: string) => fetch(`${base}${path}`, { redirect: 'manual', headers: cookie ? { cookie } : {} });
  const post = (path: string, form: Record<string, string>, cookie?: string, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base, ...(cookie ? { cookie } : {}), ...headers },
      body: new URLSearchParams(form).toString(),
    });
  const token = (userId: string) => signLinkToken(WEB_SECRET, userId, h.clock.now);
  return {
    ...h,
    base,
    token,
    link: (userId) => signInLink(base, token(userId)),
    get,
    post,
    async signIn(userId) {
      const response = await post('/signin', { token: token(userId) });
      if (response.status !== 303) throw new Error(`sign-in failed: ${response.status}`);
      const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0]!;
      const page = await (await get('/scorecard', cookie)).text();
      const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1];
      if (!csrf) throw new Error('no CSRF token on the scorecard page');
      return { cookie, csrf };
    },
  };
}
