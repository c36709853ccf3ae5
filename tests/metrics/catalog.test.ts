import { describe, expect, it } from 'vitest';
import { configSchema, type Config } from '../../src/config/schema.js';
import { entryBounds, findMetric, isManual, metricById, metricsOf } from '../../src/metrics/catalog.js';

function metric(name: string, extra: Record<string, unknown> = {}) {
  return {
    name,
    unit: 'count',
    aggregate: 'sum',
    source: 'hubspot',
    definition: `${name}, as counted.`,
    why: 'It matters.',
    calculation: 'A count.',
    ...extra,
  };
}

const config: Config = configSchema.parse({
  org: { name: 'Example Co', timezone: 'America/Chicago' },
  groups: [
    { id: 'inside_sales', name: 'Inside Sales', metrics: ['dials', 'dm_conversations', 'w250_dials'] },
    { id: 'ops', name: 'Reactive Operations', metrics: ['tickets_opened', 'tickets_closed', 'open_tickets'] },
    { id: 'hybrid', name: 'Hybrid Sales', metrics: ['coi_created', 'coi_attended', 'dials'] },
    { id: 'finance', name: 'Finance', metrics: ['cash_position', 'first_response'] },
  ],
  metrics: {
    mqls: metric('MQLs', { aliases: ['marketing qualified leads'] }),
    dials: metric('Dials', { aliases: ['calls', 'outbound calls'] }),
    dm_conversations: metric('Conversations with decision maker', { aliases: ['dm conversations', 'convos'] }),
    w250_dials: metric('W250 dials', { aliases: ['warm 250 dials'] }),
    tickets_opened: metric('Tickets opened', { aliases: ['new tickets'] }),
    tickets_closed: metric('Tickets closed'),
    open_tickets: metric('Open tickets', { aggregate: 'last' }),
    coi_created: metric('COI meetings created', { source: 'manual', entry: { max: 20 } }),
    coi_attended: metric('COI meetings attended', { source: 'manual', entry: { min: 0, max: 50, decimal: true } }),
    cash_position: metric('Cash position', { unit: 'currency', aggregate: 'last', source: 'simplefin', aliases: ['cash', 'bank balance'] }),
    first_response: metric('Average first response', {
      unit: 'hours',
      aggregate: 'ratio',
      source: 'zendesk',
      aliases: ['frt'],
      manual: true,
    }),
  },
});

const ids = (metrics: { id: string }[]) => metrics.map((m) => m.id);

describe('metricsOf and metricById', () => {
  it('lists metrics in group order, each once, then the ones no group lists', () => {
    expect(ids(metricsOf(config))).toEqual([
      'dials',
      'dm_conversations',
      'w250_dials',
      'tickets_opened',
      'tickets_closed',
      'open_tickets',
      'coi_created',
      'coi_attended',
      'cash_position',
      'first_response',
      'mqls',
    ]);
    expect(metricsOf(config)[0]).toMatchObject({ id: 'dials', name: 'Dials', aliases: ['calls', 'outbound calls'] });
  });

  it('looks metrics up by id only', () => {
    expect(metricById(config, 'cash_position')).toMatchObject({ id: 'cash_position', unit: 'currency' });
    expect(metricById(config, 'cash')).toBeUndefined();
    expect(metricById(config, 'constructor')).toBeUndefined();
  });
});

describe('isManual and entryBounds', () => {
  it('knows which metrics take manual entries', () => {
    expect(isManual(metricById(config, 'coi_created')!)).toBe(true);
    expect(isManual(metricById(config, 'first_response')!)).toBe(true);
    expect(isManual(metricById(config, 'dials')!)).toBe(false);
  });

  it('fills entry bounds with defaults', () => {
    expect(entryBounds(metricById(config, 'dials')!)).toEqual({ min: 0, max: 1000, decimal: false });
    expect(entryBounds(metricById(config, 'coi_created')!)).toEqual({ min: 0, max: 20, decimal: false });
    expect(entryBounds(metricById(config, 'coi_attended')!)).toEqual({ min: 0, max: 50, decimal: true });
  });
});

describe('findMetric', () => {
  it.each([
    ['dials', 'dials'],
    ['DIALS', 'dials'],
    ['calls', 'dials'],
    ['cash', 'cash_position'],
    ['Cash Position', 'cash_position'],
    ['cash-position', 'cash_position'],
    ['cash_position', 'cash_position'],
    ['bank', 'cash_position'],
    ['w250 dials', 'w250_dials'],
    ['W250_Dials', 'w250_dials'],
    ['dial', 'dials'],
    ['frt', 'first_response'],
    ['first response', 'first_response'],
    ['average first', 'first_response'],
    ['convos', 'dm_conversations'],
    ['conversations', 'dm_conversations'],
    ['decision maker', 'dm_conversations'],
    ['new tickets', 'tickets_opened'],
    ['open tickets', 'open_tickets'],
    ['mql', 'mqls'],
    ['coi meetings created', 'coi_created'],
  ])('%s → %s', (query, id) => {
    const result = findMetric(config, query);
    expect(result.match?.id).toBe(id);
    expect(result.suggestions).toEqual([]);
  });

  it.each([
    ['dails', 'dials'],
    ['dilas', 'dials'],
    ['cahs position', 'cash_position'],
    ['first respnse', 'first_response'],
    ['ticketz closd', 'tickets_closed'],
    ['coi meetngs atended', 'coi_attended'],
  ])('suggests rather than answers a typo: %s → %s first', (query, id) => {
    const result = findMetric(config, query);
    expect(result.match).toBeUndefined();
    expect(ids(result.suggestions)[0]).toBe(id);
  });

  it('suggests the closest three, nearest first, when a query fits several metrics', () => {
    const tickets = findMetric(config, 'tickets');
    expect(tickets.match).toBeUndefined();
    expect(ids(tickets.suggestions)).toEqual(['tickets_opened', 'tickets_closed', 'open_tickets']);

    const coi = findMetric(config, 'coi meetings');
    expect(coi.match).toBeUndefined();
    expect(ids(coi.suggestions)).toEqual(['coi_created', 'coi_attended']);
  });

  it('suggests for a loose query when one of its words is a small typo, and nothing for nonsense', () => {
    const result = findMetric(config, 'tickts clsoed by team');
    expect(result.match).toBeUndefined();
    expect(ids(result.suggestions)[0]).toBe('tickets_closed');

    for (const nonsense of ['qqqqqqqqqq', 'xyzzy']) expect(findMetric(config, nonsense)).toEqual({ suggestions: [] });
  });

  it('answers an empty query with nothing', () => {
    expect(findMetric(config, '  - ')).toEqual({ suggestions: [] });
  });

  it('does not pick one of two metrics sharing an alias', () => {
    const shared = configSchema.parse({
      ...config,
      metrics: { ...config.metrics, mqls: { ...config.metrics.mqls, aliases: ['calls'] } },
    });
    const result = findMetric(shared, 'calls');
    expect(result.match).toBeUndefined();
    expect(ids(result.suggestions)).toEqual(['dials', 'mqls']);
  });
});
