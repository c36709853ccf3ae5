import type { CustomRoute } from '@slack/bolt';
import { getRequestListener } from '@hono/node-server';
import { createWebApp, WEB_PATHS } from '../web/app.js';
import { webSettingsOf } from '../web/deps.js';
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
