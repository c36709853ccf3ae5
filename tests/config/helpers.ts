import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { ConfigError, loadConfig, type LoadConfigOptions } from '../../src/config/index.js';

/** A small valid config; broken variants are made by replacing one snippet, so line numbers stay predictable. */
export const BASE_CONFIG = `org:
  name: Test Co
  timezone: America/Chicago
schedule:
  weekly: "0 8 * * 1"
groups:
  - id: sales
    name: Sales
    metrics: [dials, mrr_closed]
metrics:
  dials:
    name: Dials
    unit: count
    aggregate: sum
    goal: { op: ">=", value: 125 }
    source: manual
    definition: Outbound calls.
    why: Activity predicts pipeline.
    calculation: Count of calls in the week.
  mrr_closed:
    name: MRR closed
    unit: currency
    aggregate: sum
    goal:
      op: ">="
      value: 500
    source: hubspot
    query: { object: deals }
    definition: MRR of deals won.
    why: The outcome.
    calculation: Sum of mrr.
`;

export function replaceOnce(text: string, from: string, to: string): string {
  const index = text.indexOf(from);
  if (index < 0 || text.indexOf(from, index + 1) >= 0) throw new Error(`snippet must occur exactly once: ${from}`);
  return text.slice(0, index) + to + text.slice(index + from.length);
}

/** `line L:C` of the first occurrence of `needle` (plus `offset` characters into it) — how problems report positions. */
export function positionOf(text: string, needle: string, offset = 0): string {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`not found: ${needle}`);
  const before = text.slice(0, index + offset);
  const line = before.split('\n').length;
  const column = index + offset - before.lastIndexOf('\n');
  return `line ${line}:${column}`;
}

export interface TempDir {
  dir: string;
  write(name: string, text: string): string;
  remove(): void;
}

export function makeTempDir(): TempDir {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'scorecard-config-'));
  return {
    dir,
    write(name, text) {
      const file = path.join(dir, name);
      writeFileSync(file, text);
      return file;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Loads `text` as `scorecard.yml` from a temp dir and returns the ConfigError it must throw. */
export function loadError(temp: TempDir, text: string, options: Omit<LoadConfigOptions, 'path' | 'cwd'> = {}): ConfigError {
  temp.write('scorecard.yml', text);
  try {
    loadConfig({ env: {}, ...options, cwd: temp.dir });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected loadConfig to throw a ConfigError');
}
