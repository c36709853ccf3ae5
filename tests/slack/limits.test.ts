import { describe, expect, it } from 'vitest';
import { SLACK_LIMITS, assertSlackLimits, assertViewLimits, blocksTextLength, checkMessage, checkView } from '../../src/slack/limits.js';

const chars = (n: number, c = 'x') => c.repeat(n);
const plain = (text: string) => ({ type: 'plain_text', text });
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
const section = (text: string, extra: Record<string, unknown> = {}) => ({ type: 'section', text: mrkdwn(text), ...extra });
const divider = { type: 'divider' };
const button = (actionId: string, extra: Record<string, unknown> = {}) => ({
  type: 'button',
  action_id: actionId,
  text: plain('Go'),
  ...extra,
});
const option = (i: number, text = `Option ${i}`, value = `v${i}`) => ({ text: plain(text), value });
const table = (rows: number, cellsPerRow: number, columnSettings = 0) => ({
  type: 'table',
  column_settings: Array.from({ length: columnSettings }, () => ({ align: 'left' })),
  rows: Array.from({ length: rows }, () => Array.from({ length: cellsPerRow }, () => ({ type: 'raw_text', text: '1' }))),
});
const message = (blocks: unknown[]) => ({ text: 'Weekly scorecard', blocks });
const modal = (blocks: unknown[], extra: Record<string, unknown> = {}) => ({
  type: 'modal' as const,
  title: plain('Log activity'),
  submit: plain('Save'),
  close: plain('Cancel'),
  blocks,
  ...extra,
});

/** Asserts `build(limit)` is clean and `build(limit + 1)` yields exactly one problem matching `expected`. */
function atAndPast(check: (n: number) => string[], limit: number, expected: RegExp): void {
  expect(check(limit)).toEqual([]);
  const problems = check(limit + 1);
  expect(problems).toHaveLength(1);
  expect(problems[0]).toMatch(expected);
}

describe('checkMessage', () => {
  it('accepts a well-formed message', () => {
    expect(checkMessage(message([{ type: 'header', text: plain('Week 47') }, divider, section('hi')]))).toEqual([]);
  });

  it('requires a top-level text fallback', () => {
    expect(checkMessage({ blocks: [section('hi')] })).toEqual([
      'text: missing top-level text fallback (notifications and screen readers use it)',
    ]);
    expect(checkMessage({ text: '  ', blocks: [section('hi')] })).toHaveLength(1);
    expect(checkMessage({ text: 'plain message' })).toEqual([]);
  });

  it('allows 50 blocks per message', () => {
    atAndPast((n) => checkMessage(message(Array.from({ length: n }, () => divider))), 50, /^blocks: has 51 blocks \(max 50/);
  });

  it('allows one table per message', () => {
    atAndPast((n) => checkMessage(message(Array.from({ length: n }, () => table(2, 2)))), 1, /^blocks: has 2 table blocks/);
  });

  it('limits table rows, cells per row and column settings', () => {
    atAndPast((n) => checkMessage(message([table(n, 1)])), 100, /^blocks\[0\] table: rows has 101 items \(max 100\)$/);
    atAndPast((n) => checkMessage(message([table(1, n)])), 20, /^blocks\[0\] table: rows\[0\] has 21 cells \(max 20\)$/);
    atAndPast((n) => checkMessage(message([table(1, 1, n)])), 20, /^blocks\[0\] table: column_settings has 21 items/);
  });

  it('limits section text to 1–3000 characters, naming the block', () => {
    atAndPast(
      (n) => checkMessage(message([divider, divider, divider, section(chars(n))])),
      3000,
      /^blocks\[3\] section: text has 3001 characters \(max 3000\)$/,
    );
    expect(checkMessage(message([section('')]))).toEqual(['blocks[0] section: text has 0 characters (min 1)']);
    expect(checkMessage(message([{ type: 'section' }]))).toEqual(['blocks[0] section: needs text or fields']);
  });

  it('limits section fields to 10, each ≤ 2000 characters', () => {
    const withFields = (fields: unknown[]) => message([{ type: 'section', fields }]);
    atAndPast((n) => checkMessage(withFields(Array.from({ length: n }, () => mrkdwn('f')))), 10, /fields has 11 items \(max 10\)/);
    atAndPast((n) => checkMessage(withFields([mrkdwn(chars(n))])), 2000, /^blocks\[0\] section: fields\[0\] has 2001 characters/);
  });

  it('limits header text to 150 plain_text characters', () => {
    atAndPast(
      (n) => checkMessage(message([{ type: 'header', text: plain(chars(n)) }])),
      150,
      /^blocks\[0\] header: text has 151 characters \(max 150\)$/,
    );
    expect(checkMessage(message([{ type: 'header', text: mrkdwn('*bold*') }]))).toEqual([
      'blocks[0] header: text must be a plain_text object',
    ]);
  });

  it('limits context elements to 10 and actions elements to 25', () => {
    atAndPast(
      (n) => checkMessage(message([{ type: 'context', elements: Array.from({ length: n }, () => mrkdwn('c')) }])),
      10,
      /^blocks\[0\] context: elements has 11 items/,
    );
    atAndPast(
      (n) => checkMessage(message([{ type: 'actions', elements: Array.from({ length: n }, (_, i) => button(`b${i}`)) }])),
      25,
      /^blocks\[0\] actions: elements has 26 items/,
    );
  });

  it('limits button text, value and action_id', () => {
    const withButton = (b: unknown) => message([{ type: 'actions', elements: [b] }]);
    atAndPast(
      (n) => checkMessage(withButton(button('a', { text: plain(chars(n)) }))),
      75,
      /^blocks\[0\] actions: elements\[0\] button: text has 76 characters \(max 75\)$/,
    );
    atAndPast((n) => checkMessage(withButton(button('a', { value: chars(n) }))), 2000, /button: value has 2001 characters/);
    atAndPast((n) => checkMessage(withButton(button(chars(n)))), 255, /button: action_id has 256 characters \(max 255\)/);
  });

  it('requires action_id unique across the whole message, including accessories', () => {
    const problems = checkMessage(
      message([
        section('a', { accessory: button('log_activity') }),
        { type: 'actions', elements: [button('explain'), button('log_activity')] },
      ]),
    );
    expect(problems).toEqual(['blocks[1] actions: elements[1] button: action_id "log_activity" is not unique']);
  });

  it('limits block_id to 255 characters and requires it unique', () => {
    atAndPast((n) => checkMessage(message([{ ...divider, block_id: chars(n) }])), 255, /^blocks\[0\] divider: block_id has 256/);
    expect(
      checkMessage(
        message([
          { ...divider, block_id: 'x' },
          { ...divider, block_id: 'x' },
        ]),
      ),
    ).toEqual(['blocks[1] divider: block_id "x" is not unique']);
  });

  it('limits static_select options (100, text 75, value 75) including option groups', () => {
    const select = (extra: Record<string, unknown>) =>
      message([section('Pick', { accessory: { type: 'static_select', action_id: 's', ...extra } })]);
    atAndPast(
      (n) => checkMessage(select({ options: Array.from({ length: n }, (_, i) => option(i)) })),
      100,
      /static_select: options has 101 items \(max 100\)/,
    );
    atAndPast((n) => checkMessage(select({ options: [option(1, chars(n))] })), 75, /options\[0\] text has 76 characters/);
    atAndPast((n) => checkMessage(select({ options: [option(1, 'ok', chars(n))] })), 75, /options\[0\] value has 76 characters/);
    const groups = [{ label: plain('G'), options: [option(1, chars(76))] }];
    expect(checkMessage(select({ option_groups: groups }))).toEqual([
      'blocks[0] section: accessory static_select: options[0] text has 76 characters (max 75)',
    ]);
  });

  it('limits overflow (5), checkboxes (10) and radio buttons (10) options', () => {
    const withElement = (type: string, n: number) =>
      checkMessage(
        message([{ type: 'actions', elements: [{ type, action_id: 'e', options: Array.from({ length: n }, (_, i) => option(i)) }] }]),
      );
    atAndPast((n) => withElement('overflow', n), 5, /overflow: options has 6 items/);
    atAndPast((n) => withElement('checkboxes', n), 10, /checkboxes: options has 11 items/);
    atAndPast((n) => withElement('radio_buttons', n), 10, /radio_buttons: options has 11 items/);
  });

  it('limits total block text (text objects and table cells) to 11,000 characters', () => {
    const cells = (n: number) => ({ type: 'table', rows: [[{ type: 'raw_text', text: chars(n) }]] });
    const blocks = (n: number) => [section(chars(3000)), section(chars(3000)), section(chars(3000)), cells(n)];
    expect(blocksTextLength(blocks(2000))).toBe(11_000);
    atAndPast((n) => checkMessage(message(blocks(n))), 2000, /^blocks: total text has 11001 characters \(max 11000/);
  });

  it('reports every problem at once and rejects non-block entries', () => {
    const problems = checkMessage({ blocks: [42, section(chars(3001)), { type: 'header', text: plain(chars(151)) }] });
    expect(problems).toEqual([
      'text: missing top-level text fallback (notifications and screen readers use it)',
      'blocks[0]: not a block object with a type',
      'blocks[1] section: text has 3001 characters (max 3000)',
      'blocks[2] header: text has 151 characters (max 150)',
    ]);
  });
});

describe('checkView', () => {
  it('allows 100 blocks per modal and home view', () => {
    atAndPast((n) => checkView(modal(Array.from({ length: n }, () => divider))), 100, /^view blocks: has 101 blocks \(max 100/);
    atAndPast((n) => checkView({ type: 'home', blocks: Array.from({ length: n }, () => divider) }), 100, /has 101 blocks/);
  });

  it('limits modal title, submit and close to 24 characters', () => {
    atAndPast((n) => checkView(modal([], { title: plain(chars(n)) })), 24, /^view title: text has 25 characters \(max 24\)$/);
    atAndPast((n) => checkView(modal([], { submit: plain(chars(n)) })), 24, /^view submit: text has 25 characters/);
    atAndPast((n) => checkView(modal([], { close: plain(chars(n)) })), 24, /^view close: text has 25 characters/);
    expect(checkView({ type: 'modal', blocks: [] })).toEqual(['view title: is required for a modal']);
  });

  it('requires submit when a modal has input blocks', () => {
    const input = {
      type: 'input',
      block_id: 'value',
      label: plain('Value'),
      element: { type: 'number_input', action_id: 'v', is_decimal_allowed: true },
    };
    expect(checkView(modal([input]))).toEqual([]);
    expect(checkView({ type: 'modal', title: plain('Log'), blocks: [input] })).toEqual([
      'view submit: is required when the modal has input blocks',
    ]);
  });

  it('limits private_metadata to 3000 characters', () => {
    atAndPast((n) => checkView(modal([], { private_metadata: chars(n) })), 3000, /^view private_metadata: value has 3001/);
  });

  it('limits input label to 2000 characters', () => {
    const input = (label: string) => ({ type: 'input', label: plain(label), element: { type: 'plain_text_input', action_id: 'note' } });
    atAndPast((n) => checkView(modal([input(chars(n))])), 2000, /^blocks\[0\] input: label has 2001 characters \(max 2000\)$/);
  });

  it('checks action_id uniqueness across input elements and accessories', () => {
    const input = { type: 'input', label: plain('Metric'), element: { type: 'static_select', action_id: 'metric', options: [option(1)] } };
    expect(checkView({ type: 'home', blocks: [input, section('x', { accessory: button('metric') })] })).toEqual([
      'blocks[1] section: accessory button: action_id "metric" is not unique',
    ]);
  });
});

describe('assert helpers', () => {
  it('throw with every problem listed, and pass silently when clean', () => {
    expect(() => assertSlackLimits(message([section('ok')]))).not.toThrow();
    expect(() => assertSlackLimits({ blocks: [section(chars(3001))] })).toThrow(
      /missing top-level text fallback[\s\S]*blocks\[0\] section: text has 3001 characters/,
    );
    expect(() => assertViewLimits(modal([]))).not.toThrow();
    expect(() => assertViewLimits(modal([], { title: plain(chars(25)) }))).toThrow(/view title: text has 25 characters/);
  });

  it('exposes the limits used, so renderers can budget', () => {
    expect(SLACK_LIMITS.messageBlocks).toBe(50);
    expect(SLACK_LIMITS.messageTotalText).toBe(11_000);
  });
});
