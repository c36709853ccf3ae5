import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import nock from 'nock';
import { expect } from 'vitest';

export { fakeSleep, memoryLogger } from './source-harness.js';
import { packageRoot, parseConfigText } from '../../src/config/index.js';
import type { Config } from '../../src/config/schema.js';
import type { DailyDigest } from '../../src/report/daily.js';
import { renderDailyMessage } from '../../src/slack/daily.js';
import type { SlackMessage } from '../../src/slack/blocks.js';
import { assertSlackLimits } from '../../src/slack/limits.js';
import { isMetricConnected, querySchemas, settingsSchemas } from '../../src/integrations/registry.js';
import type { Env } from '../../src/integrations/source.js';
import { periodSettings, type EvalContext } from '../../src/metrics/context.js';

/**
 * Plumbing for the end-to-end digest tests: the shipped example catalog with a few keys switched, a pino logger
 * writing to memory, a retry sleep that returns at once, the evaluation context the runtime builds, and one
 * render-and-check step every digest goes through.
 */

/** One change to the example YAML: the key path and its new value. */
export type ConfigEdit = readonly [path: readonly (string | number)[], value: unknown];

const EXAMPLE = path.join(packageRoot(), 'scorecard.example.yml');

/** `scorecard.example.yml` with `edits` applied, validated like the runtime does (every source's own schemas). */
export function exampleConfig(edits: readonly ConfigEdit[] = []): Config {
  const doc = parseDocument(readFileSync(EXAMPLE, 'utf8'));
  for (const [at, value] of edits) doc.setIn(at, doc.createNode(value));
  const loaded = parseConfigText(doc.toString(), 'scorecard.example.yml (edited for the test)', EXAMPLE, {
    querySchemas: querySchemas(),
    settingsSchemas: settingsSchemas(),
  });
  return loaded.config;
}

/** Edits that point the support digest's metrics at one source, from that source's own `supportDigestQueries`. */
export function supportSourceEdits(
  source: string,
  queries: Record<string, { query: object; aggregate: string; unit: string }>,
): ConfigEdit[] {
  const edits: ConfigEdit[] = [[['support', 'source'], source]];
  for (const [metricId, spec] of Object.entries(queries)) {
    edits.push(
      [['metrics', metricId, 'source'], source],
      [['metrics', metricId, 'query'], spec.query],
      [['metrics', metricId, 'aggregate'], spec.aggregate],
      [['metrics', metricId, 'unit'], spec.unit],
    );
  }
  return edits;
}

/** The context `openRuntime` builds: a source is connected when its credentials are in `env`. */
export function evalContextFor(config: Config, env: Env, now: Date): EvalContext {
  return { config, now, periods: periodSettings(config), isConnected: (metric) => isMetricConnected(metric, env) };
}

/** Renders a daily digest for Slack and checks it: within Block Kit limits, with a non-empty fallback text. `allText` is every text shown. */
export function renderChecked(view: DailyDigest, now: Date): SlackMessage & { allText: string } {
  const message = renderDailyMessage(view, { now });
  assertSlackLimits(message);
  expect(message.text.trim()).not.toBe('');
  return { ...message, allText: [message.text, ...textsOf(message.blocks)].join('\n') };
}

/** Every `text` string in a block tree, as Slack would show it. */
function textsOf(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(textsOf);
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([key, value]) => (key === 'text' && typeof value === 'string' ? [value] : textsOf(value)));
}

/** Items of a digest keyed by metric id. */
export function itemsById(view: DailyDigest): Record<string, DailyDigest['items'][number]> {
  return Object.fromEntries(view.items.map((item) => [item.id, item]));
}

export type ApiReply = [status: number, body: unknown];
export interface ApiCall {
  method: string;
  path: string;
  query: URLSearchParams;
  // biome-ignore lint/suspicious/noExplicitAny: the parsed JSON request body; handlers and assertions read it by the vendor's field names.
  body: any;
}

/** A fake API at the network boundary: every GET and POST to `base` goes to `handler`, and is recorded. */
export function fakeApi(base: string, handler: (call: ApiCall) => ApiReply): ApiCall[] {
  const calls: ApiCall[] = [];
  const record = (method: string) => (uri: string, body: unknown) => {
    const url = new URL(uri, base);
    const call = { method, path: url.pathname, query: url.searchParams, body };
    calls.push(call);
    return handler(call);
  };
  nock(base)
    .persist()
    .get(() => true)
    .reply(record('GET'))
    .post(() => true)
    .reply(record('POST'));
  return calls;
}
