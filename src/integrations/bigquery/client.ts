import type { z } from 'zod';
import { isSourceError, SourceError } from '../errors.js';
import { serviceAccountTokens, readServiceAccount, type TokenSource } from '../google-token.js';
import { createHttpClient, limitsFromSettings } from '../http.js';
import type { HttpClient, HttpClientOptions, HttpRequest } from '../http-types.js';
import type { SourceContext } from '../source.js';
import { SOURCE_ID, type QueryParameter } from './map.js';
import { datasetListSchema, googleErrorSchema, queryResponseSchema, type BigQuerySettings, type QueryResponse } from './schemas.js';
import type { BigQueryCredentials } from './credentials.js';

export const DEFAULT_BASE_URL = 'https://bigquery.googleapis.com/bigquery/v2';
const SCOPES = ['https://www.googleapis.com/auth/bigquery'];
/** BigQuery allows 100 concurrent interactive queries and far more API calls; a scorecard needs a handful. */
export const BIGQUERY_LIMITS = { default: { max: 10, perMs: 1000 } };
const MAX_PAGES = 10_000;

export interface BigQueryDeps {
  sleep?: HttpClientOptions['sleep'];
  random?: HttpClientOptions['random'];
}

/** Google's error reasons decide: a bytes-billed or SQL error is the catalog's, quota and rate are limits. */
function classifyWith(settings: BigQuerySettings): NonNullable<HttpClientOptions['classify']> {
  return ({ status, data }) => {
    const parsed = googleErrorSchema.safeParse(data);
    if (!parsed.success) return undefined;
    const reason = parsed.data.error.errors?.[0]?.reason;
    const message = `${reason ? `${reason}: ` : ''}${parsed.data.error.message}`;
    if (reason === 'bytesBilledLimitExceeded') {
      return {
        errorClass: 'config',
        retryable: false,
        message: `${message} (sources.bigquery.maximum_bytes_billed is ${settings.maximum_bytes_billed}: narrow the query, e.g. filter the partition by @from and @to, or raise the limit)`,
      };
    }
    if (reason === 'rateLimitExceeded' || status === 429) return { errorClass: 'rate_limited', retryable: true, message };
    if (reason === 'quotaExceeded') return { errorClass: 'rate_limited', retryable: false, message };
    if (status === 401 || status === 403) return { errorClass: 'auth', retryable: false, message };
    if (status >= 500) return { errorClass: 'unavailable', retryable: true, message };
    return { errorClass: 'config', retryable: false, message };
  };
}

/** `jobs.query` and `jobs.getQueryResults` with a service account's token, renewed once on a 401. */
export class BigQueryApi {
  private http: HttpClient | undefined;
  private readonly tokens: TokenSource;
  private readonly baseURL: string;
  private readonly seenTokens: string[] = [];

  constructor(
    private readonly ctx: SourceContext,
    private readonly credentials: BigQueryCredentials,
    private readonly settings: BigQuerySettings,
    private readonly deps: BigQueryDeps = {},
  ) {
    const account = readServiceAccount(SOURCE_ID, credentials.serviceAccountJson);
    this.tokens = serviceAccountTokens(SOURCE_ID, account, SCOPES, ctx.env.BIGQUERY_TOKEN_URL?.trim() || undefined);
    this.baseURL = `${(ctx.env.BIGQUERY_BASE_URL?.trim() || DEFAULT_BASE_URL).replace(/\/+$/, '')}/`;
    this.seenTokens.push(account.private_key);
  }

  private clientFor(accessToken: string): HttpClient {
    this.seenTokens.push(accessToken);
    return createHttpClient({
      source: SOURCE_ID,
      baseURL: this.baseURL,
      headers: { Authorization: `Bearer ${accessToken}`, Accept: 'application/json' },
      secrets: this.seenTokens,
      classify: classifyWith(this.settings),
      limits: limitsFromSettings(BIGQUERY_LIMITS, this.settings.rate_limit),
      maxConcurrency: 4,
      // A call may wait `wait_ms` for the job server-side before answering.
      timeoutMs: this.settings.wait_ms + 30_000,
      logger: this.ctx.logger,
      stats: this.ctx.stats,
      sleep: this.deps.sleep,
      random: this.deps.random,
    });
  }

  private async send<S extends z.ZodTypeAny>(req: HttpRequest, schema: S): Promise<z.output<S>> {
    this.http ??= this.clientFor(await this.tokens.token());
    try {
      return await this.http.request(req, schema);
    } catch (error) {
      if (!isSourceError(error) || error.status !== 401) throw error;
      this.ctx.logger.info({ source: SOURCE_ID }, 'BigQuery rejected the access token; fetching a new one once');
      this.http = this.clientFor(await this.tokens.renew());
      return this.http.request(req, schema);
    }
  }

  private projectPath(rest: string): string {
    return `projects/${encodeURIComponent(this.credentials.projectId)}/${rest}`;
  }

  /** Runs `sql`, waiting while `jobComplete` is false, then yields each page of rows (first with the schema). */
  async *query(sql: string, parameters: QueryParameter[]): AsyncGenerator<QueryResponse> {
    let response = await this.send(
      {
        method: 'POST',
        url: this.projectPath('queries'),
        data: {
          query: sql,
          useLegacySql: false,
          parameterMode: 'NAMED',
          queryParameters: parameters,
          maximumBytesBilled: String(this.settings.maximum_bytes_billed),
          timeoutMs: this.settings.wait_ms,
          ...(this.credentials.location ? { location: this.credentials.location } : {}),
        },
      },
      queryResponseSchema,
    );
    const job = response.jobReference;
    const results = (pageToken?: string) => {
      if (!job) throw new SourceError('bad_response', SOURCE_ID, 'jobs.query answered without a jobReference');
      return this.send(
        {
          url: this.projectPath(`queries/${encodeURIComponent(job.jobId)}`),
          params: { location: job.location ?? this.credentials.location, timeoutMs: this.settings.wait_ms, pageToken },
        },
        queryResponseSchema,
      );
    };
    for (let waits = 0; !response.jobComplete; waits++) {
      if (waits >= this.settings.max_waits) {
        throw new SourceError('unavailable', SOURCE_ID, `query still running after ${waits} waits of ${this.settings.wait_ms} ms`);
      }
      response = await results();
    }
    const schema = response.schema;
    yield response;
    for (let pages = 1; response.pageToken; pages++) {
      if (pages >= MAX_PAGES) throw new SourceError('bad_response', SOURCE_ID, `results did not end after ${MAX_PAGES} pages`);
      response = await results(response.pageToken);
      yield { ...response, schema: response.schema ?? schema };
    }
  }

  /** `datasets.list` of the project, one page: proves the token and the project (for `doctor`). */
  async datasetCount(): Promise<number> {
    const list = await this.send({ url: this.projectPath('datasets'), params: { maxResults: 50 } }, datasetListSchema);
    return list.datasets?.length ?? 0;
  }
}
