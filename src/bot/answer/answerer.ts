import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { answerAndRespond } from './job.js';
import { renderAndDeliverScorecard } from './scorecard-render.js';
import { renderHomeFor } from './home-render.js';
import { RenderCoalescer } from './coalesce.js';
import { entryWriterOver, inlineEntryWriter, storeEntry } from './entry-writer.js';
import { sendDirectMessage } from '../reply.js';
import { niceHelperThreads } from './thread-priority.js';
import type { BlockMessage } from '../../slack/metric.js';
import type {
  AnswerJob,
  EntryWriter,
  AnswerWorkerData,
  AnswerWorkerMessage,
  AnswerWorkerReply,
  HomeRenderer,
  JobResult,
  MetricAnswerer,
  ScorecardRenderer,
} from './types.js';
import type { BotDeps } from '../deps.js';

/**
 * Niceness on Linux: acks win when the CPU is contended, `/metric` answers next, scorecard renders last. Nice 10 for
 * answers starved them on a busy shared machine (other processes at nice 0 took the CPU: answer p50 17 s at 200
 * req/s mixed); 5 kept answer p99 under 1 s in the mixed benchmark (bench/mixed).
 */
const ANSWER_THREAD_NICE = 5;
const SCORECARD_THREAD_NICE = 15;
/** A Home visit is one person's, and lighter than a whole scorecard: ahead of scorecards, behind answers. */
const HOME_THREAD_NICE = 10;
/** A `/log` submission waits for its write before its ack (Slack allows 3 s): as urgent as the acks themselves. */
const ENTRY_THREAD_NICE = 0;
/**
 * V8's helper threads (parallel and concurrent collections, background compiles), shared by every thread of the
 * process and busy mostly with the workers' garbage: behind acks and answers. Under the mixed load (bench/mixed)
 * they took a quarter of a core at normal priority; niced, `/metric` acks p99 went from 1.23× the bare app's to 1.00×
 * (one pair of runs).
 */
const HELPER_THREAD_NICE = 10;
/** Set once, before the first worker thread starts (each worker then sets its own). */
let helpersNiced = false;

const at = (request: { nowIso: string }) => () => new Date(request.nowIso);

export function inlineAnswerer(deps: BotDeps): MetricAnswerer {
  return {
    where: 'inline',
    answer: (request) => answerAndRespond({ ...deps, now: at(request) }, request),
    close: async () => undefined,
  };
}

export function inlineScorecardRenderer(deps: BotDeps): ScorecardRenderer {
  const renders = new RenderCoalescer<BlockMessage[]>();
  return {
    where: 'inline',
    render: (request) => renderAndDeliverScorecard({ ...deps, now: at(request) }, request, renders),
    close: async () => undefined,
  };
}

export function inlineHomeRenderer(deps: BotDeps): HomeRenderer {
  return {
    where: 'inline',
    render: (request) => renderHomeFor({ ...deps, now: at(request) }, request),
    sendDirectMessage: async (client, userId, message) => {
      await sendDirectMessage(client, userId, message);
    },
    close: async () => undefined,
  };
}

/** The compiled worker beside this module; none when running from TypeScript sources (tests). */
function compiledWorkerFile(): string | undefined {
  if (!import.meta.url.endsWith('.js')) return undefined;
  const path = fileURLToPath(new URL('./worker.js', import.meta.url));
  return existsSync(path) ? path : undefined;
}

interface JobThread {
  run(job: AnswerJob): Promise<JobResult>;
  isAlive(): boolean;
  close(): Promise<void>;
}

/** Starts one worker thread; undefined when a worker can't be used or fails to start (callers then work inline). */
async function startJobThread(
  deps: BotDeps,
  opts: { worker?: boolean; workerFile?: string },
  nice: number,
  name: string,
): Promise<JobThread | undefined> {
  const { runtime } = deps;
  const file = opts.workerFile ?? compiledWorkerFile();
  const location = runtime.store.location;
  if (opts.worker === false || !file || location === ':memory:') return undefined;
  if (!helpersNiced) {
    helpersNiced = true;
    niceHelperThreads(HELPER_THREAD_NICE);
  }

  const data: AnswerWorkerData = {
    configPath: runtime.configPath,
    // The store's own URL: a SQLite file, or the same Postgres database (the thread opens a small pool of its own).
    databaseUrl: runtime.store.url,
    env: { ...runtime.rawEnv },
    nice,
  };
  const worker = new Worker(file, { workerData: data });
  const pending = new Map<number, { resolve: (result: JobResult) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  let alive = true;

  const failAll = (error: Error) => {
    alive = false;
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };
  const ready = new Promise<boolean>((resolve) => {
    worker.on('message', (reply: AnswerWorkerReply) => {
      if ('ready' in reply) return resolve(true);
      const waiting = pending.get(reply.id);
      if (!waiting) return;
      pending.delete(reply.id);
      if (reply.ok) waiting.resolve(reply);
      else waiting.reject(new Error(reply.error));
    });
    worker.on('error', (error) => {
      runtime.logger.error({ err: error.message }, `the ${name} thread failed; working on the main thread`);
      failAll(error);
      resolve(false);
    });
    worker.on('exit', () => {
      failAll(new Error(`the ${name} thread exited`));
      resolve(false);
    });
  });
  if (!(await ready)) return undefined;

  return {
    isAlive: () => alive,
    run(job) {
      const id = ++nextId;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, job } satisfies AnswerWorkerMessage);
      });
    },
    async close() {
      if (!alive) return;
      alive = false;
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage({ close: true });
      const timer = setTimeout(() => void worker.terminate(), 2_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export async function createMetricAnswerer(deps: BotDeps, opts: { worker?: boolean; workerFile?: string } = {}): Promise<MetricAnswerer> {
  const fallback = inlineAnswerer(deps);
  const thread = await startJobThread(deps, opts, ANSWER_THREAD_NICE, '/metric answer');
  if (!thread) return fallback;
  return {
    where: 'worker',
    answer: async (request) => {
      if (!thread.isAlive()) return fallback.answer(request);
      await thread.run({ kind: 'metric', request });
    },
    close: () => thread.close(),
  };
}

export async function createScorecardRenderer(
  deps: BotDeps,
  opts: { worker?: boolean; workerFile?: string } = {},
): Promise<ScorecardRenderer> {
  const fallback = inlineScorecardRenderer(deps);
  const thread = await startJobThread(deps, opts, SCORECARD_THREAD_NICE, 'scorecard render');
  if (!thread) return fallback;
  return {
    where: 'worker',
    render: async (request) => {
      if (!thread.isAlive()) return fallback.render(request);
      return (await thread.run({ kind: 'scorecard', request })).messages ?? [];
    },
    close: () => thread.close(),
  };
}

export async function createHomeRenderer(deps: BotDeps, opts: { worker?: boolean; workerFile?: string } = {}): Promise<HomeRenderer> {
  const fallback = inlineHomeRenderer(deps);
  const thread = await startJobThread(deps, opts, HOME_THREAD_NICE, 'Home render');
  if (!thread) return fallback;
  return {
    where: 'worker',
    render: async (request) => {
      if (!thread.isAlive()) return fallback.render(request);
      const { view } = await thread.run({ kind: 'home', request });
      if (!view) throw new Error('the Home thread answered without a view');
      return view;
    },
    sendDirectMessage: async (client, userId, message) => {
      if (!thread.isAlive()) return fallback.sendDirectMessage(client, userId, message);
      await thread.run({ kind: 'dm', request: { userId, nowIso: deps.now().toISOString(), message } });
    },
    close: () => thread.close(),
  };
}

/**
 * `/log` submissions checked and stored on a thread of their own (its connection writes; the answer thread's only
 * reads, which its answer cache relies on), so a write's few milliseconds never delay other requests' acks.
 */
export async function createEntryWriter(deps: BotDeps, opts: { worker?: boolean; workerFile?: string } = {}): Promise<EntryWriter> {
  const thread = await startJobThread(deps, opts, ENTRY_THREAD_NICE, 'entry write');
  if (!thread) return inlineEntryWriter(deps);
  return entryWriterOver(
    deps,
    'worker',
    async (request) => {
      if (!thread.isAlive()) return storeEntry(deps, request);
      const { entry } = await thread.run({ kind: 'entry', request }).catch(() => ({ entry: undefined }));
      if (entry) return entry;
      // The thread died mid-job, before or after its write. A new entry's idempotency key is its view id, so
      // storing it here keeps one entry either way; an edit is not repeated (it might be applied twice).
      if (request.mode.kind === 'new') return storeEntry(deps, request);
      return { ok: 'failed', error: 'the entry thread stopped during the write', database: false };
    },
    () => thread.close(),
  );
}
