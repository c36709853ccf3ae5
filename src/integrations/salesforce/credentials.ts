// Salesforce's credentials from the environment: pure env reading, no zod or HTTP, so connection.ts loads cheaply.
import { requiredEnv } from '../env-credentials.js';
import type { Env } from '../source.js';

export interface SalesforceCredentials {
  loginUrl: string;
  clientId: string;
  clientSecret: string;
}

export function credentialsFrom(env: Env): SalesforceCredentials | undefined {
  const set = requiredEnv(env, {
    loginUrl: 'SALESFORCE_LOGIN_URL',
    clientId: 'SALESFORCE_CLIENT_ID',
    clientSecret: 'SALESFORCE_CLIENT_SECRET',
  });
  return set && { ...set, loginUrl: set.loginUrl.replace(/\/+$/, '') };
}
