import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { sqliteAddonPath } from '../../src/store/sqlite-addon.js';

describe("better-sqlite3's addon by path", () => {
  it("is the package's own compiled addon, and opens a database", () => {
    const path = sqliteAddonPath();
    const packageDir = dirname(createRequire(import.meta.url).resolve('better-sqlite3/package.json'));
    expect(path).toBe(join(packageDir, 'build', 'Release', 'better_sqlite3.node'));
    expect(existsSync(path!)).toBe(true);
    const db = new Database(':memory:', { nativeBinding: path });
    try {
      expect(db.prepare('select 40 + 2 as answer').get()).toEqual({ answer: 42 });
    } finally {
      db.close();
    }
  });
});
