import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { answerAndRespond } from './job.js';
import type { AnswerWorkerData, AnswerWorkerMessage, AnswerWorkerReply, MetricAnswerer } from './types.js';
import type { BotDeps } from '../deps.js';

/** Niceness of the answer thread on Linux: acks win when the CPU is contended, answers use what is left. */
const ANSWER_THREAD_NICE = 10;

export function inlineAnswerer(deps: BotDeps): MetricAnswerer {
  return {
    where: 'inline',
    answer: (request) => answerAndRespond({ ...deps, now: () => new Date(request.nowIso) }, request),
    close: async () => undefined,
  };
}

/** The compiled worker beside this module; none when running from TypeScript sources (tests). */
function compiledWorkerFile(): string | undefined {
  if (!import.meta.url.endsWith('.js')) return undefined;
  const path = fileURLToPath(new URL('./worker.js', import.meta.url));
  return existsSync(path) ? path : undefined;
}

/** Starts the answer thread; resolves to the inline answerer when a worker can't be used or fails to start. */
export async function createMetricAnswerer(deps: BotDeps, opts: { worker?: boolean; workerFile?: string } = {}): Promise<MetricAnswerer> {
  const { runtime } = deps;
  const file = opts.workerFile ?? compiledWorkerFile();
  const location = runtime.store.location;
  if (opts.worker === false || !file || location === ':memory:') return inlineAnswerer(deps);

  const data: AnswerWorkerData = {
    configPath: runtime.configPath,
    // The store's own URL: a SQLite file, or the same Postgres database (the thread opens a small pool of its own).
    databaseUrl: runtime.store.url,
    env: { ...runtime.rawEnv },
    nice: ANSWER_THREAD_NICE,
  };
  const worker = new Worker(file, { workerData: data });
  const pending = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  let nextId = 0;
  let alive = true;
  const fallback = inlineAnswerer(deps);

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
      if (reply.ok) waiting.resolve();
      else waiting.reject(new Error(reply.error));
    });
    worker.on('error', (error) => {
      runtime.logger.error({ err: error.message }, 'the /metric answer thread failed; answering on the main thread');
      failAll(error);
      resolve(false);
    });
    worker.on('exit', () => {
      failAll(new Error('the /metric answer thread exited'));
      resolve(false);
    });
  });
  if (!(await ready)) return fallback;

  return {
    where: 'worker',
    answer(request) {
      if (!alive) return fallback.answer(request);
      const id = ++nextId;
      return new Promise<void>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, request } satisfies AnswerWorkerMessage);
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
