import { readdirSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/**
 * Thread priorities, Linux only: there the nice value belongs to each thread (elsewhere `setPriority` would change
 * the whole process, acks included, so nothing is changed). Acks are the one thing Slack times (3 s) and the bot's
 * main thread must win the CPU whenever the machine is contended; the worker threads lower their own priority, and
 * the bot lowers that of V8's helper threads, which mostly collect the worker threads' garbage.
 */

const LINUX = process.platform === 'linux';

/** Lowers the calling thread's priority to `nice` (never raises it). False when not on Linux or not permitted. */
export function niceThisThread(nice: number): boolean {
  if (!LINUX || nice <= 0) return false;
  try {
    if (getPriority() < nice) setPriority(nice);
    return true;
  } catch {
    // Not permitted in some containers: the work still runs off the ack thread.
    return false;
  }
}

/**
 * Lowers to `nice` the priority of every thread of this process but the main one, as they are now: V8's platform
 * threads (parallel and concurrent garbage collection, background compiles) and libuv's pool if it has started.
 * Call it before starting worker threads, which set their own. Threads already lower are left as they are.
 * Measured under the mixed load (bench/mixed): the helpers took about a quarter of a core at normal priority,
 * nearly all of it the worker threads' collections, competing with the ack thread on equal terms.
 * Returns the number of threads changed.
 */
export function niceHelperThreads(nice: number): number {
  if (!LINUX || nice <= 0) return 0;
  let tasks: string[];
  try {
    tasks = readdirSync('/proc/self/task');
  } catch {
    return 0;
  }
  let changed = 0;
  for (const task of tasks) {
    const threadId = Number(task);
    if (!Number.isInteger(threadId) || threadId === process.pid) continue;
    try {
      // On Linux a thread id is a pid for setpriority(2): this reaches that thread alone.
      if (getPriority(threadId) >= nice) continue;
      setPriority(threadId, nice);
      changed++;
    } catch {
      // Gone meanwhile, or not permitted: leave it.
    }
  }
  return changed;
}
