// Block Kit limits checker. Slack rejects (or silently truncates) payloads over these limits, and the
// cumulative-text limit is undocumented (msg_blocks_too_long at ~12k chars), so every message and view the
// bot builds is checked in tests. Sources: reference/slack-platform.md §1 (@slack/types JSDoc, Slack docs).
// Lengths are UTF-16 code units (String.length): never fewer than Slack's own character count, so this errs safe.

export const SLACK_LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  tablesPerMessage: 1,
  tableRows: 100,
  tableCellsPerRow: 20,
  tableColumnSettings: 20,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  blockId: 255,
  staticSelectOptions: 100,
  overflowOptions: 5,
  checkboxOptions: 10,
  radioOptions: 10,
  optionText: 75,
  // Slack's docs say 150; @slack/types says 75. The stricter one is safe on both.
  optionValue: 75,
  imageAltText: 2000,
  modalTitle: 24,
  modalButton: 24,
  privateMetadata: 3000,
  inputLabel: 2000,
  inputHint: 2000,
  // Slack fails with msg_blocks_too_long around 12k characters of block text; keep a buffer.
  messageTotalText: 11_000,
  // data_visualization (§1.2): a title, ≤ 20 categories of ≤ 20 characters, 1–6 series, two charts per message.
  chartsPerMessage: 2,
  chartTitle: 50,
  chartCategories: 20,
  chartCategoryText: 20,
  chartAxisLabel: 50,
  chartSeries: 6,
} as const;

export interface SlackMessageLike {
  text?: string;
  blocks?: unknown[];
}

export interface SlackViewLike {
  type: 'modal' | 'home';
  blocks: unknown[];
  title?: unknown;
  submit?: unknown;
  close?: unknown;
  private_metadata?: string;
}

type Obj = Record<string, unknown>;

const isObj = (value: unknown): value is Obj => typeof value === 'object' && value !== null && !Array.isArray(value);
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const textOf = (value: unknown): string | undefined => {
  if (typeof value === 'string') return value;
  if (isObj(value) && typeof value.text === 'string') return value.text;
  return undefined;
};

/** Every `text` string in a block tree: text objects, rich_text elements, table raw_text cells. */
export function blocksTextLength(blocks: readonly unknown[]): number {
  let total = 0;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const child of node) visit(child);
      return;
    }
    if (!isObj(node)) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'text' && typeof value === 'string') total += value.length;
      else visit(value);
    }
  };
  visit(blocks);
  return total;
}

/** Collects problems for one surface; uniqueness of ids spans the whole message or view. */
class Checker {
  readonly problems: string[] = [];
  private readonly blockIds = new Set<string>();
  private readonly actionIds = new Set<string>();

  report(where: string, rule: string): void {
    this.problems.push(`${where}: ${rule}`);
  }

  maxLength(where: string, what: string, value: string | undefined, max: number, min = 0): void {
    if (value === undefined) return;
    if (value.length > max) this.report(where, `${what} has ${value.length} characters (max ${max})`);
    else if (value.length < min) this.report(where, `${what} has ${value.length} characters (min ${min})`);
  }

  maxItems(where: string, what: string, items: unknown[], max: number): void {
    if (items.length > max) this.report(where, `${what} has ${items.length} items (max ${max})`);
  }

  blocks(blocks: readonly unknown[]): void {
    for (const [index, block] of blocks.entries()) this.block(block, `blocks[${index}]`);
  }

  private block(block: unknown, path: string): void {
    if (!isObj(block) || typeof block.type !== 'string') {
      this.report(path, 'not a block object with a type');
      return;
    }
    const where = `${path} ${block.type}`;
    if (block.block_id !== undefined) this.uniqueId(where, 'block_id', block.block_id, this.blockIds, SLACK_LIMITS.blockId);
    switch (block.type) {
      case 'section':
        this.section(block, where);
        break;
      case 'header':
        this.header(block, where);
        break;
      case 'context':
        this.maxItems(where, 'elements', asArray(block.elements), SLACK_LIMITS.contextElements);
        break;
      case 'actions':
        this.maxItems(where, 'elements', asArray(block.elements), SLACK_LIMITS.actionsElements);
        for (const [i, element] of asArray(block.elements).entries()) this.element(element, `${where}: elements[${i}]`);
        break;
      case 'table':
        this.table(block, where);
        break;
      case 'input':
        this.maxLength(where, 'label', textOf(block.label), SLACK_LIMITS.inputLabel, 1);
        this.maxLength(where, 'hint', textOf(block.hint), SLACK_LIMITS.inputHint);
        this.element(block.element, `${where}: element`);
        break;
      case 'image':
        this.maxLength(where, 'alt_text', textOf(block.alt_text), SLACK_LIMITS.imageAltText, 1);
        break;
      case 'data_visualization':
        this.chart(block, where);
        break;
    }
  }

  private section(block: Obj, where: string): void {
    const text = textOf(block.text);
    const fields = asArray(block.fields);
    if (text === undefined && fields.length === 0) this.report(where, 'needs text or fields');
    this.maxLength(where, 'text', text, SLACK_LIMITS.sectionText, 1);
    this.maxItems(where, 'fields', fields, SLACK_LIMITS.sectionFields);
    for (const [i, field] of fields.entries()) this.maxLength(where, `fields[${i}]`, textOf(field), SLACK_LIMITS.sectionFieldText, 1);
    if (block.accessory !== undefined) this.element(block.accessory, `${where}: accessory`);
  }

  private header(block: Obj, where: string): void {
    if (!isObj(block.text) || block.text.type !== 'plain_text') this.report(where, 'text must be a plain_text object');
    const text = textOf(block.text);
    if (text === undefined) this.report(where, 'text is missing');
    else this.maxLength(where, 'text', text, SLACK_LIMITS.headerText, 1);
  }

  private table(block: Obj, where: string): void {
    const rows = asArray(block.rows);
    this.maxItems(where, 'rows', rows, SLACK_LIMITS.tableRows);
    for (const [i, row] of rows.entries()) {
      const cells = asArray(row).length;
      if (cells > SLACK_LIMITS.tableCellsPerRow) {
        this.report(where, `rows[${i}] has ${cells} cells (max ${SLACK_LIMITS.tableCellsPerRow})`);
      }
    }
    this.maxItems(where, 'column_settings', asArray(block.column_settings), SLACK_LIMITS.tableColumnSettings);
  }

  private chart(block: Obj, where: string): void {
    this.maxLength(where, 'title', typeof block.title === 'string' ? block.title : '', SLACK_LIMITS.chartTitle, 1);
    const chart = isObj(block.chart) ? block.chart : {};
    if (chart.type === 'pie') {
      const segments = asArray(chart.segments);
      if (segments.length === 0) this.report(where, 'pie chart needs at least one segment');
      this.maxItems(where, 'segments', segments, SLACK_LIMITS.chartSeries);
      return;
    }
    if (chart.type !== 'line' && chart.type !== 'bar' && chart.type !== 'area') {
      this.report(where, 'chart type must be line, bar, area or pie');
      return;
    }
    const axis = isObj(chart.axis_config) ? chart.axis_config : {};
    const categories = asArray(axis.categories).map((c) => (typeof c === 'string' ? c : ''));
    if (categories.length === 0) this.report(where, 'axis_config.categories is empty');
    this.maxItems(where, 'categories', categories, SLACK_LIMITS.chartCategories);
    for (const [i, c] of categories.entries()) this.maxLength(where, `categories[${i}]`, c, SLACK_LIMITS.chartCategoryText, 1);
    for (const label of ['x_label', 'y_label'] as const)
      this.maxLength(where, label, typeof axis[label] === 'string' ? axis[label] : undefined, SLACK_LIMITS.chartAxisLabel);
    const series = asArray(chart.series);
    if (series.length === 0) this.report(where, 'needs at least one series');
    this.maxItems(where, 'series', series, SLACK_LIMITS.chartSeries);
    const names = new Set<string>();
    series.forEach((entry, i) => {
      const name = isObj(entry) && typeof entry.name === 'string' ? entry.name : '';
      if (name === '' || names.has(name)) this.report(where, `series[${i}] needs a unique name`);
      names.add(name);
      asArray(isObj(entry) ? entry.data : []).forEach((point, j) => {
        const label = isObj(point) ? point.label : undefined;
        if (typeof label !== 'string' || !categories.includes(label)) this.report(where, `series[${i}].data[${j}] label is not a category`);
        if (!isObj(point) || typeof point.value !== 'number' || !Number.isFinite(point.value))
          this.report(where, `series[${i}].data[${j}] value must be a finite number`);
      });
    });
  }

  private element(element: unknown, where: string): void {
    if (!isObj(element)) {
      this.report(where, 'not an element object');
      return;
    }
    const at = `${where} ${String(element.type)}`;
    if (element.action_id !== undefined) this.uniqueId(at, 'action_id', element.action_id, this.actionIds, SLACK_LIMITS.actionId);
    switch (element.type) {
      case 'button':
        this.maxLength(at, 'text', textOf(element.text), SLACK_LIMITS.buttonText, 1);
        this.maxLength(at, 'value', typeof element.value === 'string' ? element.value : undefined, SLACK_LIMITS.buttonValue);
        break;
      case 'static_select':
      case 'multi_static_select':
        this.options(element, at, SLACK_LIMITS.staticSelectOptions);
        break;
      case 'overflow':
        this.options(element, at, SLACK_LIMITS.overflowOptions);
        break;
      case 'checkboxes':
        this.options(element, at, SLACK_LIMITS.checkboxOptions);
        break;
      case 'radio_buttons':
        this.options(element, at, SLACK_LIMITS.radioOptions);
        break;
    }
  }

  private options(element: Obj, where: string, maxOptions: number): void {
    const groups = asArray(element.option_groups);
    const options = [...asArray(element.options), ...groups.flatMap((group) => asArray(isObj(group) ? group.options : []))];
    if (groups.length > 0) this.maxItems(where, 'option_groups', groups, maxOptions);
    else this.maxItems(where, 'options', options, maxOptions);
    for (const [i, option] of options.entries()) {
      if (!isObj(option)) {
        this.report(where, `options[${i}] is not an option object`);
        continue;
      }
      this.maxLength(where, `options[${i}] text`, textOf(option.text), SLACK_LIMITS.optionText, 1);
      if (typeof option.value === 'string') this.maxLength(where, `options[${i}] value`, option.value, SLACK_LIMITS.optionValue);
    }
  }

  private uniqueId(where: string, name: string, id: unknown, seen: Set<string>, max: number): void {
    if (typeof id !== 'string') {
      this.report(where, `${name} must be a string`);
      return;
    }
    this.maxLength(where, name, id, max, 1);
    if (seen.has(id)) this.report(where, `${name} "${id}" is not unique`);
    seen.add(id);
  }
}

/** Problems with a chat message payload (postMessage/update/postEphemeral/respond); empty means it fits. */
export function checkMessage(msg: SlackMessageLike): string[] {
  const checker = new Checker();
  const blocks = msg.blocks ?? [];
  if (typeof msg.text !== 'string' || msg.text.trim() === '') {
    checker.report('text', 'missing top-level text fallback (notifications and screen readers use it)');
  }
  if (blocks.length > SLACK_LIMITS.messageBlocks) {
    checker.report('blocks', `has ${blocks.length} blocks (max ${SLACK_LIMITS.messageBlocks} per message)`);
  }
  const tables = blocks.filter((block) => isObj(block) && block.type === 'table').length;
  if (tables > SLACK_LIMITS.tablesPerMessage) {
    checker.report('blocks', `has ${tables} table blocks (max ${SLACK_LIMITS.tablesPerMessage} per message)`);
  }
  const charts = blocks.filter((block) => isObj(block) && block.type === 'data_visualization').length;
  if (charts > SLACK_LIMITS.chartsPerMessage) {
    checker.report('blocks', `has ${charts} charts (max ${SLACK_LIMITS.chartsPerMessage} per message)`);
  }
  checker.blocks(blocks);
  const totalText = blocksTextLength(blocks);
  if (totalText > SLACK_LIMITS.messageTotalText) {
    checker.report('blocks', `total text has ${totalText} characters (max ${SLACK_LIMITS.messageTotalText} per message)`);
  }
  return checker.problems;
}

/** Problems with a modal or App Home view payload; empty means it fits. */
export function checkView(view: SlackViewLike): string[] {
  const checker = new Checker();
  if (view.blocks.length > SLACK_LIMITS.viewBlocks) {
    checker.report('view blocks', `has ${view.blocks.length} blocks (max ${SLACK_LIMITS.viewBlocks} per view)`);
  }
  if (view.type === 'modal') {
    const title = textOf(view.title);
    if (title === undefined) checker.report('view title', 'is required for a modal');
    checker.maxLength('view title', 'text', title, SLACK_LIMITS.modalTitle, 1);
    checker.maxLength('view submit', 'text', textOf(view.submit), SLACK_LIMITS.modalButton, 1);
    checker.maxLength('view close', 'text', textOf(view.close), SLACK_LIMITS.modalButton, 1);
    const hasInput = view.blocks.some((block) => isObj(block) && block.type === 'input');
    if (hasInput && view.submit === undefined) checker.report('view submit', 'is required when the modal has input blocks');
  }
  checker.maxLength('view private_metadata', 'value', view.private_metadata, SLACK_LIMITS.privateMetadata);
  checker.blocks(view.blocks);
  return checker.problems;
}

/** Throws one error listing every problem; for tests of renderers and listeners. */
export function assertSlackLimits(msg: SlackMessageLike): void {
  throwIfProblems('message', checkMessage(msg));
}

export function assertViewLimits(view: SlackViewLike): void {
  throwIfProblems(`${view.type} view`, checkView(view));
}

function throwIfProblems(surface: string, problems: string[]): void {
  if (problems.length > 0) {
    throw new Error(`Slack ${surface} exceeds Block Kit limits:\n- ${problems.join('\n- ')}`);
  }
}
