import type { CustomRoute } from '@slack/bolt';
import { getRequestListener } from '@hono/node-server';
import { createWebApp, WEB_PATHS } from '../web/app.js';
import { webSettingsOf } from '../web/deps.js';
import { LINK_TTL_MS, signInLink, signLinkToken } from '../web/link-token.js';
import { renderWebLink } from '../slack/web-link.js';
import { renderNotice } from '../slack/metric.js';
import type { SlackMessage } from '../slack/blocks.js';
import type { BotDeps } from './deps.js';

/**
 * Mounts the web pages (src/web) on the bot's HTTP server, next to /healthz, in Socket Mode and HTTP mode alike.
 * Only with PUBLIC_URL and WEB_SESSION_SECRET set; otherwise nothing is mounted and those paths answer 404.
 */
export function webRoutes(deps: BotDeps): CustomRoute[] {
  const { runtime } = deps;
  const settings = webSettingsOf(runtime.env);
  if (!settings) return [];
  const app = createWebApp({
    config: runtime.config,
    store: runtime.store,
    logger: runtime.logger,
    now: () => deps.now(),
    evalContext: (at) => runtime.evalContext(at ?? deps.now()),
    settings,
    entriesChanged: (days) => deps.entriesChanged?.(days),
  });
  const listener = getRequestListener(app.fetch);
  return WEB_PATHS.map((path) => ({
    path,
    method: ['GET', 'POST'],
    handler: (req, res) => {
      void listener(req, res);
    },
  }));
}

/** Whether the pages are served (the *Open in browser* buttons are shown only then). */
export const webEnabled = (deps: BotDeps): boolean => webSettingsOf(deps.runtime.env) !== undefined;

/**
 * `/scorecard web` and *Open in browser*: a personal one-time link for the person asking, to `path` after sign-in.
 * Sent only privately (ephemeral or the action's response_url).
 */
export function webLinkMessage(deps: BotDeps, userId: string, path?: string): SlackMessage {
  const settings = webSettingsOf(deps.runtime.env);
  if (!settings)
    return renderNotice('The scorecard web pages are not set up here: an admin sets PUBLIC_URL and WEB_SESSION_SECRET to turn them on.');
  const url = signInLink(settings.publicUrl, signLinkToken(settings.sessionSecret, userId, deps.now()), path);
  return renderWebLink(url, LINK_TTL_MS / 60_000);
}
