import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { openStore, type Store } from '../../src/store/db.js';

/** A database file path inside a fresh directory of its own, so the -wal/-shm side files go away with it. */
export function tempDbPath(): string {
  return join(mkdtempSync(join(tmpdir(), 'scorecard-test-')), 'scorecard.db');
}

/** Removes the directory `tempDbPath()` created (and everything SQLite put next to the file). */
export function removeTempDb(path: string): void {
  rmSync(dirname(path), { recursive: true, force: true });
}

export async function openTempStore(): Promise<{ store: Store; path: string; cleanup(): Promise<void> }> {
  const path = tempDbPath();
  const store = await openStore(`sqlite:${path}`);
  return {
    store,
    path,
    async cleanup() {
      await store.close();
      removeTempDb(path);
    },
  };
}
