import { readdirSync, readFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { describe, expect, it } from 'vitest';
import { niceHelperThreads, niceThisThread } from '../../src/bot/answer/thread-priority.js';

/** A thread's nice value as the kernel reports it (field 19 of /proc/…/stat). */
function niceOf(threadId: number): number {
  const stat = readFileSync(`/proc/self/task/${threadId}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

const threads = () => readdirSync('/proc/self/task').map(Number);

// Each test file runs in a process of its own (vitest's forks pool): lowering its threads touches nothing else.
describe.runIf(process.platform === 'linux')('thread priorities (Linux keeps a nice value per thread)', () => {
  // Relative to where the run started, so the tests hold under `nice npm test` too.
  const base = process.platform === 'linux' ? niceOf(process.pid) : 0;

  it('lowers every helper thread, never the main one, and never raises a thread already lower', () => {
    const helpers = threads().filter((id) => id !== process.pid);
    expect(helpers.length).toBeGreaterThan(0);
    const alreadyLower = helpers[0]!;
    setPriority(alreadyLower, base + 8);

    const changed = niceHelperThreads(base + 5);

    expect(niceOf(process.pid)).toBe(base);
    expect(niceOf(alreadyLower)).toBe(base + 8);
    for (const id of helpers.filter((h) => h !== alreadyLower && threads().includes(h))) expect(niceOf(id)).toBe(base + 5);
    expect(changed).toBeGreaterThan(0);
    expect(changed).toBeLessThan(helpers.length);
    // Done once, nothing is left to change.
    expect(niceHelperThreads(base + 5)).toBe(0);
  });

  it('niceThisThread lowers the calling thread and never raises it', () => {
    expect(niceThisThread(0)).toBe(false);
    expect(niceThisThread(base + 5)).toBe(true);
    expect(niceOf(process.pid)).toBe(base + 5);
    expect(niceThisThread(base + 3)).toBe(true);
    expect(niceOf(process.pid)).toBe(base + 5);
  });
});

describe.runIf(process.platform !== 'linux')('thread priorities elsewhere', () => {
  it('leaves every thread alone: the nice value would apply to the whole process there', () => {
    expect(niceHelperThreads(10)).toBe(0);
    expect(niceThisThread(5)).toBe(false);
  });
});
