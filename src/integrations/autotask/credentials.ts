// Autotask's credentials from the environment: pure env reading, no zod or HTTP, so connection.ts loads cheaply.
import { requiredEnv } from '../env-credentials.js';
import type { Env } from '../source.js';

export interface AutotaskCredentials {
  username: string;
  secret: string;
  integrationCode: string;
}

export function credentialsFrom(env: Env): AutotaskCredentials | undefined {
  return requiredEnv(env, { username: 'AUTOTASK_USERNAME', secret: 'AUTOTASK_SECRET', integrationCode: 'AUTOTASK_INTEGRATION_CODE' });
}
