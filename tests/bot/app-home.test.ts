import { describe, expect, it } from 'vitest';
import { storeKinds } from '../helpers/tmp-store.js';
import { addManualEntry, entryHistory, getManualEntry, recentEntriesByUser } from '../../src/store/manual-entries.js';
import { recordSourceFailure, recordSourceSuccess } from '../../src/store/source-health.js';
import { claimDigestRun, markDigestPosted } from '../../src/store/digest-runs.js';
import { appHomeOpenedEvent, blockActionsPayload, viewSubmissionPayload, type Payload } from '../helpers/slack-requests.js';
import { actionIds, blockText, findElement, NOW, USERS, type BotHarness, botTestLifecycle } from './harness.js';

let h: BotHarness;
describe.each(storeKinds())('%s store', (kind) => {
  botTestLifecycle({
    kind,
    onStart: async (started) => {
      h = started;
      await recordSourceSuccess(h.runtime.store, 'sample', new Date('2026-11-18T12:00:00Z'));
      await recordSourceFailure(
        h.runtime.store,
        'hubspot',
        'rate_limited',
        'HTTP 429 from api.hubapi.com',
        new Date('2026-11-18T12:00:00Z'),
      );
      const { run } = await claimDigestRun(
        h.runtime.store,
        { kind: 'weekly', period: '2026-W44', channel: 'C0WEEKLY01' },
        new Date('2026-11-02T14:00:00Z'),
      );
      await markDigestPosted(h.runtime.store, run.id, { messageTs: '1762000000.000100', snapshot: null }, new Date('2026-11-02T14:00:00Z'));
    },
  });

  async function logEntry(fields: { metric: string; day: string; value: number; note?: string }, userId: string = USERS.rep) {
    const { entry } = await addManualEntry(
      h.runtime.store,
      { metricId: fields.metric, day: fields.day, value: fields.value, userId, enteredBy: userId, note: fields.note ?? null },
      NOW,
    );
    return entry;
  }

  async function openHome(userId: string): Promise<Payload> {
    await h.event(appHomeOpenedEvent(userId));
    const home = h.fake.homeView(userId);
    expect(home).toBeDefined();
    return home!;
  }

  describe('App Home', () => {
    it('publishes my metrics this week with status, my last 10 entries with Edit/Delete, and *Log activity*', async () => {
      const entry = await logEntry({ metric: 'coi_meetings', day: '2026-11-17', value: 2, note: 'Breakfast with an attorney' });
      const home = await openHome(USERS.rep);
      expect(h.fake.callsTo('views.publish')[0]!.body).toMatchObject({ user_id: USERS.rep });
      expect(home.type).toBe('home');

      const text = blockText(home);
      expect(text).toContain('2026-W47');
      // Owned by id (volunteer_hours) and by an email mapped to this user (coi_meetings, ftas_attended).
      for (const name of ['COI meetings attended', 'Volunteer hours', 'FTAs attended']) expect(text).toContain(`*${name}*`);
      expect(text).not.toContain('*Dials*');
      expect(text).toContain('so far');
      expect(text).toContain('Breakfast with an attorney');

      const ids = actionIds(home);
      expect(ids).toContain('log_activity');
      const entryButtons = ids.filter((id) => id.startsWith('edit_entry:'));
      expect(entryButtons).toHaveLength(10);
      expect(entryButtons[0]).toBe(`edit_entry:${entry.id}`);
      expect(ids).toContain(`delete_entry:${entry.id}`);
      expect(findElement(home, `delete_entry:${entry.id}`)!.confirm).toMatchObject({ confirm: { text: 'Delete' } });
      expect(text).not.toContain('Source health');
    });

    it('learns the user’s email once with users.info (owners may be emails)', async () => {
      await openHome(USERS.dana);
      await openHome(USERS.dana);
      expect(h.fake.callsTo('users.info').filter((c) => c.body.user === USERS.dana)).toHaveLength(1);
    });

    it('ignores the Messages tab', async () => {
      await h.event(appHomeOpenedEvent(USERS.rep, 'messages'));
      expect(h.fake.callsTo('views.publish')).toEqual([]);
    });

    it('shows admins source health: last success, consecutive failures, last error class — never the error text', async () => {
      const home = await openHome(USERS.admin);
      const text = blockText(home);
      expect(text).toContain('Source health');
      expect(text).toMatch(/\*hubspot\* · last success never · 1 failure in a row \(rate_limited\)/);
      expect(text).toMatch(/\*sample\* · last success 3 h ago/);
      expect(text).not.toContain('api.hubapi.com');
    });

    it('*Edit* opens the pre-filled modal without a store read, and saving writes a version that supersedes the old one', async () => {
      const entry = await logEntry({ metric: 'coi_meetings', day: '2026-11-16', value: 1, note: 'first try' });
      const home = await openHome(USERS.rep);
      const edit = findElement(home, `edit_entry:${entry.id}`)!;
      await h.interact(
        blockActionsPayload(
          [{ action_id: `edit_entry:${entry.id}`, value: edit.value as string }],
          { type: 'view', view: home },
          USERS.rep,
        ),
      );

      const modal = h.fake.callsTo('views.open')[0]!.response.view as Payload;
      expect(modal.title).toMatchObject({ text: 'Edit entry' });
      expect(findElement(modal, 'entry_metric')).toBeUndefined();
      expect(findElement(modal, 'entry_date')!.initial_date).toBe('2026-11-16');
      expect(findElement(modal, 'entry_value')).toMatchObject({ initial_value: '1', max_value: '20' });
      expect(findElement(modal, 'entry_note')!.initial_value).toBe('first try');

      h.fake.reset();
      const submission = viewSubmissionPayload({
        callbackId: modal.callback_id,
        privateMetadata: modal.private_metadata,
        userId: USERS.rep,
        viewId: modal.id,
        blocks: modal.blocks,
        values: {
          date: { entry_date: { type: 'datepicker', selected_date: '2026-11-17' } },
          value: { entry_value: { type: 'number_input', value: '4' } },
          note: { entry_note: { type: 'plain_text_input', value: 'corrected' } },
        },
      });
      const response = await h.interact(submission);
      expect(response).toMatchObject({ status: 200, text: '' });

      const history = await entryHistory(h.runtime.store, entry.id);
      expect(history.map((v) => [v.value, v.day, v.note, v.supersedes])).toEqual([
        [1, '2026-11-16', 'first try', null],
        [4, '2026-11-17', 'corrected', entry.id],
      ]);
      const live = await recentEntriesByUser(h.runtime.store, USERS.rep, 50);
      expect(live.map((e) => e.id)).toContain(history[1]!.id);
      expect(live.map((e) => e.id)).not.toContain(entry.id);
      // The Home tab is redrawn with the new version.
      const republished = h.fake.homeView(USERS.rep)!;
      expect(actionIds(republished)).toContain(`edit_entry:${history[1]!.id}`);
      expect(actionIds(republished)).not.toContain(`edit_entry:${entry.id}`);
    });

    it('an edit is validated like a new entry, and a locked week stays locked', async () => {
      const entry = await logEntry({ metric: 'coi_meetings', day: '2026-10-28', value: 1 });
      const home = await openHome(USERS.rep);
      await h.interact(
        blockActionsPayload(
          [{ action_id: `edit_entry:${entry.id}`, value: findElement(home, `edit_entry:${entry.id}`)!.value as string }],
          { type: 'view', view: home },
          USERS.rep,
        ),
      );
      const modal = h.fake.callsTo('views.open')[0]!.response.view as Payload;
      const submitWith = (day: string, value: string) =>
        h.interact(
          viewSubmissionPayload({
            callbackId: modal.callback_id,
            privateMetadata: modal.private_metadata,
            userId: USERS.rep,
            viewId: modal.id,
            blocks: modal.blocks,
            values: {
              date: { entry_date: { type: 'datepicker', selected_date: day } },
              value: { entry_value: { type: 'number_input', value } },
            },
          }),
        );
      expect((await submitWith('2026-11-17', '99')).json).toMatchObject({
        response_action: 'errors',
        errors: { value: expect.stringContaining('between 0 and 20') },
      });
      expect((await submitWith('2026-11-17', '2')).json).toMatchObject({
        response_action: 'errors',
        errors: { date: expect.stringContaining('locked week') },
      });
      expect(await entryHistory(h.runtime.store, entry.id)).toHaveLength(1);
    });

    it('*Delete* (after the confirm dialog) marks the entry deleted and redraws the Home tab without it', async () => {
      const entry = await logEntry({ metric: 'volunteer_hours', day: '2026-11-17', value: 1.5 });
      const home = await openHome(USERS.rep);
      h.fake.reset();
      await h.interact(
        blockActionsPayload([{ action_id: `delete_entry:${entry.id}`, value: String(entry.id) }], { type: 'view', view: home }, USERS.rep),
      );

      expect((await getManualEntry(h.runtime.store, entry.id))!).toMatchObject({ deleted_by: USERS.rep });
      expect((await getManualEntry(h.runtime.store, entry.id))!.deleted_at).not.toBeNull();
      const republished = h.fake.homeView(USERS.rep)!;
      expect(actionIds(republished)).not.toContain(`delete_entry:${entry.id}`);
    });

    it('refuses to delete someone else’s entry, saying why on the Home tab', async () => {
      const entry = await logEntry({ metric: 'volunteer_hours', day: '2026-11-17', value: 3 });
      await h.interact(
        blockActionsPayload(
          [{ action_id: `delete_entry:${entry.id}`, value: String(entry.id) }],
          { type: 'view', view: { id: 'V0HOME', type: 'home' } },
          USERS.dana,
        ),
      );
      expect((await getManualEntry(h.runtime.store, entry.id))!.deleted_at).toBeNull();
      expect(blockText(h.fake.homeView(USERS.dana)!)).toContain('Only the person it counts for');
    });
  });
});
