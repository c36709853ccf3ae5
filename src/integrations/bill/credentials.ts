// BILL's credentials from the environment: pure env reading, no zod or HTTP, so connection.ts loads cheaply.
import type { Env } from '../source.js';

export interface BillCredentials {
  username: string;
  password: string;
  organizationId: string;
  devKey: string;
}

export function credentialsFrom(env: Env): BillCredentials | undefined {
  const username = env.BILL_USERNAME?.trim();
  const password = env.BILL_PASSWORD;
  const organizationId = env.BILL_ORGANIZATION_ID?.trim();
  const devKey = env.BILL_DEV_KEY?.trim();
  return username && password && organizationId && devKey ? { username, password, organizationId, devKey } : undefined;
}
