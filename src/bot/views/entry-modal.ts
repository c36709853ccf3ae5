import type { KnownBlock, ModalView, Option, PlainTextOption } from '@slack/types';
import type { Metric } from '../../config/schema.js';
import type { LocalDay } from '../../metrics/types.js';
import { entryBoundsOf, NOTE_MAX, type EntryField } from '../../metrics/entry-validation.js';
import { formatValue } from '../../metrics/format.js';
import { dayLabel } from '../../report/text.js';
import { context, plain, section, type BlockMessage } from '../../slack/metric.js';
import { clip, escapeMrkdwn } from '../../slack/blocks.js';

/**
 * The manual-entry modal (/log, the shortcut, *Log activity*, *Log now*, App Home *Edit*) and the DM that
 * confirms an entry. Input block ids are the validation fields, so `validateEntry` errors map onto them as-is.
 */

export const ENTRY_CALLBACK_ID = 'log_entry';
export const ENTRY_BLOCK: Record<EntryField, string> = {
  metric: 'metric',
  date: 'date',
  value: 'value',
  note: 'note',
  on_behalf: 'on_behalf',
};
export const ENTRY_ACTION: Record<EntryField, string> = {
  metric: 'entry_metric',
  date: 'entry_date',
  value: 'entry_value',
  note: 'entry_note',
  on_behalf: 'entry_on_behalf',
};
export const UNDO_ENTRY_ACTION = 'undo_entry';

export type EntryModalMode = { kind: 'new' } | { kind: 'edit'; entryId: number; metricId: string };

export interface EntryModalModel {
  mode: EntryModalMode;
  /** Manual metrics the user owns, listed first; then the rest. */
  ownMetrics: Metric[];
  otherMetrics: Metric[];
  selected?: Metric;
  day: LocalDay;
  value?: string;
  note?: string | null;
  onBehalfOf?: string | null;
  /** Only admins may log for someone else. */
  showOnBehalf: boolean;
}

interface EntryModalMetadata {
  mode: 'new' | 'edit';
  entryId?: number;
  metric?: string;
}

export function parseEntryMode(privateMetadata: string | undefined): EntryModalMode {
  try {
    const meta = JSON.parse(privateMetadata || '{}') as EntryModalMetadata;
    if (meta.mode === 'edit' && typeof meta.entryId === 'number' && typeof meta.metric === 'string') {
      return { kind: 'edit', entryId: meta.entryId, metricId: meta.metric };
    }
  } catch {
    // Anything unreadable is a new entry: the submission is validated from scratch either way.
  }
  return { kind: 'new' };
}

function metadataOf(mode: EntryModalMode): string {
  const meta: EntryModalMetadata = mode.kind === 'edit' ? { mode: 'edit', entryId: mode.entryId, metric: mode.metricId } : { mode: 'new' };
  return JSON.stringify(meta);
}

const optionOf = (metric: Metric): PlainTextOption => ({ text: plain(metric.name, 75), value: metric.id });

function boundsHint(metric: Metric | undefined): string {
  if (!metric) return 'Pick a metric first; its range appears here.';
  const { min, max, decimal } = entryBoundsOf(metric);
  return `Between ${formatValue(min, metric.unit)} and ${formatValue(max, metric.unit)}${decimal ? '' : ', whole numbers'}.`;
}

/** A typed value is carried into a re-rendered modal only if it fits the new bounds (Slack rejects it otherwise). */
function fittingValue(value: string | undefined, metric: Metric | undefined): string | undefined {
  if (value === undefined || value.trim() === '' || !metric) return value?.trim() || undefined;
  const n = Number(value);
  const { min, max, decimal } = entryBoundsOf(metric);
  if (!Number.isFinite(n) || n < min || n > max || (!decimal && !Number.isInteger(n))) return undefined;
  return String(n);
}

function metricBlock(model: EntryModalModel): KnownBlock {
  if (model.mode.kind === 'edit') {
    return section(
      `*${escapeMrkdwn(model.selected?.name ?? model.mode.metricId)}*\nEditing entry #${model.mode.entryId}: saving keeps the old version in the history.`,
    );
  }
  const own = model.ownMetrics.slice(0, 100).map(optionOf);
  const other = model.otherMetrics.slice(0, 100 - own.length).map(optionOf);
  const grouped = own.length > 0 && other.length > 0;
  const initial = model.selected ? optionOf(model.selected) : undefined;
  return {
    type: 'input',
    block_id: ENTRY_BLOCK.metric,
    // Choosing a metric sends a block action, so the value field can be re-rendered with that metric's bounds.
    dispatch_action: true,
    label: plain('Metric', 2000),
    element: {
      type: 'static_select',
      action_id: ENTRY_ACTION.metric,
      placeholder: plain('Choose a metric', 150),
      ...(grouped
        ? {
            option_groups: [
              { label: plain('Your metrics', 75), options: own },
              { label: plain('Other metrics', 75), options: other },
            ],
          }
        : { options: [...own, ...other] }),
      ...(initial ? { initial_option: initial } : {}),
    },
  };
}

export function renderEntryModal(model: EntryModalModel): ModalView {
  const editing = model.mode.kind === 'edit';
  if (!editing && model.ownMetrics.length + model.otherMetrics.length === 0) {
    return {
      type: 'modal',
      callback_id: ENTRY_CALLBACK_ID,
      title: plain('Log activity', 24),
      close: plain('Close', 24),
      blocks: [
        section('No metric in the scorecard takes manual entries yet. An admin can mark one with `source: manual` or `manual: true`.'),
      ],
    };
  }
  const metric = model.selected;
  const bounds = metric ? entryBoundsOf(metric) : undefined;
  const value = fittingValue(model.value, metric);
  const blocks: KnownBlock[] = [
    metricBlock(model),
    {
      type: 'input',
      block_id: ENTRY_BLOCK.date,
      label: plain('Date', 2000),
      element: { type: 'datepicker', action_id: ENTRY_ACTION.date, initial_date: model.day },
    },
    {
      type: 'input',
      block_id: ENTRY_BLOCK.value,
      label: plain(metric ? `Value (${metric.unit})` : 'Value', 2000),
      hint: plain(boundsHint(metric), 2000),
      element: {
        type: 'number_input',
        action_id: ENTRY_ACTION.value,
        is_decimal_allowed: bounds?.decimal ?? true,
        ...(bounds ? { min_value: String(bounds.min), max_value: String(bounds.max) } : {}),
        ...(value !== undefined ? { initial_value: value } : {}),
      },
    },
    {
      type: 'input',
      block_id: ENTRY_BLOCK.note,
      optional: true,
      label: plain('Note', 2000),
      element: {
        type: 'plain_text_input',
        action_id: ENTRY_ACTION.note,
        multiline: true,
        max_length: NOTE_MAX,
        placeholder: plain('Who, where, anything worth remembering', 150),
        ...(model.note ? { initial_value: clip(model.note, NOTE_MAX) } : {}),
      },
    },
  ];
  if (model.showOnBehalf && !editing) {
    blocks.push({
      type: 'input',
      block_id: ENTRY_BLOCK.on_behalf,
      optional: true,
      label: plain('On behalf of', 2000),
      hint: plain('Admins only: log the number for someone else. Leave empty to log it for yourself.', 2000),
      element: {
        type: 'users_select',
        action_id: ENTRY_ACTION.on_behalf,
        placeholder: plain('Choose a person', 150),
        ...(model.onBehalfOf ? { initial_user: model.onBehalfOf } : {}),
      },
    });
  }
  return {
    type: 'modal',
    callback_id: ENTRY_CALLBACK_ID,
    private_metadata: metadataOf(model.mode),
    title: plain(editing ? 'Edit entry' : 'Log activity', 24),
    submit: plain(editing ? 'Save' : 'Log it', 24),
    close: plain('Cancel', 24),
    blocks,
  };
}

/** What the modal's inputs hold, as typed (view.state.values of a submission or a block action). */
export interface EntryState {
  metricId: string | undefined;
  day: string | undefined;
  value: string | undefined;
  note: string | undefined;
  onBehalfOf: string | undefined;
}

interface StateValue {
  value?: string | null;
  selected_date?: string | null;
  selected_user?: string | null;
  selected_option?: Option | null;
}

/**
 * The submitted fields. A field of the wrong JSON type (a number or an object where Slack sends text) reads as
 * missing or, for the value, as text that is not a number, so validation answers it beside its field.
 */
export function readEntryState(values: Record<string, Record<string, StateValue>> | undefined): EntryState {
  const at = (field: EntryField): StateValue | undefined => {
    const state: unknown = values?.[ENTRY_BLOCK[field]]?.[ENTRY_ACTION[field]];
    return state !== null && typeof state === 'object' ? (state as StateValue) : undefined;
  };
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const option: unknown = at('metric')?.selected_option;
  const rawValue: unknown = at('value')?.value;
  return {
    metricId: option !== null && typeof option === 'object' ? text((option as { value?: unknown }).value) : undefined,
    day: text(at('date')?.selected_date),
    value: rawValue === undefined || rawValue === null ? undefined : typeof rawValue === 'string' ? rawValue : JSON.stringify(rawValue),
    note: text(at('note')?.value),
    onBehalfOf: text(at('on_behalf')?.selected_user),
  };
}

// ── the confirmation DM ─────────────────────────────────────────────────────────────────────────────────

export interface ConfirmedEntry {
  id: number;
  metric: Metric;
  day: LocalDay;
  value: number;
  note: string | null;
  /** Set when an admin logged it for someone else. */
  forUser: string | null;
}

function entrySentence(entry: ConfirmedEntry): string {
  const who = entry.forUser ? ` for <@${entry.forUser}>` : '';
  return `*${formatValue(entry.value, entry.metric.unit)}* ${escapeMrkdwn(entry.metric.name)}${who} on ${dayLabel(entry.day)}`;
}

export function renderEntryConfirmation(entry: ConfirmedEntry, undoMinutes: number): BlockMessage {
  const note = entry.note ? `\n>${escapeMrkdwn(clip(entry.note, 500)).replace(/\n/g, '\n>')}` : '';
  return {
    text: escapeMrkdwn(`Logged ${formatValue(entry.value, entry.metric.unit)} ${entry.metric.name} on ${entry.day}.`),
    blocks: [
      section(`✅ Logged ${entrySentence(entry)}.${note}`),
      {
        type: 'actions',
        block_id: 'entry_confirmation',
        elements: [{ type: 'button', action_id: UNDO_ENTRY_ACTION, text: plain('Undo', 75), value: String(entry.id) }],
      },
      context(`Entry #${entry.id}. *Undo* works for ${undoMinutes} minutes; after that, edit or delete it from the Home tab.`),
    ],
  };
}

export function renderEntryUndone(entry: ConfirmedEntry): BlockMessage {
  return {
    text: escapeMrkdwn(`Undone: ${entry.metric.name} on ${entry.day} no longer counts.`),
    blocks: [
      section(`↩️ Undone: ${entrySentence(entry)} no longer counts.`),
      context(`Entry #${entry.id} is kept in the history as deleted.`),
    ],
  };
}
