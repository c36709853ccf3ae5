import { describe, expect, it } from 'vitest';
import { storeKinds } from '../helpers/tmp-store.js';
import { metricAnswer } from '../../src/report/queries.js';
import { metricById } from '../../src/metrics/catalog.js';
import { parseWeekLabel } from '../../src/metrics/periods.js';
import { claimDigestRun, markDigestPosted } from '../../src/store/digest-runs.js';
import { getManualEntry } from '../../src/store/manual-entries.js';
import type { ManualEntryRow } from '../../src/store/types.js';
import { blockActionsPayload, globalShortcutPayload, viewSubmissionPayload, type Payload } from '../helpers/slack-requests.js';
import { blockText, findElement, NOW, TODAY, USERS, type BotHarness, botTestLifecycle } from './harness.js';

let h: BotHarness;
describe.each(storeKinds())('%s store', (kind) => {
  botTestLifecycle({
    kind,
    onStart: async (started) => {
      h = started;
      // The scorecard for 2026-W44 went out on 2 Nov, more than lock_after_days (7) ago: that week is locked.
      const { run } = await claimDigestRun(
        h.runtime.store,
        { kind: 'weekly', period: '2026-W44', channel: 'C0WEEKLY01' },
        new Date('2026-11-02T14:00:00Z'),
      );
      await markDigestPosted(h.runtime.store, run.id, { messageTs: '1762000000.000100', snapshot: null }, new Date('2026-11-02T14:00:00Z'));
    },
  });

  /** The modal views.open received last, as the fake stored it (with its id and hash). */
  function openedModal(): Payload {
    const calls = h.fake.callsTo('views.open');
    const call = calls[calls.length - 1]!;
    expect(call.response.ok).toBe(true);
    return call.response.view as Payload;
  }

  async function openModalAs(userId: string, text = ''): Promise<Payload> {
    await h.command('/log', text, { userId });
    return openedModal();
  }

  interface Fields {
    metric?: string;
    date?: string;
    value?: string;
    note?: string;
    onBehalf?: string;
  }

  function stateValues(fields: Fields): Record<string, Record<string, Payload>> {
    const values: Record<string, Record<string, Payload>> = {};
    if (fields.metric !== undefined)
      values.metric = {
        entry_metric: {
          type: 'static_select',
          selected_option: { text: { type: 'plain_text', text: fields.metric }, value: fields.metric },
        },
      };
    if (fields.date !== undefined) values.date = { entry_date: { type: 'datepicker', selected_date: fields.date } };
    if (fields.value !== undefined) values.value = { entry_value: { type: 'number_input', value: fields.value } };
    values.note = { entry_note: { type: 'plain_text_input', value: fields.note ?? null } };
    if (fields.onBehalf !== undefined) values.on_behalf = { entry_on_behalf: { type: 'users_select', selected_user: fields.onBehalf } };
    return values;
  }

  /** Submits `modal` (as opened) with these inputs; returns the ack's JSON (undefined for a plain "close"). */
  async function submit(modal: Payload, userId: string, fields: Fields): Promise<Payload | undefined> {
    const payload = viewSubmissionPayload({
      callbackId: modal.callback_id,
      values: stateValues(fields),
      privateMetadata: modal.private_metadata,
      userId,
      viewId: modal.id,
      blocks: modal.blocks,
    });
    payload.view.hash = modal.hash;
    const response = await h.interact(payload);
    expect(response.status).toBe(200);
    return response.json as Payload | undefined;
  }

  async function entriesOfView(viewId: string): Promise<ManualEntryRow[]> {
    return h.runtime.store.db.selectFrom('manual_entries').selectAll().where('idempotency_key', '=', viewId).execute();
  }

  async function thisWeekValue(metricId: string): Promise<number | null> {
    const ctx = h.runtime.evalContext(h.clock.now);
    return (
      await metricAnswer(h.runtime.store, ctx, metricById(h.runtime.config, metricId)!, parseWeekLabel('2026-W47', ctx.periods)!, true)
    ).value;
  }

  const valueElement = (modal: Payload) => (modal.blocks as Payload[]).find((b) => b.block_id === 'value')!.element as Payload;

  describe('opening the entry modal', () => {
    it('/log opens it right after the ack, with the user’s own manual metrics first and today’s date', async () => {
      h.fake.reset(); // forget Bolt's start-up auth.test: only what /log itself calls counts here
      const modal = await openModalAs(USERS.rep);
      expect(h.fake.calls.map((c) => c.method)).toEqual(['views.open']);
      expect(modal.callback_id).toBe('log_entry');
      const select = findElement(modal, 'entry_metric')!;
      const groups = select.option_groups as { label: { text: string }; options: { value: string }[] }[];
      expect(groups.map((g) => g.label.text)).toEqual(['Your metrics', 'Other metrics']);
      expect(groups[0]!.options.map((o) => o.value)).toEqual(['coi_meetings', 'volunteer_hours', 'ftas_attended']);
      expect(groups[1]!.options.map((o) => o.value)).toEqual(['networking_events']);
      expect(findElement(modal, 'entry_date')!.initial_date).toBe(TODAY);
      expect(findElement(modal, 'entry_note')).toMatchObject({ max_length: 500, multiline: true });
      expect(findElement(modal, 'entry_on_behalf')).toBeUndefined();
    });

    it('pre-selects the metric named after /log and applies its bounds', async () => {
      const modal = await openModalAs(USERS.rep, 'coi');
      expect(findElement(modal, 'entry_metric')!.initial_option).toMatchObject({ value: 'coi_meetings' });
      expect(valueElement(modal)).toMatchObject({ type: 'number_input', is_decimal_allowed: false, min_value: '0', max_value: '20' });
    });

    it('offers *on behalf of* to admins only', async () => {
      const modal = await openModalAs(USERS.admin);
      expect(findElement(modal, 'entry_on_behalf')).toMatchObject({ type: 'users_select' });
    });

    it('opens from the global shortcut `log_activity` and the digest’s *Log activity* button', async () => {
      await h.interact(globalShortcutPayload('log_activity', { userId: USERS.rep, triggerId: 'trigger-shortcut' }));
      expect(h.fake.callsTo('views.open')[0]!.body).toMatchObject({ trigger_id: 'trigger-shortcut' });
      expect(openedModal().callback_id).toBe('log_entry');

      await h.interact(
        blockActionsPayload([{ action_id: 'log_activity', value: '2026-W46' }], { type: 'message', channelId: 'C0WEEKLY01' }, USERS.rep),
      );
      expect(h.fake.callsTo('views.open')).toHaveLength(2);
      expect(openedModal().callback_id).toBe('log_entry');
    });

    it('opens pre-filled from a nudge’s *Log now*: that metric, the last day of that week', async () => {
      const value = JSON.stringify({ metric: 'networking_events', week: '2026-W46' });
      await h.interact(
        blockActionsPayload([{ action_id: 'log_now:networking_events', value }], { type: 'message', channelId: 'D00000001' }, USERS.rep),
      );
      const modal = openedModal();
      expect(findElement(modal, 'entry_metric')!.initial_option).toMatchObject({ value: 'networking_events' });
      expect(findElement(modal, 'entry_date')!.initial_date).toBe('2026-11-15');
    });

    it('re-renders the value field with the new metric’s bounds when the metric changes (views.update with the hash)', async () => {
      const modal = await openModalAs(USERS.rep, 'coi');
      const viewInAction = {
        ...modal,
        state: { values: stateValues({ metric: 'coi_meetings', date: '2026-11-16', value: '12.5', note: 'carried over' }) },
      };
      await h.interact(
        blockActionsPayload(
          [
            {
              action_id: 'entry_metric',
              block_id: 'metric',
              type: 'static_select',
              selected_option: { text: { type: 'plain_text', text: 'Volunteer hours' }, value: 'volunteer_hours' },
            },
          ],
          { type: 'view', view: viewInAction },
          USERS.rep,
        ),
      );
      const [update] = h.fake.callsTo('views.update');
      expect(update!.body).toMatchObject({ view_id: modal.id, hash: modal.hash });
      expect(update!.response.ok).toBe(true);
      const updated = h.fake.view(modal.id as string)!;
      expect(valueElement(updated)).toMatchObject({ is_decimal_allowed: true, min_value: '0', max_value: '40', initial_value: '12.5' });
      expect(findElement(updated, 'entry_metric')!.initial_option).toMatchObject({ value: 'volunteer_hours' });
      expect(findElement(updated, 'entry_date')!.initial_date).toBe('2026-11-16');
      expect(findElement(updated, 'entry_note')!.initial_value).toBe('carried over');
    });
  });

  describe('submitting an entry', () => {
    it('stores the entry (visible to metricAnswer), closes the modal, and DMs a confirmation with *Undo*', async () => {
      const before = (await thisWeekValue('coi_meetings')) ?? 0;
      const modal = await openModalAs(USERS.rep);
      const ack = await submit(modal, USERS.rep, { metric: 'coi_meetings', date: '2026-11-17', value: '3', note: 'Lunch with a CPA' });
      expect(ack).toBeUndefined();

      const [entry] = await entriesOfView(modal.id as string);
      expect(entry).toMatchObject({
        metric_id: 'coi_meetings',
        day: '2026-11-17',
        value: 3,
        user_id: USERS.rep,
        entered_by: USERS.rep,
        note: 'Lunch with a CPA',
        deleted_at: null,
      });
      expect(await thisWeekValue('coi_meetings')).toBe(before + 3);
      const audit = await h.runtime.store.db
        .selectFrom('audit_log')
        .selectAll()
        .where('subject', '=', `manual_entry:${entry!.id}`)
        .execute();
      expect(audit.map((a) => a.action)).toEqual(['manual_entry.add']);

      const [open] = h.fake.callsTo('conversations.open');
      expect(open!.body).toMatchObject({ users: USERS.rep });
      const dmChannel = (open!.response.channel as { id: string }).id;
      const [dm] = h.fake.messages(dmChannel);
      expect(dm!.text).toContain('Logged 3 COI meetings attended on 2026-11-17');
      expect(findElement(dm!, 'undo_entry')).toMatchObject({ value: String(entry!.id) });
      expect(blockText(dm!)).toContain('10 minutes');
    });

    it('stores one entry when the same view is submitted twice', async () => {
      const modal = await openModalAs(USERS.rep);
      await submit(modal, USERS.rep, { metric: 'volunteer_hours', date: '2026-11-16', value: '2.5' });
      await submit(modal, USERS.rep, { metric: 'volunteer_hours', date: '2026-11-16', value: '2.5' });
      const entries = await entriesOfView(modal.id as string);
      expect(entries).toHaveLength(1);
      expect(entries[0]!.value).toBe(2.5);
      expect(h.fake.callsTo('chat.postMessage')).toHaveLength(1);
    });

    it('lets an admin log for someone else, and the entry counts for them', async () => {
      const modal = await openModalAs(USERS.admin);
      expect(
        await submit(modal, USERS.admin, { metric: 'networking_events', date: '2026-11-17', value: '1', onBehalf: 'U0OMAR001' }),
      ).toBeUndefined();
      const [entry] = await entriesOfView(modal.id as string);
      expect(entry).toMatchObject({ user_id: 'U0OMAR001', entered_by: USERS.admin });
      expect(h.fake.callsTo('chat.postMessage')[0]!.body.text).toContain('Logged 1 Networking events');
    });

    it('lets an admin log into a locked week', async () => {
      const modal = await openModalAs(USERS.admin);
      expect(await submit(modal, USERS.admin, { metric: 'networking_events', date: '2026-10-28', value: '1' })).toBeUndefined();
      expect(await entriesOfView(modal.id as string)).toHaveLength(1);
    });
  });

  describe('validation answers inline, per field, and stores nothing', () => {
    const cases: { name: string; user?: string; openAs?: string; fields: Fields; block: string; says: string }[] = [
      { name: 'a future date', fields: { metric: 'coi_meetings', date: '2026-11-19', value: '1' }, block: 'date', says: 'in the future' },
      {
        name: 'a date inside a locked week',
        fields: { metric: 'coi_meetings', date: '2026-10-28', value: '1' },
        block: 'date',
        says: 'locked',
      },
      {
        name: 'a value out of bounds',
        fields: { metric: 'coi_meetings', date: '2026-11-17', value: '25' },
        block: 'value',
        says: 'between 0 and 20',
      },
      {
        name: 'a decimal for a whole-number metric',
        fields: { metric: 'coi_meetings', date: '2026-11-17', value: '2.5' },
        block: 'value',
        says: 'whole numbers',
      },
      {
        name: 'a value that is not a number',
        fields: { metric: 'coi_meetings', date: '2026-11-17', value: 'three' },
        block: 'value',
        says: 'Enter a number',
      },
      {
        name: 'a metric that is not manual',
        fields: { metric: 'dials', date: '2026-11-17', value: '5' },
        block: 'metric',
        says: "can't be logged by hand",
      },
      {
        name: 'a note over 500 characters',
        fields: { metric: 'coi_meetings', date: '2026-11-17', value: '1', note: 'x'.repeat(501) },
        block: 'note',
        says: 'under 500',
      },
      {
        name: 'logging for someone else without being an admin',
        // A modal opened while still an admin (so it has the field), submitted by someone who is not.
        openAs: USERS.admin,
        user: USERS.rep,
        fields: { metric: 'coi_meetings', date: '2026-11-17', value: '1', onBehalf: 'U0OMAR001' },
        block: 'on_behalf',
        says: 'Only scorecard admins',
      },
      {
        name: 'the value "0x10" (not a plain decimal)',
        fields: { metric: 'coi_meetings', date: '2026-11-17', value: '0x10' },
        block: 'value',
        says: 'plain digits',
      },
      {
        name: 'the value "1e1" (not a plain decimal)',
        fields: { metric: 'coi_meetings', date: '2026-11-17', value: '1e1' },
        block: 'value',
        says: 'plain digits',
      },
      {
        name: 'the value "+5" (not a plain decimal)',
        fields: { metric: 'coi_meetings', date: '2026-11-17', value: '+5' },
        block: 'value',
        says: 'plain digits',
      },
      {
        name: 'the value "5." (not a plain decimal)',
        fields: { metric: 'coi_meetings', date: '2026-11-17', value: '5.' },
        block: 'value',
        says: 'plain digits',
      },
      {
        name: 'the value ".5" (not a plain decimal)',
        fields: { metric: 'coi_meetings', date: '2026-11-17', value: '.5' },
        block: 'value',
        says: 'plain digits',
      },
      {
        name: 'an impossible date',
        fields: { metric: 'coi_meetings', date: '2026-02-31', value: '1' },
        block: 'date',
        says: 'not a date on the calendar',
      },
      {
        name: 'a date before 2000',
        fields: { metric: 'coi_meetings', date: '1999-12-31', value: '1' },
        block: 'date',
        says: 'before 2000-01-01',
      },
    ];

    it.each(cases)('$name → errors.$block', async ({ user, openAs, fields, block, says }) => {
      const modal = await openModalAs(openAs ?? USERS.rep);
      const ack = await submit(modal, user ?? USERS.rep, fields);
      expect(ack?.response_action).toBe('errors');
      const errors = ack!.errors as Record<string, string>;
      expect(Object.keys(errors)).toEqual([block]);
      expect(errors[block]).toContain(says);
      expect(await entriesOfView(modal.id as string)).toEqual([]);
      expect(h.fake.callsTo('chat.postMessage')).toEqual([]);
    });

    it('a field of the wrong JSON type is answered beside that field, never as a database failure', async () => {
      const modal = await openModalAs(USERS.rep);
      const payload = viewSubmissionPayload({
        callbackId: modal.callback_id,
        values: stateValues({ metric: 'coi_meetings', date: '2026-11-17', value: '1' }),
        privateMetadata: modal.private_metadata,
        userId: USERS.rep,
        viewId: modal.id,
        blocks: modal.blocks,
      });
      payload.view.hash = modal.hash;
      const values = payload.view.state.values as Record<string, Record<string, Payload>>;
      values.value!.entry_value!.value = { nested: 12 };
      values.date!.entry_date!.selected_date = 20261117;
      const ack = (await h.interact(payload)).json as Payload;
      expect(ack.response_action).toBe('errors');
      expect(Object.keys(ack.errors as Payload).sort()).toEqual(['date', 'value']);
      expect(JSON.stringify(ack.errors)).not.toContain('database');
      expect(await entriesOfView(modal.id as string)).toEqual([]);
    });

    it('puts an *on behalf of* error on the value field when the modal has no such field', async () => {
      const modal = await openModalAs(USERS.rep);
      const ack = await submit(modal, USERS.rep, { metric: 'coi_meetings', date: '2026-11-17', value: '1', onBehalf: 'U0OMAR001' });
      expect(ack).toMatchObject({ response_action: 'errors', errors: { value: expect.stringContaining('Only scorecard admins') } });
    });
  });

  describe('Undo on the confirmation', () => {
    async function logAndConfirm(): Promise<{ entry: ManualEntryRow; channel: string; ts: string; undoValue: string }> {
      const modal = await openModalAs(USERS.rep);
      await submit(modal, USERS.rep, { metric: 'coi_meetings', date: '2026-11-16', value: '2' });
      const [entry] = await entriesOfView(modal.id as string);
      const post = h.fake.callsTo('chat.postMessage')[0]!;
      const { channel, ts } = post.response as unknown as { channel: string; ts: string };
      return { entry: entry!, channel, ts, undoValue: findElement(post.body, 'undo_entry')!.value as string };
    }

    it('within the window: marks the entry deleted (history kept) and updates the DM in place', async () => {
      const { entry, channel, ts, undoValue } = await logAndConfirm();
      const before = await thisWeekValue('coi_meetings');
      h.clock.now = new Date(NOW.getTime() + 9 * 60_000);
      await h.interact(
        blockActionsPayload(
          [{ action_id: 'undo_entry', value: undoValue }],
          { type: 'message', channelId: channel, messageTs: ts, responseUrl: h.fake.responseUrl() },
          USERS.rep,
        ),
      );

      const row = await getManualEntry(h.runtime.store, entry.id);
      expect(row).toMatchObject({ id: entry.id, deleted_by: USERS.rep });
      expect(row!.deleted_at).not.toBeNull();
      expect(await thisWeekValue('coi_meetings')).toBe((before ?? 0) - 2);
      const [message] = h.fake.messages(channel);
      expect(message!.text).toContain('Undone');
      expect(findElement(message!, 'undo_entry')).toBeUndefined();
    });

    it('after the window: answers "too late to undo, use App Home" and keeps the entry', async () => {
      const { entry, channel, ts, undoValue } = await logAndConfirm();
      h.clock.now = new Date(NOW.getTime() + 11 * 60_000);
      const responseUrl = h.fake.responseUrl();
      await h.interact(
        blockActionsPayload(
          [{ action_id: 'undo_entry', value: undoValue }],
          { type: 'message', channelId: channel, messageTs: ts, responseUrl },
          USERS.rep,
        ),
      );

      const reply = h.fake.responses.find((r) => r.url === responseUrl)!.body;
      expect(reply.response_type).toBe('ephemeral');
      expect(blockText(reply)).toContain('Too late to undo');
      expect(blockText(reply)).toContain('App Home');
      expect((await getManualEntry(h.runtime.store, entry.id))!.deleted_at).toBeNull();
      expect(h.fake.callsTo('chat.update')).toEqual([]);
    });

    it('refuses an undo by someone else', async () => {
      const { entry, channel, ts, undoValue } = await logAndConfirm();
      const responseUrl = h.fake.responseUrl();
      await h.interact(
        blockActionsPayload(
          [{ action_id: 'undo_entry', value: undoValue }],
          { type: 'message', channelId: channel, messageTs: ts, responseUrl },
          USERS.dana,
        ),
      );
      expect(blockText(h.fake.responses.find((r) => r.url === responseUrl)!.body)).toContain('Only the person who logged this entry');
      expect((await getManualEntry(h.runtime.store, entry.id))!.deleted_at).toBeNull();
    });
  });
});
