import type { ContextBlock, KnownBlock } from '@slack/types';
import type { Goal, Unit } from '../config/schema.js';
import { formatValue } from '../metrics/format.js';
import { describeGoal } from '../metrics/goals.js';
import { clip, escapeMrkdwn, mrkdwn } from './blocks.js';

/**
 * Slack's native chart, the `data_visualization` block (reference/slack-platform.md §1.2). `@slack/types` does not
 * have it yet, so it is typed here. Every chart goes out with its figures also in text beside it: screen readers,
 * notifications and clients that cannot draw it read those.
 */

export interface ChartPoint {
  label: string;
  value: number;
}

export interface ChartSeries {
  name: string;
  data: ChartPoint[];
}

export interface LineChart {
  type: 'line' | 'bar' | 'area';
  series: ChartSeries[];
  axis_config: { categories: string[]; x_label?: string; y_label?: string };
}

export interface PieChart {
  type: 'pie';
  segments: ChartPoint[];
}

export interface DataVisualizationBlock {
  type: 'data_visualization';
  title: string;
  chart: LineChart | PieChart;
  block_id?: string;
}

/** Blocks a message may carry: Block Kit's own, and the chart that `@slack/types` does not know yet. */
export type MessageBlock = KnownBlock | DataVisualizationBlock;

export const CHART_LIMITS = {
  title: 50,
  categories: 20,
  categoryText: 20,
  axisLabel: 50,
  minSeries: 1,
  maxSeries: 6,
  chartsPerMessage: 2,
} as const;

export function isChart(block: unknown): block is DataVisualizationBlock {
  return typeof block === 'object' && block !== null && (block as { type?: unknown }).type === 'data_visualization';
}

/** The message without its charts: what is sent again when Slack refuses one (`invalid_blocks`). */
export function withoutCharts<M extends { blocks?: unknown[] }>(message: M): M {
  return { ...message, blocks: message.blocks?.filter((block) => !isChart(block)) };
}

export function hasCharts(message: { blocks?: unknown[] }): boolean {
  return (message.blocks ?? []).some(isChart);
}

/** One goal line per bound: "Goal" for ≥, ≤ and =; "Goal min" and "Goal max" for a range. */
function goalSeries(weeks: string[], goals: (Goal | null)[]): ChartSeries[] {
  const line = (name: string, pick: (goal: Goal) => number | undefined): ChartSeries => ({
    name,
    data: weeks.flatMap((label, i) => {
      const goal = goals[i];
      const value = goal ? pick(goal) : undefined;
      return value === undefined ? [] : [{ label, value }];
    }),
  });
  const ranged = goals.some((g) => g?.op === 'between');
  const series = ranged
    ? [line('Goal min', (g) => (g.op === 'between' ? g.min : g.value)), line('Goal max', (g) => (g.op === 'between' ? g.max : g.value))]
    : [line('Goal', (g) => g.value)];
  return series.filter((s) => s.data.length > 0);
}

export interface TrendChartInput {
  name: string;
  unit: Unit;
  /** Week labels, oldest first (2026-W35 …). */
  weeks: string[];
  values: (number | null)[];
  goals: (Goal | null)[];
}

/** A line chart of the weeks (at most 20, the newest kept) with the goal as a second series. Weeks without data are gaps. */
export function trendChart(input: TrendChartInput): DataVisualizationBlock {
  const keep = Math.min(input.weeks.length, CHART_LIMITS.categories);
  const weeks = input.weeks.slice(-keep);
  const values = input.values.slice(-keep);
  const goals = input.goals.slice(-keep);
  const actual: ChartSeries = {
    name: 'Actual',
    data: weeks.flatMap((label, i) => (values[i] === null || values[i] === undefined ? [] : [{ label, value: values[i]! }])),
  };
  return {
    type: 'data_visualization',
    title: clip(`${input.name}, last ${weeks.length} weeks`, CHART_LIMITS.title),
    chart: {
      type: 'line',
      series: [actual, ...goalSeries(weeks, goals)],
      axis_config: {
        categories: weeks.map((w) => clip(w, CHART_LIMITS.categoryText)),
        y_label: clip(UNIT_LABEL[input.unit], CHART_LIMITS.axisLabel),
      },
    },
  };
}

const UNIT_LABEL: Record<Unit, string> = { count: 'Count', currency: 'USD', percent: 'Percent', hours: 'Hours', days: 'Days' };

/** The chart's figures as text, next to it: "W35 120 · W36 131 … · goal ≥ 125". */
export function chartFigures(input: TrendChartInput): ContextBlock {
  const points = input.weeks.map((w, i) => `${w.replace(/^\d{4}-/, '')} ${formatValue(input.values[i] ?? null, input.unit)}`);
  const goal = input.goals[input.goals.length - 1];
  const text = `${escapeMrkdwn(input.name)}: ${points.join(' · ')}${goal ? ` · goal ${describeGoal(goal, input.unit)}` : ' · no goal'}`;
  return { type: 'context', elements: [mrkdwn(clip(text, 2000))] };
}

/** Slack refused the blocks (`invalid_blocks`), from the Web API or a response_url. */
export function isInvalidBlocks(error: unknown): boolean {
  return (error as { data?: { error?: unknown } } | null)?.data?.error === 'invalid_blocks';
}

/**
 * Sends a message; if Slack refuses its blocks and it carries a chart (the newest block type, the likeliest to be
 * refused by a workspace or client that doesn't have it yet), sends it again without the charts — their figures are
 * in text beside them — and reports the refusal once through `onRefused`.
 */
export async function sendDroppingRefusedCharts<M extends { blocks?: unknown[] }, T>(
  message: M,
  send: (message: M) => Promise<T>,
  onRefused: (error: unknown) => void,
): Promise<T> {
  try {
    return await send(message);
  } catch (error) {
    if (!hasCharts(message) || !isInvalidBlocks(error)) throw error;
    onRefused(error);
    return send(withoutCharts(message));
  }
}
