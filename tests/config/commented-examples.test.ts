import { describe, expect, it } from 'vitest';
import { commentedExampleMetrics } from '../helpers/commented-examples.js';
import { exampleConfig, type ConfigEdit } from '../helpers/source-fixtures.js';

/** Sections of scorecard.example.yml whose metrics ship commented out, because they depend on a customer's fields. */
const SECTIONS = {
  'Jira bugs': 'jira',
  'Customer health: Salesforce': 'salesforce',
  'Warehouse: BigQuery': 'bigquery',
  'Customer health: Looker': 'looker',
  'Ad spend by platform': 'meta_ads or google_ads',
} as const;

describe('commented-out example metrics', () => {
  for (const [title, source] of Object.entries(SECTIONS)) {
    it(`${title}: uncommented into a group, they pass the config and ${source}'s query schema`, () => {
      const examples = commentedExampleMetrics(title);
      expect(Object.keys(examples).length).toBeGreaterThan(0);
      const edits: ConfigEdit[] = Object.entries(examples).map(([id, metric]) => [['metrics', id], metric]);
      edits.push([['groups', 10], { id: 'customer_health', name: 'Customer Health', metrics: Object.keys(examples) }]);
      const config = exampleConfig(edits);
      for (const id of Object.keys(examples)) expect(source.split(' or ')).toContain(config.metrics[id]!.source);
    });
  }
});
