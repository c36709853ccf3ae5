import { App, HTTPReceiver, type AppOptions } from '@slack/bolt';
import type { CoreEnv } from '../config/env.js';
import type { Runtime } from '../runtime.js';
import { boltLogger } from './bolt-logger.js';
import { createEntryWriter, createHomeRenderer, createMetricAnswerer, createScorecardRenderer } from './answer/answerer.js';
import { createBotDeps } from './create-deps.js';
import type { BotDeps } from './deps.js';
import { opsRoutes } from './health.js';
import { guardReceiver } from './http-guard.js';
import { BotMetrics } from './metrics.js';
import { socketReceiver } from './socket-receiver.js';
import { webRoutes } from './web.js';
import { InFlight } from './in-flight.js';
import { registerListeners } from './listeners/index.js';

export type BotMode = 'socket' | 'http';

export interface SlackSettings {
  mode: BotMode;
  botToken: string;
  signingSecret?: string;
  appToken?: string;
  /** Web API base ending in `/` (SLACK_API_URL), else Slack's own. */
  apiUrl?: string;
}

export class BotSetupError extends Error {
  override readonly name = 'BotSetupError';
}

/** Socket Mode when SLACK_APP_TOKEN is set, else HTTP; each mode's required variables, named when missing. */
export function slackSettings(env: CoreEnv): SlackSettings {
  const missing: string[] = [];
  if (!env.SLACK_BOT_TOKEN) missing.push('SLACK_BOT_TOKEN (the xoxb- Bot User OAuth Token)');
  const mode: BotMode = env.SLACK_APP_TOKEN ? 'socket' : 'http';
  if (mode === 'http' && !env.SLACK_SIGNING_SECRET) {
    missing.push('SLACK_SIGNING_SECRET (Basic Information → Signing Secret), or SLACK_APP_TOKEN (xapp-) for Socket Mode');
  }
  if (missing.length > 0 || !env.SLACK_BOT_TOKEN) throw new BotSetupError(`scorecard start needs ${missing.join(' and ')}.`);
  const apiUrl = env.SLACK_API_URL ? (env.SLACK_API_URL.endsWith('/') ? env.SLACK_API_URL : `${env.SLACK_API_URL}/`) : undefined;
  return {
    mode,
    botToken: env.SLACK_BOT_TOKEN,
    ...(env.SLACK_SIGNING_SECRET ? { signingSecret: env.SLACK_SIGNING_SECRET } : {}),
    ...(env.SLACK_APP_TOKEN ? { appToken: env.SLACK_APP_TOKEN } : {}),
    ...(apiUrl ? { apiUrl } : {}),
  };
}

/**
 * Interactive calls (views.open within a trigger's 3 s, respond, publish) must not sit in a retry queue for
 * minutes: two quick retries on network errors, and a 429 fails at once instead of pausing every call.
 */
const INTERACTIVE_CLIENT = {
  retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 1000 },
  rejectRateLimitedCalls: true,
} as const;

const SLACK_ENDPOINTS = ['/slack/events'];

/** Bolt's HTTP receiver behind the guard (http-guard.ts): size and timestamp checks before any body is read. */
function httpReceiver(settings: SlackSettings, customRoutes: AppOptions['customRoutes'], logger: AppOptions['logger']): HTTPReceiver {
  const receiver = new HTTPReceiver({
    signingSecret: settings.signingSecret ?? '',
    endpoints: SLACK_ENDPOINTS,
    customRoutes,
    ...(logger ? { logger } : {}),
    // false (the default): the HTTP 200 goes out at ack(), before the listener's work.
    processBeforeResponse: false,
  });
  guardReceiver(receiver, { endpoints: SLACK_ENDPOINTS });
  return receiver;
}

export interface BotApp {
  app: App;
  deps: BotDeps;
  inFlight: InFlight;
  settings: SlackSettings;
  /** startBot points this at the scheduler's leadership, for /healthz and /metrics. */
  leader: { isLeader(): boolean };
}

export interface CreateBotOptions {
  runtime: Runtime;
  /** HTTP mode: the port of /slack/events and /healthz; Socket Mode: the port of /healthz. */
  port: number;
  /** The clock listeners use (defaults to the runtime's). */
  now?: () => Date;
  settings?: SlackSettings;
  /** Answer /metric on a worker thread when possible (default true); see answerer.ts. */
  answerWorker?: boolean;
  /** Socket Mode's ping timeout (default 5 s), also the step of its reconnect delay; tests shorten it. */
  socketPingTimeoutMs?: number;
}

/** The Bolt app with every listener; `auth.test` runs here, so a wrong token fails before anything listens. */
export async function createBotApp(opts: CreateBotOptions): Promise<BotApp> {
  const { runtime } = opts;
  const settings = opts.settings ?? slackSettings(runtime.env);
  const deps = createBotDeps(runtime, opts.now);
  // Leadership is decided after the app starts (startBot); until then this replica reports itself a follower.
  const leader = { isLeader: () => false };
  deps.metrics = new BotMetrics(runtime.store, () => leader.isLeader(), deps.now);
  const logger = boltLogger(runtime.logger);
  const customRoutes = [
    ...opsRoutes({ store: runtime.store, now: deps.now, isLeader: () => leader.isLeader(), metrics: deps.metrics }),
    ...webRoutes(deps),
  ];
  const common: AppOptions = {
    token: settings.botToken,
    logger,
    clientOptions: { ...INTERACTIVE_CLIENT, ...(settings.apiUrl ? { slackApiUrl: settings.apiUrl } : {}) },
    deferInitialization: true,
    // No listener reads context.conversation; Bolt's default in-memory store would look one up (and build an Error
    // for "not found") on every request before its ack.
    convoStore: false,
  };
  const app = new App(
    settings.mode === 'socket'
      ? {
          ...common,
          receiver: socketReceiver({
            appToken: settings.appToken ?? '',
            logger,
            customRoutes,
            port: opts.port,
            log: runtime.logger,
            ...(opts.socketPingTimeoutMs !== undefined ? { clientPingTimeoutMs: opts.socketPingTimeoutMs } : {}),
            ...(settings.apiUrl ? { apiUrl: settings.apiUrl } : {}),
          }),
        }
      : { ...common, receiver: httpReceiver(settings, customRoutes, logger) },
  );
  await app.init();
  deps.answerer = await createMetricAnswerer(deps, { worker: opts.answerWorker !== false });
  deps.scorecards = await createScorecardRenderer(deps, { worker: opts.answerWorker !== false });
  deps.homes = await createHomeRenderer(deps, { worker: opts.answerWorker !== false });
  deps.entries = await createEntryWriter(deps, { worker: opts.answerWorker !== false });

  // Track each event's processing (receivers call app.processEvent, Bolt's documented entry point) so shutdown
  // can wait for listeners still working after their ack.
  const inFlight = new InFlight();
  deps.track = (work) => inFlight.track(work);
  const processEvent = app.processEvent.bind(app);
  app.processEvent = (event) => inFlight.track(processEvent(event));

  registerListeners(app, deps);
  app.error(async (error) => {
    runtime.logger.error({ err: error.message, code: (error as { code?: string }).code }, 'a Slack listener failed');
  });
  return { app, deps, inFlight, settings, leader };
}
