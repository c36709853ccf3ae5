import { createHmac, randomBytes } from 'node:crypto';
import { WebClient } from '@slack/web-api';
import type { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import type { WebContext, WebEnv } from './context.js';
import type { WebDeps } from './deps.js';

/**
 * Optional *Sign in with Slack* (OpenID Connect), when SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set. The state and
 * nonce travel in a short-lived HMAC-signed cookie; the code is exchanged server to server (openid.connect.token), the
 * id_token's nonce must match, and the Slack user id comes from openid.connect.userInfo. Then it is the same session
 * as a one-time link gives.
 */

export const OIDC_COOKIE = 'scorecard_oidc';
const OIDC_TTL_S = 600;
const AUTHORIZE_URL = 'https://slack.com/openid/connect/authorize';

const tokenSchema = z.object({ ok: z.literal(true), access_token: z.string().min(1), id_token: z.string().min(1) });
const userInfoSchema = z.object({ ok: z.literal(true), 'https://slack.com/user_id': z.string().min(1) });
const idTokenClaims = z.object({ nonce: z.string().optional() });

export interface OidcSettings {
  clientId: string;
  clientSecret: string;
  /** SLACK_API_URL, for the Web API calls (a fake in tests). */
  apiUrl?: string;
}

const sign = (secret: string, value: string) => createHmac('sha256', secret).update(`oidc:${value}`).digest('base64url');

function callbackUrl(publicUrl: string): string {
  return `${publicUrl.replace(/\/$/, '')}/signin/slack/callback`;
}

/** The nonce inside an id_token received directly from Slack over TLS (OIDC Core 3.1.3.7: no signature check needed). */
function nonceOf(idToken: string): string | undefined {
  const payload = idToken.split('.')[1];
  if (!payload) return undefined;
  try {
    const parsed = idTokenClaims.safeParse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data.nonce : undefined;
  } catch {
    return undefined;
  }
}

export function registerSlackSignIn(
  app: Hono<WebEnv>,
  deps: WebDeps,
  oidc: OidcSettings,
  signIn: (c: WebContext, userId: string) => Promise<Response>,
  refuse: (c: WebContext, message: string) => Promise<Response>,
): void {
  const secure = deps.settings.publicUrl.startsWith('https:');

  app.get('/signin/slack', (c) => {
    const state = randomBytes(16).toString('base64url');
    const nonce = randomBytes(16).toString('base64url');
    setCookie(c, OIDC_COOKIE, `${state}.${nonce}.${sign(deps.settings.sessionSecret, `${state}.${nonce}`)}`, {
      httpOnly: true,
      sameSite: 'Lax',
      secure,
      path: '/signin/slack',
      maxAge: OIDC_TTL_S,
    });
    const url = new URL(AUTHORIZE_URL);
    url.search = new URLSearchParams({
      response_type: 'code',
      scope: 'openid',
      client_id: oidc.clientId,
      state,
      nonce,
      redirect_uri: callbackUrl(deps.settings.publicUrl),
    }).toString();
    return c.redirect(url.toString(), 302);
  });

  app.get('/signin/slack/callback', async (c) => {
    const [state, nonce, mac] = (getCookie(c, OIDC_COOKIE) ?? '').split('.');
    deleteCookie(c, OIDC_COOKIE, { path: '/signin/slack', secure });
    const code = c.req.query('code');
    if (!state || !nonce || mac !== sign(deps.settings.sessionSecret, `${state}.${nonce}`) || c.req.query('state') !== state || !code)
      return refuse(c, 'That Slack sign-in did not start here or took too long. Try again.');
    const client = new WebClient(undefined, oidc.apiUrl ? { slackApiUrl: oidc.apiUrl } : {});
    try {
      const token = tokenSchema.parse(
        await client.openid.connect.token({
          client_id: oidc.clientId,
          client_secret: oidc.clientSecret,
          code,
          redirect_uri: callbackUrl(deps.settings.publicUrl),
        }),
      );
      if (nonceOf(token.id_token) !== nonce) return refuse(c, 'That Slack sign-in could not be verified. Try again.');
      const info = userInfoSchema.parse(await client.openid.connect.userInfo({ token: token.access_token }));
      return signIn(c, info['https://slack.com/user_id']);
    } catch (error) {
      // The Slack error code only (invalid_code, …): never the client secret or the code.
      deps.logger.warn({ err: (error as { data?: { error?: string } }).data?.error ?? (error as Error).name }, 'Sign in with Slack failed');
      return refuse(c, 'Slack did not confirm the sign-in. Try again, or use /scorecard web.');
    }
  });
}
