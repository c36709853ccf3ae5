import { describe, expect, it } from 'vitest';
import { storeKinds } from '../helpers/tmp-store.js';
import { weeklyScorecard } from '../../src/report/queries.js';
import { renderWeeklyMessages } from '../../src/slack/weekly.js';
import { lastCompletedWeek, parseWeekLabel } from '../../src/metrics/periods.js';
import { visibleScorecard } from '../../src/report/visibility.js';
import { blockActionsPayload } from '../helpers/slack-requests.js';
import { blockText, CHANNELS, findElement, NOW, USERS, type BotHarness, botTestLifecycle } from './harness.js';

let h: BotHarness;
describe.each(storeKinds())('%s store', (kind) => {
  botTestLifecycle({
    kind,
    onStart: (started) => {
      h = started;
    },
  });

  const tableOf = (body: { blocks?: unknown }) =>
    (body.blocks as { type: string; rows?: { text: string }[][] }[]).find((b) => b.type === 'table');
  const firstColumn = (body: { blocks?: unknown }) => (tableOf(body)?.rows ?? []).map((row) => row[0]?.text);

  describe('/scorecard [period]', () => {
    it('shows the last completed week by default, privately, as the weekly renderer draws it', async () => {
      const { response, replies } = await h.command('/scorecard', '', { userId: USERS.cfo });
      expect(response).toMatchObject({ status: 200, text: '' });
      const ctx = h.runtime.evalContext(NOW);
      const view = await weeklyScorecard(h.runtime.store, ctx, lastCompletedWeek(NOW, ctx.periods));
      const expected = renderWeeklyMessages(view, { now: NOW });
      expect(replies.map((r) => r.body.response_type)).toEqual(expected.map(() => 'ephemeral'));
      expect(replies.map((r) => r.body.text)).toEqual(expected.map((m) => m.text));
      expect(replies[0]!.body.text).toContain('2026-W46');
      expect(firstColumn(replies[0]!.body)).toContain('Cash position');
    });

    it('accepts a week label, last-week and this-week', async () => {
      for (const [text, label] of [
        ['2026-W44', '2026-W44'],
        ['last-week', '2026-W46'],
        ['this-week', '2026-W47'],
      ] as const) {
        const { replies } = await h.command('/scorecard', text, { userId: USERS.cfo });
        expect(replies[0]!.body.text).toContain(label);
      }
    });

    it('answers a bad period with a helpful message and no scorecard', async () => {
      const { replies } = await h.command('/scorecard', 'next-tuesday');
      expect(replies).toHaveLength(1);
      const text = blockText(replies[0]!.body);
      expect(text).toContain('"next-tuesday" isn\'t a period I know');
      expect(text).toContain('2026-W47');
      expect(text).toContain('last-week');
      expect(tableOf(replies[0]!.body)).toBeUndefined();
    });

    it('leaves sensitive rows out of the copy of someone not allowed to see them, and says so', async () => {
      const { replies } = await h.command('/scorecard', '', { userId: USERS.rep, channelId: CHANNELS.general });
      expect(replies.flatMap((r) => firstColumn(r.body))).not.toContain('Cash position');
      expect(replies.flatMap((r) => firstColumn(r.body))).toContain('Dials');
      expect(blockText(replies[replies.length - 1]!.body)).toContain('1 restricted metric is left out of your copy.');
    });

    it('recounts the summary over the rows shown', async () => {
      const ctx = h.runtime.evalContext(NOW);
      const full = await weeklyScorecard(h.runtime.store, ctx, parseWeekLabel('2026-W46', ctx.periods)!);
      const { view, hidden } = visibleScorecard(full, (id) => id !== 'cash');
      const cash = full.groups.flatMap((g) => g.rows).find((r) => r.id === 'cash')!;
      const total = (s: Record<string, number>) => Object.values(s).reduce((a, b) => a + b, 0);
      expect(hidden).toBe(1);
      expect(total(view.summary)).toBe(total(full.summary) - 1);
      expect(view.summary[cash.status]).toBe(full.summary[cash.status] - 1);
    });

    it('*Explain a metric* offers a menu of the metrics, and picking one answers it for the scorecard’s week', async () => {
      const { replies } = await h.command('/scorecard', '2026-W45', { userId: USERS.cfo });
      const explain = findElement(replies[0]!.body, 'explain_metric')!;
      expect(explain.value).toBe('2026-W45');

      const menuUrl = h.fake.responseUrl();
      await h.interact(
        blockActionsPayload(
          [{ action_id: 'explain_metric', value: explain.value as string }],
          { type: 'message', responseUrl: menuUrl },
          USERS.rep,
        ),
      );
      const menu = h.fake.responses.find((r) => r.url === menuUrl)!.body;
      const select = findElement(menu, 'explain_pick')!;
      const blockId = (menu.blocks as { block_id?: string }[])[0]!.block_id!;
      expect(blockId).toBe('explain:2026-W45');
      expect(JSON.stringify(select.option_groups)).toContain('"value":"dials"');

      const answerUrl = h.fake.responseUrl();
      await h.interact(
        blockActionsPayload(
          [
            {
              action_id: 'explain_pick',
              block_id: blockId,
              type: 'static_select',
              selected_option: { text: { type: 'plain_text', text: 'Dials' }, value: 'dials' },
            },
          ],
          { type: 'message', responseUrl: answerUrl },
          USERS.rep,
        ),
      );
      const answer = h.fake.responses.find((r) => r.url === answerUrl)!.body;
      expect(answer.replace_original).toBe(true);
      expect(blockText(answer)).toContain('2026-W45 · Mon 2 Nov – Sun 8 Nov 2026');
    });
  });
});
