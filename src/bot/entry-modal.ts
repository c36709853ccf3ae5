import { errorMessage } from '../errors.js';
import type { ModalView } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import type { Config, Metric } from '../config/schema.js';
import { metricById, metricsOf } from '../metrics/catalog.js';
import { isManualMetric } from '../metrics/entry-validation.js';
import { addDays, localDayOf, parseWeekLabel } from '../metrics/periods.js';
import type { LocalDay } from '../metrics/types.js';
import { renderEntryModal, type EntryModalMode, type EntryState } from './views/entry-modal.js';
import type { EditEntryRef } from './views/home.js';
import { isAdmin, ownsMetric, type Identity } from './access.js';
import { whoIs, type BotDeps } from './deps.js';

/**
 * Builds the entry modal from the config alone — no store read and no Slack call — so views.open goes out
 * right after the ack, well inside the trigger_id's 3 seconds.
 */

export interface EntryPrefill {
  metricId?: string;
  day?: LocalDay;
  value?: string;
  note?: string | null;
  onBehalfOf?: string | null;
}

export function manualMetricsFor(config: Config, who: Identity): { own: Metric[]; other: Metric[] } {
  const manual = metricsOf(config).filter(isManualMetric);
  return { own: manual.filter((m) => ownsMetric(m, who)), other: manual.filter((m) => !ownsMetric(m, who)) };
}

function todayOf(deps: BotDeps): LocalDay {
  return localDayOf(deps.now(), deps.runtime.config.org.timezone);
}

/** A day for the modal: never after today (a future date would only be refused on submit). */
function clampDay(day: LocalDay | undefined, today: LocalDay): LocalDay {
  return day && /^\d{4}-\d{2}-\d{2}$/.test(day) && day <= today ? day : today;
}

export function entryModalFor(
  deps: BotDeps,
  userId: string,
  prefill: EntryPrefill = {},
  mode: EntryModalMode = { kind: 'new' },
): ModalView {
  const { config } = deps.runtime;
  const who = whoIs(deps, userId);
  const { own, other } = manualMetricsFor(config, who);
  const selectedId = mode.kind === 'edit' ? mode.metricId : prefill.metricId;
  const candidate = selectedId ? metricById(config, selectedId) : undefined;
  const selected = candidate && (mode.kind === 'edit' || isManualMetric(candidate)) ? candidate : undefined;
  return renderEntryModal({
    mode,
    ownMetrics: own,
    otherMetrics: other,
    ...(selected ? { selected } : {}),
    day: clampDay(prefill.day, todayOf(deps)),
    ...(prefill.value !== undefined ? { value: prefill.value } : {}),
    note: prefill.note ?? null,
    onBehalfOf: prefill.onBehalfOf ?? null,
    showOnBehalf: isAdmin(config, who),
  });
}

export function editModalFor(deps: BotDeps, userId: string, ref: EditEntryRef): ModalView {
  return entryModalFor(
    deps,
    userId,
    { day: ref.day, value: String(ref.value), note: ref.note },
    { kind: 'edit', entryId: ref.id, metricId: ref.metric },
  );
}

/** The modal re-rendered after the metric changed: same typed values, that metric's bounds. */
export function modalAfterMetricChange(deps: BotDeps, userId: string, state: EntryState, mode: EntryModalMode): ModalView {
  return entryModalFor(
    deps,
    userId,
    {
      ...(state.metricId ? { metricId: state.metricId } : {}),
      ...(state.day ? { day: state.day } : {}),
      ...(state.value !== undefined ? { value: state.value } : {}),
      note: state.note ?? null,
      onBehalfOf: state.onBehalfOf ?? null,
    },
    mode,
  );
}

/** *Log now* from a nudge names a week: the entry defaults to that week's last day, or today if it is still running. */
export function prefillForWeek(deps: BotDeps, metricId: string | undefined, weekLabel: string | undefined): EntryPrefill {
  const { config } = deps.runtime;
  const week = weekLabel ? parseWeekLabel(weekLabel, { timezone: config.org.timezone, weekStart: config.org.week_start }) : undefined;
  return { ...(metricId ? { metricId } : {}), ...(week ? { day: addDays(week.end, -1) } : {}) };
}

/** views.open with the trigger; a failure is logged (the user sees nothing happen, Slack shows no error). */
export async function openEntryModal(client: WebClient, triggerId: string, view: ModalView, logger: Logger): Promise<string | undefined> {
  try {
    const result = await client.views.open({ trigger_id: triggerId, view });
    return result.view?.id;
  } catch (error) {
    logger.warn({ err: errorMessage(error) }, 'views.open for the entry modal failed');
    return undefined;
  }
}
