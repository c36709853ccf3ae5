import { describe, it, expect } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { metricsOf } from '../../src/metrics/catalog.js';
import { isMetricConnected, REFRESH_SOURCES, SOURCES, sourceById } from '../../src/integrations/registry.js';
import { connectionCheck, SOURCE_LOADERS } from '../../src/integrations/source-loaders.js';

const { config } = loadConfig({ env: {} });
const metric = (id: string) => metricsOf(config).find((m) => m.id === id)!;

describe('the source registry', () => {
  it('has a source for every source the example catalog names, and refreshes all but the sample', () => {
    for (const m of metricsOf(config)) {
      if (m.source === 'manual' || m.source === 'derived') continue;
      expect(sourceById(m.source), `${m.id} → ${m.source}`).toBeDefined();
    }
    expect(REFRESH_SOURCES.map((s) => s.id)).not.toContain('sample');
  });

  it('counts manual and derived metrics as connected, and others only with their credentials', () => {
    expect(isMetricConnected(metric('hybrid_networking_events'), {})).toBe(true);
    expect(isMetricConnected(metric('cost_per_mql'), {})).toBe(true);
    expect(isMetricConnected(metric('dials'), {})).toBe(false);
    expect(isMetricConnected(metric('dials'), { HUBSPOT_ACCESS_TOKEN: 'pat-test' })).toBe(true);
  });

  it('judges a source with two credential sets per metric (Datto backups need BCDR keys, patches need RMM keys)', () => {
    const bcdrOnly = { DATTO_BCDR_PUBLIC_KEY: 'pub', DATTO_BCDR_SECRET_KEY: 'sec' };
    expect(isMetricConnected(metric('failed_backups_48h'), bcdrOnly)).toBe(true);
    expect(isMetricConnected(metric('devices_missing_patches'), bcdrOnly)).toBe(false);
    expect(isMetricConnected(metric('devices_missing_patches'), { DATTO_RMM_API_KEY: 'k', DATTO_RMM_API_SECRET: 's' })).toBe(true);
  });
});

describe('the lazy source loaders', () => {
  it('load, by id, exactly the sources the registry lists', async () => {
    expect(Object.keys(SOURCE_LOADERS).sort()).toEqual(SOURCES.map((s) => s.id).sort());
    for (const [id, load] of Object.entries(SOURCE_LOADERS)) expect(await load()).toBe(sourceById(id));
  });

  it('check connections like the registry, for the metrics asked about and no others', async () => {
    const env = { HUBSPOT_ACCESS_TOKEN: 'pat-test' };
    const isConnected = await connectionCheck(env, [metric('dials'), metric('cost_per_mql')]);
    expect(isConnected(metric('dials'))).toBe(true);
    expect(isConnected(metric('cost_per_mql'))).toBe(true);
    expect(isConnected(metric('hybrid_networking_events'))).toBe(true);
    expect(() => isConnected(metric('cash'))).toThrow('source simplefin was not loaded for metric cash');
    const everySource = await connectionCheck(env);
    for (const m of metricsOf(config)) expect(everySource(m), m.id).toBe(isMetricConnected(m, env));
  });
});
