import { SocketModeReceiver, type AppOptions, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from 'pino';

/**
 * Socket Mode with a network of its own. Two things in the libraries make a Web API blip during a reconnect fatal:
 * - Bolt hands the app's `clientOptions` to the socket-mode client, so the interactive policy (2 quick retries)
 *   replaced its long default for `apps.connections.open`;
 * - socket-mode treats a transport error or an HTTP 5xx from `apps.connections.open` as unrecoverable and rethrows
 *   it from its reconnect timer, where nothing awaits it: an unhandled rejection whose dump prints the request,
 *   app token included.
 * Here the socket-mode client gets its own long, capped-backoff retry policy, and once it has connected, a failed
 * reconnect is logged (message only) and retried with its own growing delay, never thrown.
 */

/** apps.connections.open retries: about 1, 2, 4 … capped at 30 s apart, for hours, before the reconnect loop takes over. */
export const SOCKET_CLIENT_RETRY = { retries: 500, factor: 2, minTimeout: 500, maxTimeout: 30_000, randomize: true } as const;

/** The error's message, any Slack token in it masked; never the error object (it can carry the request's headers). */
export function safeErrorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\bxox[a-z]-[A-Za-z0-9-]+|\bxapp-[A-Za-z0-9-]+/g, '[redacted token]').slice(0, 500);
}

interface ReconnectingClient {
  start(): Promise<unknown>;
  delayReconnectAttempt(cb: () => Promise<unknown>): Promise<unknown>;
  on(event: string, listener: () => void): unknown;
}

export function socketReceiver(opts: {
  appToken: string;
  apiUrl?: string;
  logger: BoltLogger;
  customRoutes: AppOptions['customRoutes'];
  port: number;
  log: Logger;
  /** socket-mode's ping timeout, which is also the unit of its reconnect delay (n × it after n failures). */
  clientPingTimeoutMs?: number;
}): SocketModeReceiver {
  const receiver = new SocketModeReceiver({
    appToken: opts.appToken,
    ...(opts.clientPingTimeoutMs !== undefined ? { clientPingTimeout: opts.clientPingTimeoutMs } : {}),
    logger: opts.logger,
    customRoutes: opts.customRoutes ?? [],
    installerOptions: {
      port: opts.port,
      clientOptions: { retryConfig: { ...SOCKET_CLIENT_RETRY }, ...(opts.apiUrl ? { slackApiUrl: opts.apiUrl } : {}) },
    },
  });
  keepReconnecting(receiver.client as unknown as ReconnectingClient, opts.log);
  return receiver;
}

/**
 * socket-mode's close handler calls `this.start` through its reconnect timer and drops the promise: the instance's
 * `start` is replaced so a failure after the first connection schedules another attempt instead of escaping.
 * Before that first connection a failure still rejects `app.start()` (a wrong app token stops `scorecard start`).
 */
function keepReconnecting(client: ReconnectingClient, log: Logger): void {
  const start = client.start.bind(client);
  let connectedOnce = false;
  client.on('connected', () => {
    connectedOnce = true;
  });
  client.start = async () => {
    try {
      return await start();
    } catch (error) {
      if (!connectedOnce) throw error;
      log.warn({ err: safeErrorText(error) }, 'Socket Mode reconnect failed; trying again');
      return client.delayReconnectAttempt(client.start);
    }
  };
}
