import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadConfig, packageRoot } from '../../src/config/index.js';
import { BASE_CONFIG, loadError, makeTempDir, positionOf, replaceOnce, type TempDir } from './helpers.js';

/** Stand-ins for what real sources publish: strict schemas with defaults, as the Source contract asks. */
const hubspotQuery = z
  .object({
    object: z.enum(['calls', 'meetings', 'deals', 'contacts']),
    direction: z.enum(['inbound', 'outbound']).optional(),
    limit: z.number().int().positive().default(200),
  })
  .strict();
const hubspotSettings = z.object({ owners: z.array(z.string()).default([]) }).strict();

const querySchemas = { hubspot: hubspotQuery, simplefin: z.object({}).strict() };
const settingsSchemas = { hubspot: hubspotSettings, simplefin: z.object({}).strict() };

let temp: TempDir;
beforeEach(() => {
  temp = makeTempDir();
});
afterEach(() => temp.remove());

describe('source schemas', () => {
  it('fills query and settings defaults from the source schemas', () => {
    const file = temp.write('ok.yml', BASE_CONFIG);
    const { config, metrics } = loadConfig({ path: file, env: {}, querySchemas, settingsSchemas });
    expect(config.metrics.mrr_closed?.query).toEqual({ object: 'deals', limit: 200 });
    expect(metrics.find((metric) => metric.id === 'mrr_closed')?.query).toEqual({ object: 'deals', limit: 200 });
    expect(config.sources.hubspot).toEqual({ owners: [] });
  });

  it('reports an unknown source with the nearest known one', () => {
    const text = replaceOnce(BASE_CONFIG, 'source: hubspot', 'source: hubsopt');
    expect(loadError(temp, text, { querySchemas }).message).toBe(
      `scorecard.yml has 1 problem:\n  metrics.mrr_closed.source (${positionOf(text, 'hubsopt')}): unknown source "hubsopt" — did you mean "hubspot"?`,
    );
  });

  it('lists the known sources when nothing is close', () => {
    const text = replaceOnce(BASE_CONFIG, 'source: hubspot', 'source: salesforce');
    expect(loadError(temp, text, { querySchemas }).message).toContain(
      'unknown source "salesforce" — known sources: manual, derived, sample, hubspot, simplefin',
    );
  });

  it('reports a query value the source rejects, under metrics.<id>.query', () => {
    const text = replaceOnce(BASE_CONFIG, '{ object: deals }', '{ object: deal, limit: 2.5 }');
    const message = loadError(temp, text, { querySchemas }).message;
    expect(message).toContain(
      `metrics.mrr_closed.query.object (${positionOf(text, 'deal,')}): expected one of calls, meetings, deals, contacts — found "deal"`,
    );
    expect(message).toContain('fix: did you mean "deals"?');
    expect(message).toContain(`metrics.mrr_closed.query.limit (${positionOf(text, '2.5')}): expected a whole number — found 2.5`);
  });

  it('reports an unknown query key with the nearest key of the source schema', () => {
    const text = replaceOnce(BASE_CONFIG, '{ object: deals }', '{ object: calls, directon: outbound }');
    expect(loadError(temp, text, { querySchemas }).message).toContain(
      `metrics.mrr_closed.query.directon (${positionOf(text, 'directon')}): unknown key "directon" — did you mean "direction"?`,
    );
  });

  it('reports union-shaped queries against the branch that was meant', () => {
    const unionQuery = z.discriminatedUnion('object', [
      z.object({ object: z.literal('calls'), direction: z.enum(['inbound', 'outbound']) }).strict(),
      z.object({ object: z.literal('deals'), property: z.string() }).strict(),
    ]);
    const plainUnion = z.union([
      z.object({ measure: z.literal('open_tickets') }).strict(),
      z.object({ measure: z.literal('first_reply_time'), time: z.enum(['business', 'calendar']) }).strict(),
    ]);
    const schemas = { querySchemas: { hubspot: unionQuery, manualish: plainUnion } };

    const wrongObject = replaceOnce(BASE_CONFIG, '{ object: deals }', '{ object: deal }');
    const first = loadError(temp, wrongObject, schemas).message;
    expect(first).toContain(
      `metrics.mrr_closed.query.object (${positionOf(wrongObject, 'deal }')}): expected one of calls, deals — found "deal"`,
    );
    expect(first).toContain('fix: did you mean "deals"?');

    const wrongBranchField = replaceOnce(BASE_CONFIG, '{ object: deals }', '{ object: calls, direction: sideways }');
    expect(loadError(temp, wrongBranchField, schemas).message).toContain(
      `metrics.mrr_closed.query.direction (${positionOf(wrongBranchField, 'sideways')}): expected one of inbound, outbound — found "sideways"`,
    );

    const closestBranch = replaceOnce(
      BASE_CONFIG,
      'source: hubspot\n    query: { object: deals }',
      'source: manualish\n    query: { measure: first_reply_time, tyme: business }',
    );
    const message = loadError(temp, closestBranch, schemas).message;
    expect(message).toContain('unknown key "tyme" — did you mean "time"?');
    expect(message).not.toContain('required key "time" is missing');
  });

  it('shows a source refinement message as written, with what was found', () => {
    const autotask = z
      .object({
        queue: z
          .object({ id: z.number().optional(), name: z.string().optional() })
          .strict()
          .refine((q) => q.id !== undefined || q.name !== undefined, 'give the queue id or name'),
      })
      .strict();
    const text = `${BASE_CONFIG}sources:\n  autotask:\n    queue: {}\n`;
    expect(loadError(temp, text, { settingsSchemas: { autotask } }).message).toContain(
      `sources.autotask.queue (${positionOf(text, '{}')}): give the queue id or name — found a mapping`,
    );
  });

  it('rejects a query on a manual metric', () => {
    const text = replaceOnce(BASE_CONFIG, '    source: manual\n', '    source: manual\n    query: { object: calls }\n');
    expect(loadError(temp, text).message).toContain('metrics.dials.query (line 17:5): a manual metric takes no query');
  });

  it('checks sources.<id> against the settings schema and flags unknown source blocks', () => {
    const text = `${BASE_CONFIG}sources:\n  hubspot: { owner: [a@example.com] }\n  hubspott: {}\n`;
    const message = loadError(temp, text, { querySchemas, settingsSchemas }).message;
    expect(message).toContain(`sources.hubspot.owner (${positionOf(text, 'owner:')}): unknown key "owner" — did you mean "owners"?`);
    expect(message).toContain(`sources.hubspott (${positionOf(text, 'hubspott')}): unknown source "hubspott" — did you mean "hubspot"?`);
  });

  it('accepts the example catalog when every source it names is registered', () => {
    const example = path.join(packageRoot(), 'scorecard.example.yml');
    const { metrics } = loadConfig({ path: example, env: {} });
    const anyQuery = z.record(z.string(), z.unknown());
    const registered = Object.fromEntries(
      [...new Set(metrics.map((metric) => metric.source))].filter((id) => id !== 'manual' && id !== 'derived').map((id) => [id, anyQuery]),
    );
    expect(Object.keys(registered).sort()).toEqual([
      'autotask',
      'bill',
      'datto',
      'hubspot',
      'quickbooks',
      'simplefin',
      'smartlead',
      'zendesk',
    ]);
    expect(() => loadConfig({ path: example, env: {}, querySchemas: registered })).not.toThrow();
  });
});
