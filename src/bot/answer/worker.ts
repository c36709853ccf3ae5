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
import { niceThisThread } from './thread-priority.js';

/**
 * The `/metric` answer thread, and (more instances) the whole-scorecard and Home render threads. better-sqlite3 reads are synchronous, and an answer takes a few milliseconds of
 * CPU; here they never hold up the thread that acks Slack. On Linux the nice value is per thread, so this thread
 * also yields the CPU to acks when the machine is busy (elsewhere the priority is left alone: it would apply to the
 * whole process).
 */

async function runJob(deps: BotDeps, job: AnswerJob, scorecardRenders: RenderCoalescer<BlockMessage[]>): Promise<JobResult> {
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
  niceThisThread(data.nice);
  const runtime = await openRuntime({ configPath: data.configPath, databaseUrl: data.databaseUrl, env: data.env });
  // This thread's connection only reads (`/log` writes have a thread of their own), as both caches need.
  const answerCache = new AnswerCache(runtime.config, dataVersionOf(runtime.store));
  /** Whole-scorecard renders shared by identical requests, while nothing has been committed (see coalesce.ts). */
  const scorecardRenders = new RenderCoalescer<BlockMessage[]>(Date.now, dataVersionOf(runtime.store));
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
    runJob(deps, job, scorecardRenders).then(
      (result) => port.postMessage({ id, ok: true, ...result } satisfies AnswerWorkerReply),
      (error: unknown) => port.postMessage({ id, ok: false, error: errorMessage(error) } satisfies AnswerWorkerReply),
    );
  });
  port.postMessage({ ready: true } satisfies AnswerWorkerReply);
}

// A failure to start (config, database) rejects here and surfaces as the worker's 'error' event: the bot then
// answers on its own thread.
if (parentPort) void main(workerData as AnswerWorkerData);
