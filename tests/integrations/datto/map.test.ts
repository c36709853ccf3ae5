import { describe, expect, it } from 'vitest';
import {
  isBackupFailing,
  isFailureStatus,
  isMissingPatches,
  isProtected,
  latestBackup,
  ThresholdCounts,
} from '../../../src/integrations/datto/map.js';
import { bcdrAssetSchema, rmmDeviceSchema } from '../../../src/integrations/datto/schemas.js';
import { asset, assetExample, HOUR_S, NOW, NOW_S, rmmDevice } from './fixtures.js';

const parseAsset = (body: unknown) => bcdrAssetSchema.parse(body);
const parseDevice = (body: unknown) => rmmDeviceSchema.parse(body);

describe('failed backup rule', () => {
  it('reads the documented example asset', () => {
    const example = parseAsset(assetExample);
    expect(example).toMatchObject({ name: 'test-host', isPaused: false, isArchived: false, lastSnapshot: 1584817262 });
    // Its snapshot is from 2020: long overdue at any threshold.
    expect(isBackupFailing(example, NOW, 48)).toBe(true);
  });

  it('is overdue strictly after the threshold', () => {
    expect(isBackupFailing(parseAsset(asset('a', NOW_S - 48 * HOUR_S)), NOW, 48)).toBe(false);
    expect(isBackupFailing(parseAsset(asset('a', NOW_S - 48 * HOUR_S - 1)), NOW, 48)).toBe(true);
    expect(isBackupFailing(parseAsset(asset('a', NOW_S - 48 * HOUR_S - 1)), NOW, 72)).toBe(false);
    expect(isBackupFailing(parseAsset(asset('a', NOW_S - 30 * 60)), NOW, 0.5)).toBe(false);
  });

  it('counts an asset that never had a snapshot, and never one that is paused or archived', () => {
    expect(isBackupFailing(parseAsset(asset('new', 0)), NOW, 48)).toBe(true);
    expect(isBackupFailing(parseAsset({ ...asset('new', 0), lastSnapshot: null }), NOW, 48)).toBe(true);
    const paused = parseAsset(asset('p', 0, { isPaused: true }));
    const archived = parseAsset(asset('x', 0, { isArchived: true }));
    expect([isProtected(paused), isBackupFailing(paused, NOW, 48)]).toEqual([false, false]);
    expect([isProtected(archived), isBackupFailing(archived, NOW, 48)]).toEqual([false, false]);
  });

  it('counts a fresh asset whose newest backup failed, whatever the order of the list', () => {
    const entry = (timestamp: string, status: string) => ({ timestamp, backup: { status, errorMessage: null } });
    const newestFirst = [entry('2026-11-05T14:00:00+00:00', 'failure'), entry('2026-11-05T13:00:00+00:00', 'success')];
    const oldestFirst = [...newestFirst].reverse();
    for (const backups of [newestFirst, oldestFirst]) {
      expect(latestBackup(parseAsset({ ...assetExample, backups }).backups)?.backup?.status).toBe('failure');
      expect(isBackupFailing(parseAsset(asset('f', NOW_S - HOUR_S, { backups })), NOW, 48)).toBe(true);
    }
    const recovered = [entry('2026-11-05T14:00:00+00:00', 'success'), entry('2026-11-05T13:00:00+00:00', 'failure')];
    expect(isBackupFailing(parseAsset(asset('r', NOW_S - HOUR_S, { backups: recovered })), NOW, 48)).toBe(false);
    expect(latestBackup([])).toBeUndefined();
  });

  it('knows failure spellings from success and in-between states', () => {
    expect(['failure', 'Failed', 'error', 'FAILED_VSS'].map(isFailureStatus)).toEqual([true, true, true, true]);
    expect(['success', 'in progress', 'queued', '', null, undefined].map(isFailureStatus)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});

describe('missing patches rule', () => {
  const device = (patchManagement: Parameters<typeof rmmDevice>[2], extra = {}) => parseDevice(rmmDevice(1, 'd', patchManagement, extra));

  it('counts waiting approved patches above the threshold only', () => {
    expect(isMissingPatches(device({ patchStatus: 'ApprovedPending', patchesApprovedPending: 6 }), 5)).toBe(true);
    expect(isMissingPatches(device({ patchStatus: 'ApprovedPending', patchesApprovedPending: 5 }), 5)).toBe(false);
    expect(isMissingPatches(device({ patchStatus: 'ApprovedPending', patchesApprovedPending: 1 }), 0)).toBe(true);
    expect(isMissingPatches(device({ patchStatus: 'FullyPatched', patchesApprovedPending: 0 }), 0)).toBe(false);
  });

  it('counts stalled patching whatever the count, and a bare ApprovedPending only at threshold 0', () => {
    expect(isMissingPatches(device({ patchStatus: 'InstallError', patchesApprovedPending: 0 }), 5)).toBe(true);
    expect(isMissingPatches(device({ patchStatus: 'RebootRequired' }), 5)).toBe(true);
    expect(isMissingPatches(device({ patchStatus: 'ApprovedPending' }), 0)).toBe(true);
    expect(isMissingPatches(device({ patchStatus: 'ApprovedPending' }), 5)).toBe(false);
    expect(isMissingPatches(device({ patchStatus: 'NoPolicy' }), 0)).toBe(false);
    expect(isMissingPatches(device({ patchStatus: 'NoData' }), 0)).toBe(false);
  });

  it('ignores deleted devices and devices without patch management', () => {
    expect(isMissingPatches(device({ patchStatus: 'InstallError', patchesApprovedPending: 40 }, { deleted: true }), 0)).toBe(false);
    expect(isMissingPatches(device(undefined, { deviceClass: 'esxihost' }), 0)).toBe(false);
  });
});

describe('threshold counts', () => {
  it('counts one pass of records against every threshold', () => {
    const counts = new ThresholdCounts([0, 5, 5]);
    counts.add([1, 3, 6, 9], (value, threshold) => value > threshold);
    counts.add([7], (value, threshold) => value > threshold);
    expect([counts.get(0), counts.get(5), counts.get(10)]).toEqual([5, 3, 0]);
  });
});
