import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { WebClient } from '@slack/web-api';
import { openRuntime, type Runtime } from '../../runtime.js';
import { createSlackClient } from '../../slack/client.js';
import { sendDirectMessage } from '../reply.js';
import { answerAndRespond } from './job.js';
import { renderAndDeliverScorecard } from './scorecard-render.js';
import { renderHomeFor } from './home-render.js';
import { RenderCoalescer } from './coalesce.js';
import type { BlockMessage } from '../../slack/metric.js';
import type { AnswerJob, AnswerWorkerData, AnswerWorkerMessage, AnswerWorkerReply, JobResult } from './types.js';
import { AnswerCache, dataVersionOf } from './cache.js';
import { createBotDeps } from '../create-deps.js';
import type { BotDeps } from '../deps.js';
import { errorMessage } from '../../errors.js';
import { storeEntry } from './entry-writer.js';

/**
 * The `/metric` answer thread, and (more instances) the whole-scorecard and Home render threads. better-sqlite3 reads are synchronous, and an answer takes a few milliseconds of
 * CPU; here they never hold up the thread that acks Slack. On Linux the nice value is per thread, so this thread
 * also yields the CPU to acks when the machine is busy (elsewhere the priority is left alone: it would apply to the
 * whole process).
 */

/** Whole-scorecard renders shared by identical requests made before they began (see coalesce.ts). */
const scorecardRenders = new RenderCoalescer<BlockMessage[]>();

async function runJob(deps: BotDeps, job: AnswerJob): Promise<JobResult> {
  switch (job.kind) {
    case 'metric':
      await answerAndRespond(deps, job.request);
      return {};
    case 'entry':
      return { entry: await storeEntry(deps, job.request) };
    case 'scorecard':
      return { messages: await renderAndDeliverScorecard(deps, job.request, scorecardRenders) };
    case 'home':
      return { view: await renderHomeFor(deps, job.request) };
    case 'dm':
      await sendDirectMessage(slackClient(deps.runtime), job.request.userId, job.request.message);
      return {};
  }
}

let client: WebClient | undefined;

/** This thread's own Web API client (a WebClient can't cross threads), with the bot's quick interactive retries. */
function slackClient(runtime: Runtime): WebClient {
  const { SLACK_BOT_TOKEN: token, SLACK_API_URL: apiUrl } = runtime.env;
  if (!token) throw new Error('SLACK_BOT_TOKEN is not set');
  client ??= createSlackClient({
    token,
    logger: runtime.logger,
    retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 1000 },
    ...(apiUrl ? { apiUrl: apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/` } : {}),
  });
  return client;
}

async function main(data: AnswerWorkerData): Promise<void> {
  if (process.platform === 'linux' && data.nice > 0) {
    try {
      setPriority(data.nice);
    } catch {
      // Not permitted in some containers; the thread still keeps the work off the ack thread.
    }
  }
  const runtime = await openRuntime({ configPath: data.configPath, databaseUrl: data.databaseUrl, env: data.env });
  const answerCache = new AnswerCache(runtime.config, dataVersionOf(runtime.store));
  const port = parentPort!;
  port.on('message', (message: AnswerWorkerMessage | { close: true }) => {
    if ('close' in message) {
      void runtime.close().then(() => port.close());
      return;
    }
    const { id, job } = message;
    const { request } = job;
    const deps = { ...createBotDeps(runtime, () => new Date(request.nowIso)), answerCache };
    if (request.email) deps.learntEmails.set(request.userId, request.email);
    runJob(deps, job).then(
      (result) => port.postMessage({ id, ok: true, ...result } satisfies AnswerWorkerReply),
      (error: unknown) => port.postMessage({ id, ok: false, error: errorMessage(error) } satisfies AnswerWorkerReply),
    );
  });
  port.postMessage({ ready: true } satisfies AnswerWorkerReply);
}

// A failure to start (config, database) rejects here and surfaces as the worker's 'error' event: the bot then
// answers on its own thread.
if (parentPort) void main(workerData as AnswerWorkerData);
