import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { openRuntime, type Runtime } from '../../src/runtime.js';
import { createWebApp } from '../../src/web/app.js';
import { signLinkToken } from '../../src/web/link-token.js';
import { CONFIG_PATH, NOW } from '../bot/harness.js';
import { removeTempDb, tempDbPath } from '../helpers/tmp-store.js';

// Behind https (PUBLIC_URL https://…) the session cookie is Secure; the app answered directly through Hono's fetch API.

const SECRET = 'cookie-test-secret-0123456789abcdef0';
const paths: string[] = [];
const runtimes: Runtime[] = [];
afterEach(async () => {
  for (const rt of runtimes.splice(0)) await rt.close();
  for (const path of paths.splice(0)) removeTempDb(path);
});

describe('the session cookie', () => {
  it('is Secure when PUBLIC_URL is https', async () => {
    const path = tempDbPath();
    paths.push(path);
    const rt = await openRuntime({
      configPath: CONFIG_PATH,
      databaseUrl: `sqlite:${path}`,
      env: {},
      now: NOW,
      logger: pino({ level: 'silent' }),
    });
    runtimes.push(rt);
    const app = createWebApp({ ...rt, settings: { publicUrl: 'https://scorecard.example.com', sessionSecret: SECRET } });
    const response = await app.request('https://scorecard.example.com/signin', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://scorecard.example.com' },
      body: new URLSearchParams({ token: signLinkToken(SECRET, 'U0ADMIN001', NOW) }).toString(),
    });
    expect(response.status).toBe(303);
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toContain('Secure');
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
  });
});
