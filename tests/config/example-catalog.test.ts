import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, packageRoot, type Goal } from '../../src/config/index.js';

/** The catalog of DESIGN §5: other modules code against these ids, so they are pinned here. */
const { config, metrics } = loadConfig({ path: path.join(packageRoot(), 'scorecard.example.yml'), env: {} });

const EXPECTED: Record<string, { source: string; aggregate: string; goal?: Goal }> = {
  dials: { source: 'hubspot', aggregate: 'sum', goal: { op: '>=', value: 125 } },
  dm_conversations: { source: 'hubspot', aggregate: 'sum', goal: { op: '>=', value: 13 } },
  ftas_set: { source: 'hubspot', aggregate: 'sum', goal: { op: '>=', value: 1 } },
  ftas_attended: { source: 'hubspot', aggregate: 'sum', goal: { op: '>=', value: 1 } },
  outside_coi_attended: { source: 'manual', aggregate: 'sum', goal: { op: '>=', value: 1 } },
  outside_networking_events: { source: 'manual', aggregate: 'sum', goal: { op: '>=', value: 1 } },
  mrr_closed: { source: 'hubspot', aggregate: 'sum', goal: { op: '>=', value: 500 } },
  hybrid_coi_created: { source: 'manual', aggregate: 'sum', goal: { op: '>=', value: 2 } },
  hybrid_coi_attended: { source: 'manual', aggregate: 'sum', goal: { op: '>=', value: 2 } },
  hybrid_networking_events: { source: 'manual', aggregate: 'sum', goal: { op: '>=', value: 3 } },
  w250_dials: { source: 'hubspot', aggregate: 'sum', goal: { op: '>=', value: 25 } },
  w250_conversations: { source: 'hubspot', aggregate: 'sum', goal: { op: '>=', value: 6 } },
  w250_ftas_set: { source: 'hubspot', aggregate: 'sum', goal: { op: '>=', value: 1 } },
  tickets_opened: { source: 'autotask', aggregate: 'sum' },
  tickets_closed: { source: 'autotask', aggregate: 'sum' },
  same_day_close_rate: { source: 'autotask', aggregate: 'ratio', goal: { op: '>=', value: 70 } },
  utilization: { source: 'autotask', aggregate: 'ratio', goal: { op: '>=', value: 60 } },
  mqls: { source: 'hubspot', aggregate: 'sum' },
  ad_spend: { source: 'manual', aggregate: 'sum' },
  cost_per_mql: { source: 'derived', aggregate: 'ratio' },
  cash: { source: 'simplefin', aggregate: 'last', goal: { op: '>=', value: 500000 } },
  bills_pending_approval: { source: 'bill', aggregate: 'last' },
  bills_pending_amount: { source: 'bill', aggregate: 'last' },
  vendors_not_onboarded: { source: 'bill', aggregate: 'last', goal: { op: '<=', value: 0 } },
  bills_missing_w9: { source: 'bill', aggregate: 'last', goal: { op: '<=', value: 0 } },
  revenue: { source: 'quickbooks', aggregate: 'sum' },
  expenses: { source: 'quickbooks', aggregate: 'sum' },
  profit_margin: { source: 'quickbooks', aggregate: 'ratio' },
  lead_queue_runway: { source: 'smartlead', aggregate: 'last', goal: { op: '>=', value: 30 } },
  new_contacts_sequenced: { source: 'smartlead', aggregate: 'sum' },
  open_tickets: { source: 'zendesk', aggregate: 'last' },
  first_response_time: { source: 'zendesk', aggregate: 'ratio', goal: { op: '<=', value: 16 } },
  support_sla_breaches: { source: 'zendesk', aggregate: 'sum', goal: { op: '<=', value: 0 } },
  failed_backups_48h: { source: 'datto', aggregate: 'last', goal: { op: '<=', value: 0 } },
  devices_missing_patches: { source: 'datto', aggregate: 'last', goal: { op: '<=', value: 0 } },
};

describe('scorecard.example.yml catalog', () => {
  it('defines exactly the catalog ids, with DESIGN §5 sources, aggregates and goals', () => {
    expect(metrics.map((metric) => metric.id).sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const metric of metrics) {
      const expected = EXPECTED[metric.id];
      expect({ id: metric.id, source: metric.source, aggregate: metric.aggregate, goal: metric.goal }).toEqual({
        id: metric.id,
        ...expected,
      });
    }
  });

  it('orders the groups as DESIGN §5 does', () => {
    expect(config.groups.map((group) => group.id)).toEqual([
      'inside_sales',
      'outside_sales',
      'hybrid_sales',
      'warm_250',
      'reactive_ops',
      'marketing',
      'finance',
      'supply',
      'support',
      'centralized_services',
    ]);
    expect(config.groups.find((group) => group.id === 'warm_250')?.metrics).toEqual(['w250_dials', 'w250_conversations', 'w250_ftas_set']);
  });

  it('lists the daily digests and makes them daily', () => {
    expect(config.digests.cash).toEqual([
      'cash',
      'bills_pending_approval',
      'bills_pending_amount',
      'vendors_not_onboarded',
      'bills_missing_w9',
    ]);
    expect(config.digests.support).toEqual([
      'open_tickets',
      'first_response_time',
      'tickets_opened',
      'tickets_closed',
      'same_day_close_rate',
      'support_sla_breaches',
    ]);
    for (const id of [...config.digests.cash, ...config.digests.support]) expect(config.metrics[id]?.cadence).toContain('daily');
  });

  it('marks cash sensitive and lets the cash channel see it', () => {
    const cash = config.metrics.cash;
    expect(cash?.sensitive).toBe(true);
    expect(cash?.aliases).toEqual(expect.arrayContaining(['cash position', 'bank']));
    expect(cash?.cadence).toEqual(['daily', 'weekly']);
    expect(config.slack.sensitive_access.channels).toContain(config.slack.channels.cash);
    expect(metrics.filter((metric) => metric.sensitive).map((metric) => metric.id)).toEqual(['cash']);
  });

  it('explains every metric and gives it a role owner, not a person', () => {
    for (const metric of metrics) {
      expect(metric.definition.length, metric.id).toBeGreaterThan(10);
      expect(metric.why.length, metric.id).toBeGreaterThan(10);
      expect(metric.calculation.length, metric.id).toBeGreaterThan(10);
      expect(metric.owner, metric.id).toMatch(/^[a-z-]+@example\.com$/);
      expect(metric.aliases.length, metric.id).toBeGreaterThan(0);
    }
    expect(config.metrics.bills_missing_w9?.caveat).toMatch(/proxy/i);
  });

  it('uses the units DESIGN implies', () => {
    const units = Object.fromEntries(metrics.map((metric) => [metric.id, metric.unit]));
    expect(units).toMatchObject({
      cash: 'currency',
      bills_pending_amount: 'currency',
      mrr_closed: 'currency',
      cost_per_mql: 'currency',
      ad_spend: 'currency',
      same_day_close_rate: 'percent',
      utilization: 'percent',
      profit_margin: 'percent',
      first_response_time: 'hours',
      lead_queue_runway: 'days',
      dials: 'count',
    });
  });
});
