import { describe, expect, it, vi } from 'vitest';
import { storeKinds } from '../helpers/tmp-store.js';
import { metricAnswer } from '../../src/report/queries.js';
import { lastCompletedWeek } from '../../src/metrics/periods.js';
import { metricById } from '../../src/metrics/catalog.js';
import { formatValue } from '../../src/metrics/format.js';
import { isChart, type LineChart } from '../../src/slack/chart.js';
import { checkMessage } from '../../src/slack/limits.js';
import { blockActionsPayload } from '../helpers/slack-requests.js';
import { actionIds, blockText, CHANNELS, findElement, NOW, USERS, type BotHarness, botTestLifecycle } from './harness.js';

let h: BotHarness;
describe.each(storeKinds())('%s store', (kind) => {
  botTestLifecycle({
    kind,
    onStart: (started) => {
      h = started;
    },
  });

  async function expectedAnswer(metricId: string) {
    const ctx = h.runtime.evalContext(NOW);
    return metricAnswer(h.runtime.store, ctx, metricById(h.runtime.config, metricId)!, lastCompletedWeek(NOW, ctx.periods), false);
  }

  describe('/metric <query>', () => {
    it('acks with an empty 200, then answers once, privately, with value, status and why, trend, freshness and the definition', async () => {
      const { response, replies } = await h.command('/metric', 'close rate');
      expect(response).toMatchObject({ status: 200, text: '' });
      expect(replies).toHaveLength(1);
      const reply = replies[0]!.body;
      const answer = await expectedAnswer('same_day_close_rate');
      expect(reply.response_type).toBe('ephemeral');
      const text = blockText(reply);
      expect(text).toContain(answer.value_text);
      expect(text).toContain(answer.reason);
      expect(text).toContain(answer.goal_text!);
      expect(text).toContain(answer.trend.sparkline);
      expect(text).toContain('*Definition* Tickets closed the day they were created');
      expect(text).toContain('*Why it matters*');
      expect(text).toContain('*Calculation* Closed the day created ÷ closed.');
      expect(text).toContain('source sample');
      expect(String(reply.text)).toContain('Same-day close rate');
      expect(actionIds(reply)).toEqual(['share_metric']);
    });

    it('/metric dials draws the last 13 weeks against the goal as a line chart, with the same figures in text', async () => {
      const { replies } = await h.command('/metric', 'dials');
      expect(replies).toHaveLength(1);
      const blocks = replies[0]!.body.blocks as { type: string }[];
      const charts = blocks.filter(isChart);
      expect(charts).toHaveLength(1);
      const answer = await expectedAnswer('dials');
      const chart = charts[0]!;
      expect(chart.title).toBe('Dials, last 13 weeks');
      expect(chart.chart.type).toBe('line');
      const line = chart.chart as LineChart;
      expect(line.axis_config.categories).toEqual(answer.trend.weeks);
      expect(line.axis_config.categories).toHaveLength(13);
      expect(line.series.map((s) => s.name)).toEqual(['Actual', 'Goal']);
      const actual = line.series[0]!.data;
      expect(actual.map((p) => p.value)).toEqual(answer.trend.values.filter((v) => v !== null));
      expect(line.series[1]!.data).toEqual(answer.trend.weeks.map((label) => ({ label, value: 125 })));
      expect(checkMessage({ text: 'x', blocks })).toEqual([]);
      // The figures beside the chart, in text.
      const figures = JSON.stringify(blocks[blocks.indexOf(chart) + 1]);
      for (const point of actual.slice(-3)) expect(figures).toContain(`${point.label.slice(5)} ${formatValue(point.value, 'count')}`);
      expect(figures).toContain('goal ≥ 125');
    });

    it('answers again without the chart when Slack refuses it, logging the refusal once', async () => {
      h.fake.refuseBlockTypes(['data_visualization']);
      const warn = vi.spyOn(h.runtime.logger, 'warn');
      try {
        const { replies } = await h.command('/metric', 'dials');
        expect(replies).toHaveLength(2);
        expect((replies[0]!.body.blocks as unknown[]).some(isChart)).toBe(true);
        const delivered = replies[1]!.body.blocks as { type: string }[];
        expect(delivered.some(isChart)).toBe(false);
        expect(JSON.stringify(delivered)).toContain('goal ≥ 125');
        const refusals = warn.mock.calls.filter((call) => String(call[1]).includes('invalid_blocks'));
        expect(refusals).toHaveLength(1);
      } finally {
        warn.mockRestore();
      }
    });

    it('shows a caveat for proxies (bills missing W-9)', async () => {
      const { replies } = await h.command('/metric', 'w9');
      expect(blockText(replies[0]!.body)).toContain('⚠️ A proxy — BILL exposes no "W-9 received" flag');
    });

    it('answers for an explicit week given after the query', async () => {
      const { replies } = await h.command('/metric', 'dials 2026-W44');
      const text = blockText(replies[0]!.body);
      expect(text).toContain('2026-W44 · Mon 26 Oct – Sun 1 Nov 2026');
      expect(findElement(replies[0]!.body, 'share_metric')?.value).toBe(JSON.stringify({ m: 'dials', p: '2026-W44' }));
    });

    it('lists every metric by group for /metric list', async () => {
      const { replies } = await h.command('/metric', 'list');
      const text = blockText(replies[0]!.body);
      for (const group of ['*Sales*', '*Finance*', '*Operations*']) expect(text).toContain(group);
      expect(text).toContain('Cash position `cash` 🔒');
      expect(text).toContain('COI meetings attended `coi_meetings`');
    });

    it('explains itself for /metric help and for an empty query', async () => {
      for (const query of ['help', '']) {
        const { replies } = await h.command('/metric', query);
        expect(blockText(replies[0]!.body)).toContain('`/metric list`');
      }
    });

    it('answers nonsense with no suggestion rather than an unrelated metric', async () => {
      const { replies } = await h.command('/metric', 'zzqqxx');
      expect(actionIds(replies[0]!.body).filter((id) => id.startsWith('pick_metric:'))).toEqual([]);
      expect(blockText(replies[0]!.body) + String(replies[0]!.body.text)).toContain('zzqqxx');
    });

    it('offers up to three suggestions as buttons for a typo, and a click answers that metric', async () => {
      const { replies } = await h.command('/metric', 'dails');
      const suggestions = replies[0]!.body;
      const ids = actionIds(suggestions);
      expect(ids.length).toBeGreaterThan(0);
      expect(ids.length).toBeLessThanOrEqual(3);
      expect(ids.every((id) => id.startsWith('pick_metric:'))).toBe(true);
      expect(blockText(suggestions)).toContain('No metric matches *dails*');
      expect(ids[0]).toBe('pick_metric:dials');

      const firstId = ids[0]!;
      const metricId = firstId.slice('pick_metric:'.length);
      const button = findElement(suggestions, firstId)!;
      const responseUrl = h.fake.responseUrl();
      await h.interact(
        blockActionsPayload(
          [{ action_id: firstId, value: button.value as string }],
          { type: 'message', responseUrl, isEphemeral: true, channelId: CHANNELS.cash },
          USERS.rep,
        ),
      );
      const answer = h.fake.responses.find((r) => r.url === responseUrl)!.body;
      expect(answer.replace_original).toBe(true);
      const expected = await expectedAnswer(metricId);
      expect(blockText(answer)).toContain(expected.value_text);
      expect(blockText(answer)).toContain(expected.name);
    });
  });

  describe('sensitive metrics', () => {
    it('refuses cash politely to someone not allowed, in a channel not allowed — and shows no figure', async () => {
      const { replies } = await h.command('/metric', 'cash', { userId: USERS.rep, channelId: CHANNELS.general });
      const answer = await expectedAnswer('cash');
      const text = blockText(replies[0]!.body) + String(replies[0]!.body.text);
      expect(text).toContain('restricted');
      expect(text).not.toContain(answer.value_text);
      expect(text).not.toContain('$');
    });

    it('answers cash to an allowed user anywhere', async () => {
      const { replies } = await h.command('/metric', 'cash', { userId: USERS.cfo, channelId: CHANNELS.general });
      expect(blockText(replies[0]!.body)).toContain((await expectedAnswer('cash')).value_text);
    });

    it('answers cash to anyone in an allowed channel', async () => {
      const { replies } = await h.command('/metric', 'cash', { userId: USERS.rep, channelId: CHANNELS.cash });
      expect(blockText(replies[0]!.body)).toContain((await expectedAnswer('cash')).value_text);
    });

    it('refuses a suggestion click on a sensitive metric just like the command', async () => {
      const responseUrl = h.fake.responseUrl();
      await h.interact(
        blockActionsPayload(
          [{ action_id: 'pick_metric:cash', value: JSON.stringify({ m: 'cash', p: null }) }],
          { type: 'message', responseUrl, channelId: CHANNELS.general },
          USERS.rep,
        ),
      );
      const reply = h.fake.responses.find((r) => r.url === responseUrl)!.body;
      expect(blockText(reply)).toContain('restricted');
      expect(blockText(reply)).not.toContain('$');
    });
  });

  describe('Share in channel', () => {
    it('posts the same answer in the channel through the response_url, marked as shared, without a share button', async () => {
      const { replies } = await h.command('/metric', 'dials');
      const share = findElement(replies[0]!.body, 'share_metric')!;
      const responseUrl = h.fake.responseUrl();
      await h.interact(
        blockActionsPayload(
          [{ action_id: 'share_metric', value: share.value as string }],
          { type: 'message', responseUrl, channelId: CHANNELS.general, isEphemeral: true },
          USERS.rep,
        ),
      );
      const shared = h.fake.responses.find((r) => r.url === responseUrl)!.body;
      expect(shared.response_type).toBe('in_channel');
      expect(shared.replace_original).toBe(false);
      expect(blockText(shared)).toContain((await expectedAnswer('dials')).value_text);
      expect(blockText(shared)).toContain(`Shared by <@${USERS.rep}>`);
      expect(actionIds(shared)).toEqual([]);
    });

    it('will not share a sensitive metric outside its allowed channels, even for an allowed user', async () => {
      const { replies } = await h.command('/metric', 'cash', { userId: USERS.cfo, channelId: CHANNELS.general });
      const share = findElement(replies[0]!.body, 'share_metric')!;
      const responseUrl = h.fake.responseUrl();
      await h.interact(
        blockActionsPayload(
          [{ action_id: 'share_metric', value: share.value as string }],
          { type: 'message', responseUrl, channelId: CHANNELS.general, isEphemeral: true },
          USERS.cfo,
        ),
      );
      const reply = h.fake.responses.find((r) => r.url === responseUrl)!.body;
      expect(reply.response_type).toBe('ephemeral');
      expect(blockText(reply)).toContain("can't be shared in this channel");
      expect(blockText(reply)).not.toContain('$');
    });

    it('shares a sensitive metric inside an allowed channel', async () => {
      const responseUrl = h.fake.responseUrl();
      await h.interact(
        blockActionsPayload(
          [{ action_id: 'share_metric', value: JSON.stringify({ m: 'cash', p: null }) }],
          { type: 'message', responseUrl, channelId: CHANNELS.cash, isEphemeral: true },
          USERS.cfo,
        ),
      );
      const shared = h.fake.responses.find((r) => r.url === responseUrl)!.body;
      expect(shared.response_type).toBe('in_channel');
      expect(blockText(shared)).toContain((await expectedAnswer('cash')).value_text);
    });
  });

  describe('input is never broadcast unescaped', () => {
    const HOSTILE = '<!channel> <!here> <@U0EVIL01> & co';
    /** Every text and mrkdwn field, the fallback `text` included, as Slack would parse them for mentions. */
    const expectNoRawMention = (body: Record<string, unknown>) => {
      const json = JSON.stringify(body);
      for (const raw of ['<!channel>', '<!here>', '<@U0EVIL01>']) expect(json).not.toContain(raw);
    };

    it('a share whose button carries an unknown period answers only the sharer, escaped, never in_channel', async () => {
      const responseUrl = h.fake.responseUrl();
      await h.interact(
        blockActionsPayload(
          [{ action_id: 'share_metric', value: JSON.stringify({ m: 'dials', p: HOSTILE }) }],
          { type: 'message', responseUrl, channelId: CHANNELS.general, isEphemeral: true },
          USERS.rep,
        ),
      );
      const reply = h.fake.responses.find((r) => r.url === responseUrl)!.body;
      expect(reply.response_type).toBe('ephemeral');
      expect(String(reply.text)).toContain('&lt;!channel&gt;');
      expectNoRawMention(reply);
    });

    it('/metric echoes an unmatched query escaped, in the fallback text and the blocks', async () => {
      const { replies } = await h.command('/metric', HOSTILE);
      expect(replies).toHaveLength(1);
      expect(String(replies[0]!.body.text)).toContain('&lt;!here&gt;');
      expectNoRawMention(replies[0]!.body);
    });

    it('/metric with a known metric and a hostile period, and /scorecard with a hostile period, escape what they echo', async () => {
      const metric = await h.command('/metric', `dials ${HOSTILE}`);
      const scorecard = await h.command('/scorecard', HOSTILE);
      for (const reply of [...metric.replies, ...scorecard.replies]) {
        expect(reply.body.response_type).not.toBe('in_channel');
        expectNoRawMention(reply.body);
      }
      expect(metric.replies.length + scorecard.replies.length).toBeGreaterThanOrEqual(2);
    });
  });
});
