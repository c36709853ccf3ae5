import { beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/db.js';
import {
  finishSourceRun,
  getSourceHealth,
  lastSourceRuns,
  markSourceAlerted,
  recordSourceFailure,
  recordSourceSuccess,
  startSourceRun,
} from '../../src/store/source-health.js';
import { storeKinds, useTempStore } from '../helpers/tmp-store.js';

const at = (hour: number) => new Date(Date.UTC(2026, 10, 16, hour));

describe.each(storeKinds())('source health (%s)', (kind) => {
  const temp = useTempStore(kind);
  let store: Store;
  beforeEach(() => {
    store = temp.store;
  });

  it('counts consecutive failures, alerts once, and reports the recovery once', async () => {
    const first = await recordSourceFailure(store, 'hubspot', 'rate_limited', 'HTTP 429 after 5 retries', at(1));
    expect(first).toMatchObject({ consecutive_failures: 1, last_error_class: 'rate_limited', last_success_at: null });
    await recordSourceFailure(store, 'hubspot', 'server', 'HTTP 502', at(2));
    const third = await recordSourceFailure(store, 'hubspot', 'auth', 'HTTP 401 (token redacted)', at(3));
    expect(third).toMatchObject({
      consecutive_failures: 3,
      last_failure_at: at(3).toISOString(),
      last_error_class: 'auth',
      last_error: 'HTTP 401 (token redacted)',
      alerted_at: null,
    });

    expect(await markSourceAlerted(store, 'hubspot', at(3))).toBe(true);
    expect(await markSourceAlerted(store, 'hubspot', at(4))).toBe(false);

    const recovery = await recordSourceSuccess(store, 'hubspot', at(5));
    expect(recovery.recovered).toBe(true);
    expect(recovery.health).toMatchObject({
      consecutive_failures: 0,
      alerted_at: null,
      last_success_at: at(5).toISOString(),
      last_failure_at: at(3).toISOString(),
    });
    expect((await recordSourceSuccess(store, 'hubspot', at(6))).recovered).toBe(false);

    const again = await recordSourceFailure(store, 'hubspot', 'server', 'HTTP 503', at(7));
    expect(again.consecutive_failures).toBe(1);
  });

  it('a success without a prior alert is not a recovery; failures of one source leave others alone', async () => {
    await recordSourceFailure(store, 'zendesk', 'network', 'ECONNRESET', at(1));
    const success = await recordSourceSuccess(store, 'zendesk', at(2));
    expect(success.recovered).toBe(false);
    expect((await recordSourceSuccess(store, 'simplefin', at(2))).health).toMatchObject({ consecutive_failures: 0, last_failure_at: null });
    await recordSourceFailure(store, 'hubspot', 'server', 'HTTP 500', at(3));
    expect(await markSourceAlerted(store, 'never_seen', at(3))).toBe(false);

    const health = await getSourceHealth(store);
    expect(health.map((h) => [h.source, h.consecutive_failures])).toEqual([
      ['hubspot', 1],
      ['simplefin', 0],
      ['zendesk', 0],
    ]);
  });

  it('records runs from start to finish and lists the newest first', async () => {
    const okRun = await startSourceRun(store, { source: 'hubspot', from: '2026-11-09', to: '2026-11-16' }, at(6));
    const failedRun = await startSourceRun(store, { source: 'zendesk', from: '2026-11-09', to: '2026-11-16' }, at(7));
    expect((await lastSourceRuns(store, 5)).map((r) => [r.id, r.status])).toEqual([
      [failedRun, 'running'],
      [okRun, 'running'],
    ]);

    const finished = await finishSourceRun(
      store,
      okRun,
      { status: 'ok', calls: 42, rateLimited: 1, valuesWritten: 160, durationMs: 8123 },
      at(8),
    );
    expect(finished).toMatchObject({
      status: 'ok',
      calls: 42,
      rate_limited: 1,
      values_written: 160,
      duration_ms: 8123,
      error: null,
      finished_at: at(8).toISOString(),
    });
    const longError = 'x'.repeat(5000);
    const failed = await finishSourceRun(
      store,
      failedRun,
      { status: 'failed', calls: 3, rateLimited: 0, valuesWritten: 0, durationMs: 900, errorClass: 'auth', error: longError },
      at(8),
    );
    expect(failed).toMatchObject({ status: 'failed', error_class: 'auth' });
    expect(failed.error).toHaveLength(2000);
    expect((await lastSourceRuns(store, 1)).map((r) => r.id)).toEqual([failedRun]);
    await expect(
      finishSourceRun(store, 999, { status: 'ok', calls: 0, rateLimited: 0, valuesWritten: 0, durationMs: 0 }, at(9)),
    ).rejects.toThrow('source run 999 not found');
  });
});
