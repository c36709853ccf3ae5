import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * Names the holder of a digest lease as `host:pid:nonce`, and tells whether such a holder is gone. Only a process on
 * this host can be checked (signal 0 probes without touching it); an owner elsewhere is trusted until its lease ends.
 */

export function newLeaseOwner(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

export function isDeadLocalOwner(owner: string): boolean {
  const parts = owner.split(':');
  parts.pop(); // the nonce
  const pid = Number(parts.pop());
  const host = parts.join(':');
  if (host !== hostname() || !Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
