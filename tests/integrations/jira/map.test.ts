import { describe, expect, it } from 'vitest';
import { flowValues, parseJiraInstant, searchPlan, tallyReopenings, type Tally } from '../../../src/integrations/jira/map.js';
import { history } from './fixtures.js';

const WINDOW = { from: '2026-11-01', to: '2026-11-01', timezone: 'America/Chicago' };

describe('Jira mappers', () => {
  it('bounds each flow by our own date literals around the catalog filter, in parentheses', () => {
    expect(searchPlan('project = WEB OR project = OPS', 'resolved', '2026-11-01', '2026-11-07')).toEqual({
      jql: '(project = WEB OR project = OPS) AND resolved >= "2026-10-31" AND resolved < "2026-11-09"',
      fields: ['resolutiondate'],
      expandChangelog: false,
    });
    expect(() => searchPlan('project = WEB', 'created', '2026-11-01" OR 1=1', '2026-11-07')).toThrow(/not a day/);
  });

  it('reads Jira datetimes with or without a colon in the offset', () => {
    expect(parseJiraInstant('2026-11-01T01:30:00.000-0500')).toBe(Date.parse('2026-11-01T06:30:00Z'));
    expect(parseJiraInstant('2026-11-01T01:30:00.000-06:00')).toBe(Date.parse('2026-11-01T07:30:00Z'));
  });

  it('counts only status changes out of a done status, case-insensitively, on the local day of the change', () => {
    const tally: Tally = new Map();
    const resolutionOnly = {
      ...history('1', '2026-11-01T10:00:00.000-0600', 'Done', 'Open'),
      items: [{ field: 'resolution', fromString: 'Done', toString: null }],
    };
    tallyReopenings(
      tally,
      [
        history('2', '2026-11-01T10:00:00.000-0600', 'DONE', 'In Progress'),
        history('3', '2026-11-01T11:00:00.000-0600', 'In Progress', 'Done'),
        history('4', '2026-11-01T12:00:00.000-0600', 'Closed', 'Resolved'),
        history('5', '2026-11-02T06:30:00.000+0000', 'Closed', 'Open'),
        resolutionOnly,
      ],
      ['Done', 'Closed', 'Resolved'],
      WINDOW,
    );
    expect(flowValues('reopened', 'reopened', '2026-11-01', '2026-11-01', tally)).toEqual([
      { metricId: 'reopened', day: '2026-11-01', value: 1 },
    ]);
  });

  it('gives a day without resolutions a zero ratio with zero parts', () => {
    expect(flowValues('mttr', 'mean_resolution_days', '2026-11-01', '2026-11-01', new Map())).toEqual([
      { metricId: 'mttr', day: '2026-11-01', value: 0, numerator: 0, denominator: 0 },
    ]);
  });
});
