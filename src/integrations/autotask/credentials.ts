// Autotask's credentials from the environment: pure env reading, no zod or HTTP, so connection.ts loads cheaply.
import type { Env } from '../source.js';

export interface AutotaskCredentials {
  username: string;
  secret: string;
  integrationCode: string;
}

export function credentialsFrom(env: Env): AutotaskCredentials | undefined {
  const username = env.AUTOTASK_USERNAME?.trim();
  const secret = env.AUTOTASK_SECRET?.trim();
  const integrationCode = env.AUTOTASK_INTEGRATION_CODE?.trim();
  return username && secret && integrationCode ? { username, secret, integrationCode } : undefined;
}
