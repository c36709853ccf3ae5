import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import type { EvalContext } from '../metrics/context.js';
import type { LocalDay } from '../metrics/types.js';
import type { Store } from '../store/db.js';

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
}

/** Both PUBLIC_URL and WEB_SESSION_SECRET, or nothing: without them the pages are not served. */
export function webSettingsOf(env: { PUBLIC_URL?: string | undefined; WEB_SESSION_SECRET?: string | undefined }): WebSettings | undefined {
  if (!env.PUBLIC_URL || !env.WEB_SESSION_SECRET) return undefined;
  return { publicUrl: env.PUBLIC_URL, sessionSecret: env.WEB_SESSION_SECRET };
}

export const SESSION_TTL_MS = 7 * 86_400_000;
export const SESSION_COOKIE = 'scorecard_session';
