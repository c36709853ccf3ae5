import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import type { EvalContext } from '../metrics/context.js';
import type { LocalDay } from '../metrics/types.js';
import type { Store } from '../store/db.js';
import type { OidcSettings } from './slack-oidc.js';

/** What the pages work with; the bot passes its runtime plus the web settings (the runtime satisfies most of it). */
export interface WebDeps {
  config: Config;
  store: Store;
  logger: Logger;
  now(): Date;
  evalContext(now?: Date): EvalContext;
  settings: WebSettings;
  /** Called with the days an entry touched, so an already posted scorecard updates (as after /log). */
  entriesChanged?: (days: LocalDay[]) => void;
}

export interface WebSettings {
  publicUrl: string;
  sessionSecret: string;
  /** *Sign in with Slack*, when SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set. */
  oidc?: OidcSettings;
}

/** Both PUBLIC_URL and WEB_SESSION_SECRET, or nothing: without them the pages are not served. */
export function webSettingsOf(env: {
  PUBLIC_URL?: string | undefined;
  WEB_SESSION_SECRET?: string | undefined;
  SLACK_CLIENT_ID?: string | undefined;
  SLACK_CLIENT_SECRET?: string | undefined;
  SLACK_API_URL?: string | undefined;
}): WebSettings | undefined {
  if (!env.PUBLIC_URL || !env.WEB_SESSION_SECRET) return undefined;
  const oidc =
    env.SLACK_CLIENT_ID && env.SLACK_CLIENT_SECRET
      ? {
          clientId: env.SLACK_CLIENT_ID,
          clientSecret: env.SLACK_CLIENT_SECRET,
          ...(env.SLACK_API_URL ? { apiUrl: env.SLACK_API_URL } : {}),
        }
      : undefined;
  return { publicUrl: env.PUBLIC_URL, sessionSecret: env.WEB_SESSION_SECRET, ...(oidc ? { oidc } : {}) };
}

export const SESSION_TTL_MS = 7 * 86_400_000;
export const SESSION_COOKIE = 'scorecard_session';
