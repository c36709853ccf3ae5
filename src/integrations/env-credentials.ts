import type { Env } from './source.js';

/**
 * A credential set read from the environment: each field's variable, trimmed, or undefined unless every one is set
 * (a source is configured only with its whole set). Env reading only, for the folders' zod-free `credentials.ts`.
 */
export function requiredEnv<Field extends string>(env: Env, variables: Readonly<Record<Field, string>>): Record<Field, string> | undefined {
  const values = {} as Record<Field, string>;
  for (const field of Object.keys(variables) as Field[]) {
    const value = env[variables[field]]?.trim();
    if (!value) return undefined;
    values[field] = value;
  }
  return values;
}
