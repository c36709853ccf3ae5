import { describe, it, expect } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { metricsOf } from '../../src/metrics/catalog.js';
import { isMetricConnected, REFRESH_SOURCES, SOURCES, sourceById } from '../../src/integrations/registry.js';
import { CONNECTION_LOADERS, connectionCheck } from '../../src/integrations/source-loaders.js';

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

/**
 * A plausible value for every env var a source reads, shaped as its credential code expects: URLs where it takes a URL
 * (SimpleFIN's access URL carries user:pass), digits where it checks for digits (Meta and Google Ads account ids).
 */
const PLAUSIBLE: Readonly<Record<string, string>> = {
  HUBSPOT_ACCESS_TOKEN: 'pat-na1-5f0c2e7a-1b3d-4c5e-8f9a-0b1c2d3e4f5a',
  HUBSPOT_BASE_URL: 'https://api.hubapi.com',
  ZENDESK_SUBDOMAIN: 'acme',
  ZENDESK_EMAIL: 'ops@acme.example',
  ZENDESK_API_TOKEN: 'zd-api-7Hq2Lx9Tn4Vb',
  ZENDESK_OAUTH_TOKEN: 'zd-oauth-3Kp8Wm1Rc6Yd',
  ZENDESK_BASE_URL: 'https://acme.zendesk.com',
  INTERCOM_ACCESS_TOKEN: 'dG9rOmFjbWU6MTIzNA==',
  INTERCOM_BASE_URL: 'https://api.eu.intercom.io',
  LIVECHAT_ACCOUNT_ID: '6b2f1c3a-9d4e-4f5a-8b7c-1d2e3f4a5b6c',
  LIVECHAT_PAT: 'dal:Xy7Qw3Er9Ty1',
  LIVECHAT_BASE_URL: 'https://api.livechatinc.com',
  AUTOTASK_USERNAME: 'api-user@acme.example',
  AUTOTASK_SECRET: 's3cr3t*Value',
  AUTOTASK_INTEGRATION_CODE: 'ABCD1234EFGH5678',
  AUTOTASK_BASE_URL: 'https://webservices5.autotask.net/ATServicesRest/',
  BILL_USERNAME: 'finance@acme.example',
  BILL_PASSWORD: 'correct horse battery',
  BILL_ORGANIZATION_ID: '00801ABCDEFGHIJ12345',
  BILL_DEV_KEY: '01ABCDEFGHIJKLMNOPQR',
  BILL_BASE_URL: 'https://gateway.stage.bill.com/connect',
  SMARTLEAD_API_KEY: 'a1b2c3d4-e5f6-7a8b-9c0d-e1f2a3b4c5d6_k9x2',
  SMARTLEAD_BASE_URL: 'https://server.smartlead.ai/api/v1',
  SIMPLEFIN_ACCESS_URL: 'https://user123:pass456@beta-bridge.simplefin.org/simplefin',
  SIMPLEFIN_BASE_URL: 'https://beta-bridge.simplefin.org/simplefin',
  DATTO_BCDR_PUBLIC_KEY: 'pk_7f3a9c2e51d04b8e',
  DATTO_BCDR_SECRET_KEY: 'sk_Q9wEr7Ty2Ui5Op3',
  DATTO_RMM_API_KEY: 'RMMKEY3B7T9Q2W5E8R1Y',
  DATTO_RMM_API_SECRET: 'RMMSECRETx7k2Q9wm4Z0p',
  DATTO_BCDR_BASE_URL: 'https://api.datto.com/v1',
  DATTO_RMM_BASE_URL: 'https://pinotage-api.centrastage.net',
  QBO_CLIENT_ID: 'ABcdEFghIJklMNopQRstUVwxYZ0123456789abcdefGHIJ',
  QBO_CLIENT_SECRET: 'qbo-secret-0123456789abcdef',
  QBO_REFRESH_TOKEN: 'AB11712345678901234567890abcdefghijklmnop',
  QBO_REALM_ID: '9130357993945376',
  QBO_BASE_URL: 'https://sandbox-quickbooks.api.intuit.com',
  QBO_TOKEN_URL: 'https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer',
  JIRA_EMAIL: 'bot@acme.example',
  JIRA_API_TOKEN: 'ATATT3xFfGF0abcdef',
  JIRA_BASE_URL: 'https://acme.atlassian.net',
  SALESFORCE_LOGIN_URL: 'https://acme.my.salesforce.com',
  SALESFORCE_CLIENT_ID: '3MVG9abcdefghijklmnop',
  SALESFORCE_CLIENT_SECRET: 'E0123456789ABCDEF',
  SALESFORCE_BASE_URL: 'https://acme.my.salesforce.com',
  GOOGLE_SERVICE_ACCOUNT_JSON: JSON.stringify({
    type: 'service_account',
    project_id: 'acme-analytics',
    client_email: 'scorecard@acme-analytics.iam.gserviceaccount.com',
    private_key: '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n',
  }),
  BIGQUERY_PROJECT_ID: 'acme-analytics',
  BIGQUERY_LOCATION: 'EU',
  BIGQUERY_BASE_URL: 'https://bigquery.googleapis.com/bigquery/v2',
  BIGQUERY_TOKEN_URL: 'https://oauth2.googleapis.com/token',
  LOOKER_CLIENT_ID: 'lk-client-id-123',
  LOOKER_CLIENT_SECRET: 'lk-client-secret-456',
  LOOKER_BASE_URL: 'https://acme.cloud.looker.com',
  META_ADS_ACCESS_TOKEN: 'EAAGm0PX4ZCpsBAabcdef',
  META_AD_ACCOUNT_ID: 'act_1234567890',
  META_ADS_BASE_URL: 'https://graph.facebook.com',
  GOOGLE_ADS_DEVELOPER_TOKEN: 'abcDEF123ghiJKL456',
  GOOGLE_ADS_CLIENT_ID: '123456789012-abc.apps.googleusercontent.com',
  GOOGLE_ADS_CLIENT_SECRET: 'GOCSPX-abcdef123456',
  GOOGLE_ADS_REFRESH_TOKEN: '1//0gabcdefghijklmnop',
  GOOGLE_ADS_CUSTOMER_ID: '123-456-7890',
  GOOGLE_ADS_LOGIN_CUSTOMER_ID: '987-654-3210',
  GOOGLE_ADS_BASE_URL: 'https://googleads.googleapis.com',
  GOOGLE_ADS_TOKEN_URL: 'https://oauth2.googleapis.com/token',
};

describe('the lazy connection checks', () => {
  it('load, by id, a connection for exactly the sources the registry lists', () => {
    expect(Object.keys(CONNECTION_LOADERS).sort()).toEqual(SOURCES.map((s) => s.id).sort());
  });

  it("agree with each registry source's `configured`: empty, with every var set, and with any one var left out", async () => {
    for (const source of SOURCES) {
      const connection = await CONNECTION_LOADERS[source.id]!();
      const full = Object.fromEntries(source.envVars.map((name) => [name, PLAUSIBLE[name]]));
      for (const name of source.envVars) expect(PLAUSIBLE[name], `a plausible ${name}`).toBeDefined();
      const envs = {
        empty: {},
        full,
        ...Object.fromEntries(source.envVars.map((name) => [`without ${name}`, { ...full, [name]: undefined }])),
      };
      // Every var set is a configured source: else the comparison would only ever see `false`.
      expect(source.configured(full), `${source.id} with every var set`).toBe(true);
      for (const [label, env] of Object.entries(envs)) {
        expect(connection.configured(env), `${source.id}, ${label}`).toBe(source.configured(env));
        for (const m of metricsOf(config).filter((m) => m.source === source.id)) {
          expect(connection.configuredFor?.(env, m) ?? connection.configured(env), `${m.id}, ${label}`).toBe(
            source.configuredFor?.(env, m) ?? source.configured(env),
          );
        }
      }
    }
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
