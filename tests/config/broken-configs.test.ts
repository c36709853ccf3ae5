import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { BASE_CONFIG, loadError, makeTempDir, positionOf, replaceOnce, type TempDir } from './helpers.js';

let temp: TempDir;
beforeEach(() => {
  temp = makeTempDir();
});
afterEach(() => temp.remove());

/** BASE_CONFIG with one snippet replaced; `broken` also says where the replacement lands, for line:col checks. */
function broken(from: string, to: string): string {
  return replaceOnce(BASE_CONFIG, from, to);
}

describe('schema problems', () => {
  it('reports an unknown key with the nearest valid key, and not the "missing" key it stands for', () => {
    const text = broken('    unit: count\n', '    unti: count\n');
    const error = loadError(temp, text);
    expect(error.message).toBe(
      `scorecard.yml has 1 problem:\n  metrics.dials.unti (${positionOf(text, 'unti')}): unknown key "unti" — did you mean "unit"?`,
    );
    expect(error.problems[0]).toMatchObject({ path: 'metrics.dials.unti', found: '"unti"', line: 13, column: 5 });
  });

  it('lists the valid keys when an unknown key is not close to any', () => {
    const text = broken('    why: Activity predicts pipeline.\n', '    why: Activity predicts pipeline.\n    colour: red\n');
    expect(loadError(temp, text).message).toContain(
      `metrics.dials.colour (${positionOf(text, 'colour')}): unknown key "colour" — valid keys here: name, aliases, unit, owner, owner_name, cadence,`,
    );
  });

  it('explains a bad goal operator with the operator that was meant', () => {
    const text = broken('op: ">=", value: 125', 'op: ">", value: 125');
    expect(loadError(temp, text).message).toBe(
      [
        'scorecard.yml has 1 problem:',
        `  metrics.dials.goal.op (${positionOf(text, '">"')}): expected one of >=, <=, =, between — found ">"`,
        '    fix: use ">=" for "at least"',
      ].join('\n'),
    );
  });

  it('reports a string where a number belongs, with the plain number to write', () => {
    const text = broken('value: 125', 'value: "$500,000"');
    const message = loadError(temp, text).message;
    expect(message).toContain(`metrics.dials.goal.value (${positionOf(text, '"$500,000"')}): expected a number — found "$500,000"`);
    expect(message).toContain('fix: write a plain number without quotes, $, commas or %: 500000');
  });

  it('rejects a metric id that is not lowercase and proposes the fixed id', () => {
    const text = broken('  dials:\n', '  Dials:\n').replace('[dials, mrr_closed]', '[Dials, mrr_closed]');
    const error = loadError(temp, text);
    expect(error.problems).toHaveLength(1);
    expect(error.message).toContain(
      `metrics.Dials (${positionOf(text, 'Dials:')}): expected a key made of lowercase letters, digits and _ — found "Dials"`,
    );
    expect(error.message).toContain('fix: use "dials"');
  });

  it('rejects a name or alias that two metrics share, naming both', () => {
    const text = broken('    name: MRR closed\n', '    name: MRR closed\n    aliases: [revenue, "DIALS"]\n').replace(
      '    name: Dials\n',
      '    name: Dials\n    aliases: [revenue]\n',
    );
    const error = loadError(temp, text);
    expect(error.problems.map((p) => p.path)).toEqual(['metrics.mrr_closed.aliases[0]', 'metrics.mrr_closed.aliases[1]']);
    expect(error.message).toContain('alias "revenue" of metrics.mrr_closed is also the alias of metrics.dials');
    expect(error.message).toContain('alias "DIALS" of metrics.mrr_closed is also the id of metrics.dials');
  });

  it('accepts a Slack user group as a metric owner', () => {
    temp.write('scorecard.yml', broken('    name: Dials\n', '    name: Dials\n    owner: S0SALES01\n    owner_name: Inside sales\n'));
    const { config } = loadConfig({ env: {}, cwd: temp.dir });
    expect(config.metrics.dials).toMatchObject({ owner: 'S0SALES01', owner_name: 'Inside sales' });
  });

  it('names the missing required key', () => {
    const text = broken('    definition: Outbound calls.\n', '');
    expect(loadError(temp, text).message).toContain(
      'metrics.dials.definition (line 11:3): required key "definition" is missing — expected text',
    );
  });
});

describe('YAML problems', () => {
  it('reports a syntax error with its line and the quoting fix for a bare >=', () => {
    const text = broken('      op: ">="\n', '      op: >=\n');
    const error = loadError(temp, text);
    expect(error.message).toBe(
      [
        'scorecard.yml has 1 problem:',
        `  ${positionOf(text, '>=\n      value: 500', 1)}: YAML syntax error: Block scalar header includes extra characters: >=`,
        '    fix: quote the operator: op: ">=" (a bare > starts a multi-line text in YAML)',
      ].join('\n'),
    );
    expect(error.problems[0]?.line).toBe(25);
  });

  it('reports an unclosed list with its line', () => {
    const text = broken('[dials, mrr_closed]', '[dials, mrr_closed');
    const error = loadError(temp, text);
    expect(error.message).toContain('scorecard.yml has');
    expect(error.message).toContain(
      'line 10:1: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]',
    );
  });

  it('reports a duplicate metric id with both lines', () => {
    const duplicate =
      '  dials:\n    name: Dials again\n    unit: count\n    aggregate: sum\n    source: manual\n' +
      '    definition: d\n    why: w\n    calculation: c\n';
    const text = BASE_CONFIG + duplicate;
    const message = loadError(temp, text).message;
    const second = `line ${text.split('\n').indexOf('    name: Dials again')}:3`;
    expect(message).toContain(`metrics.dials (${second}): duplicate metric id "dials" (first defined on line 11)`);
    expect(message).toContain('fix: give one of the two metrics another id; YAML would silently keep only the last one');
  });

  it('reports an empty file', () => {
    expect(loadError(temp, '# nothing yet\n').message).toBe(
      'scorecard.yml has 1 problem:\n  (file): expected a mapping with org, groups and metrics — found an empty file',
    );
  });
});

describe('cross-field problems', () => {
  it('rejects between with min above max and suggests swapping', () => {
    const text = broken('      op: ">="\n      value: 500\n', '      op: between\n      min: 900\n      max: 500\n');
    const message = loadError(temp, text).message;
    expect(message).toContain(`metrics.mrr_closed.goal.min (${positionOf(text, '900')}): expected min <= max — found min 900 > max 500`);
    expect(message).toContain('fix: swap them: min: 500, max: 900');
  });

  it('requires a value for >= and rejects a stray min', () => {
    const text = broken('op: ">=", value: 125', 'op: ">=", min: 100');
    const error = loadError(temp, text);
    expect(error.message).toContain('metrics.dials.goal.value (line 15:5): op ">=" needs value — the number to compare against');
    expect(error.message).toContain('fix: add value: <number> next to op: ">="');
    expect(error.message).toContain(`metrics.dials.goal.min (${positionOf(text, 'min: 100')}): min is not used with op ">="`);
  });

  it('suggests the nearest IANA zone for an invalid timezone', () => {
    const text = broken('America/Chicago', 'America/Chicgo');
    expect(loadError(temp, text).message).toBe(
      [
        'scorecard.yml has 1 problem:',
        '  org.timezone (line 3:13): expected an IANA time zone like America/Chicago — found "America/Chicgo"',
        '    fix: did you mean "America/Chicago"?',
      ].join('\n'),
    );
  });

  it('rejects an invalid cron and says which field is wrong', () => {
    const text = broken('"0 8 * * 1"', '"0 25 * * 1"');
    const message = loadError(temp, text).message;
    expect(message).toContain('schedule.weekly (line 5:11): expected a cron expression "minute hour day-of-month month day-of-week"');
    expect(message).toContain('— found "0 25 * * 1"');
    expect(message).toContain('fix: "25" is not a valid hour');
  });

  it('reports a group entry that names no metric, with the nearest id', () => {
    const text = broken('[dials, mrr_closed]', '[dials, mrr_closed, mrr_close]');
    const error = loadError(temp, text);
    expect(error.message).toBe(
      `scorecard.yml has 1 problem:\n  groups[0].metrics[2] (${positionOf(text, 'mrr_close]')}): unknown metric "mrr_close" — did you mean "mrr_closed"?`,
    );
  });

  it('reports a metric that is in no group', () => {
    const text = broken('[dials, mrr_closed]', '[dials]');
    expect(loadError(temp, text).message).toBe(
      [
        'scorecard.yml has 1 problem:',
        `  metrics.mrr_closed (${positionOf(text, 'mrr_closed:')}): metric "mrr_closed" is in no group, so the scorecard would silently hide it`,
        '    fix: add mrr_closed to the metrics: list of a group under groups:',
      ].join('\n'),
    );
  });

  it('reports a metric listed twice in one group', () => {
    const text = broken('[dials, mrr_closed]', '[dials, mrr_closed, dials]');
    expect(loadError(temp, text).message).toContain(
      `groups[0].metrics[2] (${positionOf(text, 'dials]')}): metric "dials" is listed twice in group "sales"`,
    );
  });

  it('checks goal history dates and digest ids', () => {
    const text =
      broken('    source: manual\n', '    source: manual\n    goal_history:\n      - { from: "2026-02-30", op: ">=", value: 100 }\n') +
      'digests:\n  cash: [dial]\n';
    const message = loadError(temp, text).message;
    expect(message).toContain('metrics.dials.goal_history[0].from (line 18:17): expected a real calendar date — found "2026-02-30"');
    expect(message).toContain(`digests.cash[0] (${positionOf(text, 'dial]')}): unknown metric "dial" — did you mean "dials"?`);
  });

  it('refuses to post sensitive metrics to a channel not allowed to see them', () => {
    const text =
      broken('    source: manual\n', '    source: manual\n    sensitive: true\n    cadence: [daily]\n') +
      'slack:\n  channels: { cash: C0CASH0001 }\ndigests:\n  cash: [dials]\n';
    const message = loadError(temp, text).message;
    expect(message).toContain(
      `slack.channels.cash (${positionOf(text, 'C0CASH0001')}): expected a channel listed in slack.sensitive_access.channels, since the cash digest shows dials — found "C0CASH0001", which is not listed`,
    );
    expect(message).toContain('fix: add "C0CASH0001" to slack.sensitive_access.channels');
  });

  it('rejects closed-before-open business hours and a week that does not exist', () => {
    const text =
      broken('    source: manual\n', '    source: manual\n    goal_overrides:\n      - { period: 2027-W53, op: ">=", value: 50 }\n') +
      'support:\n  business_hours:\n    week:\n      monday: ["17:00", "09:00"]\n';
    const message = loadError(temp, text).message;
    expect(message).toContain(
      `metrics.dials.goal_overrides[0].period (${positionOf(text, '2027-W53')}): expected a week between 2027-W01 and 2027-W52 — found "2027-W53"`,
    );
    expect(message).toContain(
      `support.business_hours.week.monday (${positionOf(text, '["17:00"')}): expected an opening time before the closing time — found ["17:00", "09:00"]`,
    );
    expect(message).toContain('fix: leave the day out when closed');
  });

  it('rejects manual entry bounds on a metric nobody enters by hand', () => {
    const text = broken('    query: { object: deals }\n', '    query: { object: deals }\n    entry: { max: 10 }\n');
    expect(loadError(temp, text).message).toContain(
      `metrics.mrr_closed.entry (${positionOf(text, 'entry:')}): entry (manual entry bounds) only applies to metrics entered by hand`,
    );
  });

  it('catches a misspelt top-level section without also calling it missing', () => {
    const text = broken('groups:\n', 'group:\n');
    const error = loadError(temp, text);
    expect(error.problems).toHaveLength(1);
    expect(error.message).toContain('group (line 6:1): unknown key "group" — did you mean "groups"?');
  });

  it('lists all three problems of a config at once, in file order', () => {
    const text = broken('America/Chicago', 'Europe/Londn')
      .replace('"0 8 * * 1"', '"8 * * 1"')
      .replace('op: ">=", value: 125', 'op: "=>", value: 125');
    const error = loadError(temp, text);
    expect(error.problems.map((problem) => problem.path)).toEqual(['org.timezone', 'schedule.weekly', 'metrics.dials.goal.op']);
    expect(error.message).toBe(
      [
        'scorecard.yml has 3 problems:',
        '  org.timezone (line 3:13): expected an IANA time zone like America/Chicago — found "Europe/Londn"',
        '    fix: did you mean "Europe/London"?',
        '  schedule.weekly (line 5:11): expected a cron expression "minute hour day-of-month month day-of-week", e.g. "0 8 * * 1" (Mondays 08:00) — found "8 * * 1"',
        '    fix: expected 5 or 6 fields but got 4',
        '  metrics.dials.goal.op (line 15:17): expected one of >=, <=, =, between — found "=>"',
        '    fix: use ">=" for "at least"',
      ].join('\n'),
    );
  });
});
