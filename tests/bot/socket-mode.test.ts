import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import nock from 'nock';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { createBotApp, type BotApp } from '../../src/bot/app.js';
import { openRuntime, type Runtime } from '../../src/runtime.js';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.js';
import { removeTempDb, tempDbPath } from '../helpers/tmp-store.js';
import { CONFIG_PATH, NOW } from './harness.js';

/**
 * Socket Mode against a loopback Slack: `apps.connections.open` on the Web API, and a WebSocket speaking the
 * documented envelope protocol (`hello`, envelopes with `envelope_id`, acks, `disconnect`). The bot must reconnect
 * after a `disconnect`, after an abrupt close, and through `apps.connections.open` failures (reset, 503, ok:false),
 * answer a command after each, and print no token anywhere.
 */

const APP_TOKEN = 'xapp-1-A0SCOREAPP-1234567890-socketsecretvalue0123456789';
const BOT_TOKEN = 'xoxb-0000-socket-mode-test-token';

type OpenBehaviour = 'ok' | 'reset' | '503' | 'ok_false';

interface SocketSlack {
  apiUrl: string;
  /** What the next apps.connections.open calls do, in order; then `ok`. */
  failNextOpens(behaviours: OpenBehaviour[]): void;
  opens: OpenBehaviour[];
  /** The next WebSocket the bot opens (after its hello was sent). */
  nextConnection(): Promise<WebSocket>;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** apps.connections.open and the WebSocket here; every other Web API method is passed to the fake Slack. */
async function startSocketSlack(fake: FakeSlack): Promise<SocketSlack> {
  const pending: OpenBehaviour[] = [];
  const opens: OpenBehaviour[] = [];
  const waiting: ((ws: WebSocket) => void)[] = [];
  const arrived: WebSocket[] = [];
  let connection = 0;
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      if (req.url?.endsWith('/apps.connections.open')) {
        const behaviour = pending.shift() ?? 'ok';
        opens.push(behaviour);
        if (req.headers.authorization !== `Bearer ${APP_TOKEN}`) {
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":false,"error":"invalid_auth"}');
        } else if (behaviour === 'reset') {
          req.socket.destroy();
        } else if (behaviour === '503') {
          res.writeHead(503, { 'content-type': 'text/plain' }).end('Service Unavailable');
        } else if (behaviour === 'ok_false') {
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":false,"error":"internal_error"}');
        } else {
          connection += 1;
          const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/link/?ticket=t${connection}&app_id=A0SCOREAPP`;
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, url }));
        }
        return;
      }
      const method = (req.url ?? '').replace(/^\/api\//, '');
      const forwarded = await fetch(`${fake.url}${method}`, {
        method: 'POST',
        headers: {
          'content-type': req.headers['content-type'] ?? 'application/x-www-form-urlencoded',
          ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
        },
        body,
      });
      res.writeHead(forwarded.status, { 'content-type': 'application/json' }).end(await forwarded.text());
    })();
  });
  const wss = new WebSocketServer({ server });
  wss.on('connection', (ws) => {
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: 1,
        debug_info: { host: 'applink-test' },
        connection_info: { app_id: 'A0SCOREAPP' },
      }),
    );
    const next = waiting.shift();
    if (next) next(ws);
    else arrived.push(ws);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`,
    failNextOpens: (behaviours) => void pending.push(...behaviours),
    opens,
    nextConnection: () => {
      const ready = arrived.shift();
      return ready ? Promise.resolve(ready) : new Promise((resolve) => waiting.push(resolve));
    },
    close: () =>
      new Promise((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let fake: FakeSlack;
let slack: SocketSlack;
let runtime: Runtime;
let bot: BotApp;
let dbPath: string;
let output = '';
const rejections: unknown[] = [];
const onRejection = (reason: unknown) => rejections.push(reason);

/** Sends /metric help as a slash_commands envelope; resolves with the ack once the bot has answered the response_url. */
async function command(ws: WebSocket, n: number): Promise<{ ack: Record<string, unknown>; answered: boolean }> {
  const envelopeId = `env-${n}-${Math.random().toString(36).slice(2)}`;
  const responseUrl = fake.responseUrl();
  const ack = new Promise<Record<string, unknown>>((resolve) => {
    const onMessage = (data: Buffer) => {
      const message = JSON.parse(data.toString()) as Record<string, unknown>;
      if (message.envelope_id !== envelopeId) return;
      ws.off('message', onMessage);
      resolve(message);
    };
    ws.on('message', onMessage);
  });
  ws.send(
    JSON.stringify({
      envelope_id: envelopeId,
      type: 'slash_commands',
      accepts_response_payload: true,
      payload: {
        token: 'deprecated-verification-token',
        team_id: 'T111',
        team_domain: 'fake',
        channel_id: 'C0GENERAL1',
        channel_name: 'general',
        user_id: 'W111',
        user_name: 'primary-owner',
        command: '/metric',
        text: 'help',
        api_app_id: 'A0SCOREAPP',
        is_enterprise_install: 'false',
        response_url: responseUrl,
        trigger_id: `trigger-${n}`,
      },
    }),
  );
  const acked = await ack;
  // Bounded: the answer follows the ack within the listener's own work.
  for (let i = 0; i < 200 && !fake.responses.some((r) => r.url === responseUrl); i++) await new Promise((r) => setTimeout(r, 25));
  return { ack: acked, answered: fake.responses.some((r) => r.url === responseUrl) };
}

// SQLite only: this tests the Socket Mode transport (reconnects), where the store is incidental; /metric answers on
// both stores are covered over HTTP in metric-command.test.ts.
beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  process.on('unhandledRejection', onRejection);
  fake = await startFakeSlack();
  slack = await startSocketSlack(fake);
  dbPath = tempDbPath();
  const sink = new Writable({
    write(chunk, _enc, done) {
      output += String(chunk);
      done();
    },
  });
  runtime = await openRuntime({
    configPath: CONFIG_PATH,
    databaseUrl: `sqlite:${dbPath}`,
    env: { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: APP_TOKEN, SLACK_API_URL: slack.apiUrl },
    now: NOW,
    logger: pino({ level: 'debug' }, sink),
  });
  bot = await createBotApp({ runtime, port: 0, answerWorker: false, socketPingTimeoutMs: 200 });
  await bot.app.start();
}, 60_000);

afterAll(async () => {
  await bot?.app.stop().catch(() => undefined);
  await bot?.deps.answerer.close();
  await runtime?.close();
  await slack?.close();
  await fake?.close();
  removeTempDb(dbPath);
  process.off('unhandledRejection', onRejection);
  nock.enableNetConnect();
});

describe('Socket Mode against a loopback Slack', () => {
  it('answers, then reconnects after a disconnect, an abrupt close and failing apps.connections.open calls, answering each time', async () => {
    let ws = await slack.nextConnection();
    let reply = await command(ws, 1);
    expect(reply.ack).toMatchObject({ envelope_id: expect.any(String) });
    expect(reply.answered).toBe(true);

    // Slack recycling the connection: a `disconnect` message, then a fresh connection.
    ws.send(JSON.stringify({ type: 'disconnect', reason: 'refresh_requested', debug_info: { host: 'applink-test' } }));
    ws = await slack.nextConnection();
    reply = await command(ws, 2);
    expect(reply.answered).toBe(true);

    // The network drops the socket without a close frame.
    ws.terminate();
    ws = await slack.nextConnection();
    reply = await command(ws, 3);
    expect(reply.answered).toBe(true);

    // The drop comes while the Web API is failing: resets, a 503, then ok:false, before it answers again.
    slack.failNextOpens(['reset', 'reset', '503', 'ok_false']);
    const opensBefore = slack.opens.length;
    ws.terminate();
    ws = await slack.nextConnection();
    expect(slack.opens.slice(opensBefore)).toEqual(['reset', 'reset', '503', 'ok_false', 'ok']);
    reply = await command(ws, 4);
    expect(reply.answered).toBe(true);

    expect(rejections).toEqual([]);
    for (const secret of [APP_TOKEN, BOT_TOKEN, 'xapp-', 'xoxb-']) expect(output).not.toContain(secret);
    // The failures were seen and logged (message only), not thrown.
    expect(output).toMatch(/Failed to retrieve a new WSS URL/);
  }, 120_000);
});
