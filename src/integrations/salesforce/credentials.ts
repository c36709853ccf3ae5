// Salesforce's credentials from the environment: pure env reading, no zod or HTTP, so connection.ts loads cheaply.
import type { Env } from '../source.js';

export interface SalesforceCredentials {
  loginUrl: string;
  clientId: string;
  clientSecret: string;
}

export function credentialsFrom(env: Env): SalesforceCredentials | undefined {
  const loginUrl = env.SALESFORCE_LOGIN_URL?.trim();
  const clientId = env.SALESFORCE_CLIENT_ID?.trim();
  const clientSecret = env.SALESFORCE_CLIENT_SECRET?.trim();
  return loginUrl && clientId && clientSecret ? { loginUrl: loginUrl.replace(/\/+$/, ''), clientId, clientSecret } : undefined;
}
