/** The failure classes a source run can end in; source health and `scorecard refresh` show which one. */
export type SourceErrorClass = 'auth' | 'rate_limited' | 'unavailable' | 'bad_response' | 'config';

export class SourceError extends Error {
  override readonly name = 'SourceError';
  constructor(
    readonly errorClass: SourceErrorClass,
    readonly source: string,
    /** Already redacted: never put a credential, token or credentialed URL here. */
    message: string,
    readonly status?: number,
  ) {
    super(`${source}: ${errorClass}: ${message}`);
  }
}

export function isSourceError(error: unknown): error is SourceError {
  return error instanceof SourceError;
}
