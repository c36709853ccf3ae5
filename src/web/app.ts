import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { consumeLinkNonce, createWebSession, findWebSession, revokeWebSession } from '../store/web-sessions.js';
import { SESSION_COOKIE, SESSION_TTL_MS, type WebDeps } from './deps.js';
import { field, render, sameToken, type WebContext, type WebEnv } from './context.js';
import { DEFAULT_LANDING, safeNext, verifyLinkToken } from './link-token.js';
import { registerSlackSignIn } from './slack-oidc.js';
import { confirmSignInPage, howToSignInPage, messagePage } from './pages/signin.js';
import { AttemptLimiter } from './rate-limit.js';
import { registerFormRoutes } from './routes-forms.js';
import { registerPageRoutes } from './routes-pages.js';
import { STYLESHEET } from './style.js';
import { viewerOf } from './viewer.js';

/**
 * The web pages as a Hono app. Everything but sign-in needs a session: pages answer 302 to /signin without one,
 * the CSV and PDF downloads 401. Every POST must come from our own origin, and a signed-in POST must carry the
 * session's CSRF token. Failed sign-in attempts are limited per client address.
 */

/** The paths the pages answer; the bot mounts exactly these next to /healthz. */
export const WEB_PATHS = [
  '/signin',
  '/signin/slack',
  '/signin/slack/callback',
  '/signout',
  '/scorecard',
  '/scorecard/:period',
  '/metrics/:id',
  '/entries/new',
  '/settings/goals',
  '/export.csv',
  '/assets/scorecard.css',
] as const;

export const SIGNIN_LIMIT = { attempts: 20, windowMs: 10 * 60_000 };

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  // Not no-referrer: with it, browsers send `Origin: null` on form posts, and the origin check needs the real one.
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
};

function clientAddress(c: WebContext): string {
  return c.env?.incoming?.socket?.remoteAddress ?? 'unknown';
}

/** Same-origin POSTs only: the Origin header (sent by every current browser on POST) must be ours. */
function foreignOrigin(c: WebContext, publicUrl: string): boolean {
  const origin = c.req.header('origin');
  if (!origin) return c.req.header('sec-fetch-site') === 'cross-site';
  const host = c.req.header('host');
  const own = new Set([new URL(publicUrl).origin, ...(host ? [`http://${host}`, `https://${host}`] : [])]);
  return !own.has(origin);
}

const isDownload = (path: string) => path === '/export.csv' || path.endsWith('.pdf');

export function createWebApp(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const limiter = new AttemptLimiter(SIGNIN_LIMIT.attempts, SIGNIN_LIMIT.windowMs);
  const secure = deps.settings.publicUrl.startsWith('https:');

  app.use('*', async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(name, value);
    if (!c.res.headers.has('cache-control')) c.res.headers.set('cache-control', 'no-store');
  });
  app.use('*', async (c, next) => {
    if (c.req.method === 'POST' && foreignOrigin(c, deps.settings.publicUrl)) return c.text('Cross-site form posts are refused.', 403);
    return next();
  });

  app.get('/assets/scorecard.css', (c) =>
    c.body(STYLESHEET, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'max-age=3600' }),
  );

  const tooMany = (c: WebContext) =>
    limiter.blocked(clientAddress(c), deps.now().getTime())
      ? render(c, howToSignInPage('Too many failed sign-in attempts from here; wait a few minutes.'), 429)
      : undefined;
  const refuse = (c: WebContext, message: string, status: 400 | 410) => {
    limiter.recordFailure(clientAddress(c), deps.now().getTime());
    return render(c, howToSignInPage(message), status);
  };

  app.get('/signin', async (c) => {
    const token = c.req.query('token');
    if (!token) return render(c, howToSignInPage(undefined, deps.settings.oidc !== undefined));
    const blocked = tooMany(c);
    if (blocked) return blocked;
    const check = verifyLinkToken(deps.settings.sessionSecret, token, deps.now());
    if (!check.ok) return refuse(c, refusal(check.reason), 400);
    return render(c, confirmSignInPage(token, check.claims.userId, safeNext(c.req.query('next'))));
  });

  app.post('/signin', async (c) => {
    const blocked = tooMany(c);
    if (blocked) return blocked;
    const form = await c.req.parseBody();
    const token = field(form, 'token');
    const now = deps.now();
    const check = verifyLinkToken(deps.settings.sessionSecret, token, now);
    if (!check.ok) return refuse(c, refusal(check.reason), 400);
    if (!(await consumeLinkNonce(deps.store, check.claims.nonce, check.claims.userId, now)))
      return refuse(c, 'That link was already used. Each link works once: get a new one with /scorecard web.', 410);
    return startSession(c, check.claims.userId, safeNext(field(form, 'next')), 'link');
  });

  const startSession = async (c: WebContext, userId: string, landing: string, via: 'link' | 'slack') => {
    const session = await createWebSession(deps.store, userId, deps.now(), SESSION_TTL_MS);
    setCookie(c, SESSION_COOKIE, session.id, { httpOnly: true, sameSite: 'Lax', secure, path: '/', maxAge: SESSION_TTL_MS / 1000 });
    deps.logger.info({ user: userId, via }, 'web sign-in');
    return c.redirect(landing, 303);
  };
  const { oidc } = deps.settings;
  if (oidc)
    registerSlackSignIn(
      app,
      deps,
      oidc,
      (c, userId) => startSession(c, userId, DEFAULT_LANDING, 'slack'),
      (c, message) => refuse(c, message, 400),
    );

  // Everything below needs a session.
  app.use('*', async (c, next) => {
    const id = getCookie(c, SESSION_COOKIE) ?? '';
    const session = await findWebSession(deps.store, id, deps.now());
    if (!session) {
      if (isDownload(c.req.path)) return c.text('Sign in first: open a link from /scorecard web in Slack.', 401);
      return c.redirect('/signin', 302);
    }
    c.set('viewer', viewerOf(deps.config, session.user_id, session.csrf_token));
    c.set('sessionId', id);
    if (c.req.method === 'POST') {
      const form = await c.req.parseBody();
      if (!sameToken(field(form, 'csrf'), session.csrf_token))
        return render(
          c,
          messagePage('Form expired', 'This form is out of date or did not come from this site. Reload the page and try again.'),
          403,
        );
    }
    return next();
  });

  app.post('/signout', async (c) => {
    await revokeWebSession(deps.store, c.get('sessionId'), deps.now());
    deleteCookie(c, SESSION_COOKIE, { path: '/', secure });
    return c.redirect('/signin', 303);
  });

  registerPageRoutes(app, deps);
  registerFormRoutes(app, deps);
  app.notFound((c) => render(c, messagePage('Not found', 'There is no page here.'), 404));
  app.onError((error, c) => {
    deps.logger.error({ err: error.message, path: c.req.path }, 'a web page failed');
    return c.text('Something went wrong building this page; it has been logged.', 500);
  });
  return app;
}

function refusal(reason: 'malformed' | 'bad_signature' | 'expired'): string {
  if (reason === 'expired') return 'That link has expired (links work for 10 minutes). Get a new one with /scorecard web.';
  return 'That link is not valid. Get a new one with /scorecard web.';
}
