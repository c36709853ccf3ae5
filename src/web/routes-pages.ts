import type { Hono } from 'hono';
import { isManualMetric } from '../metrics/entry-validation.js';
import { metricById, metricsOf } from '../metrics/catalog.js';
import { addDays, localDayOf, weekContaining, weekOfInstant } from '../metrics/periods.js';
import type { Week } from '../metrics/types.js';
import { chooseWeek } from '../report/period.js';
import { exportRows, parseExportRange } from '../report/export.js';
import { metricHistory } from '../report/history.js';
import { weeklyScorecard } from '../report/queries.js';
import { visibleScorecard } from '../report/visibility.js';
import type { WeeklyScorecard } from '../report/weekly.js';
import { goalChangeRecords } from '../store/goal-changes.js';
import { manualEntriesForWeek } from '../store/manual-entries.js';
import { render, type WebContext, type WebEnv } from './context.js';
import { toCsv } from './csv.js';
import type { WebDeps } from './deps.js';
import type { PageUser } from './html.js';
import { metricPage } from './pages/metric.js';
import { scorecardPage } from './pages/scorecard.js';
import { messagePage } from './pages/signin.js';
import { weeklyPdf } from './pdf.js';
import type { Viewer } from './viewer.js';

/** The read-only pages and downloads: the scorecard, a metric's history, the CSV and the PDF. */

export const pageUser = (viewer: Viewer): PageUser => ({ userId: viewer.who.userId, admin: viewer.admin, csrf: viewer.csrf });

const ENTRIES_SHOWN = 200;

/** The week's scorecard with only what this viewer may see (sensitive metrics by `slack.sensitive_access`). */
export async function visibleWeek(deps: WebDeps, viewer: Viewer, week: Week): Promise<{ view: WeeklyScorecard; hidden: number }> {
  const { rowsRead: _rowsRead, ...full } = await weeklyScorecard(deps.store, deps.evalContext(deps.now()), week);
  return visibleScorecard(full, viewer.canSeeId);
}

async function scorecard(c: WebContext, deps: WebDeps, period: string | undefined) {
  const viewer = c.get('viewer');
  const ctx = deps.evalContext(deps.now());
  const pdf = period?.toLowerCase().endsWith('.pdf') ?? false;
  const choice = chooseWeek(pdf ? period!.slice(0, -4) : period, ctx);
  if (!choice.ok) return pdf ? c.text(choice.message, 404) : render(c, messagePage('No such week', choice.message), 404);
  const { view, hidden } = await visibleWeek(deps, viewer, choice.week);
  if (pdf) {
    const body = await weeklyPdf(view, { hidden });
    return c.body(new Uint8Array(body), 200, {
      'content-type': 'application/pdf',
      'content-disposition': `attachment; filename="scorecard-${view.period.label}.pdf"`,
    });
  }
  const today = localDayOf(ctx.now, ctx.periods.timezone);
  const previous = weekContaining(addDays(choice.week.start, -1), ctx.periods).label;
  const next = choice.week.end <= today ? weekContaining(choice.week.end, ctx.periods).label : null;
  return render(c, scorecardPage({ view, hidden, previous, next }, pageUser(viewer)));
}

export function registerPageRoutes(app: Hono<WebEnv>, deps: WebDeps): void {
  app.get('/scorecard', (c) => scorecard(c, deps, undefined));
  app.get('/scorecard/:period', (c) => scorecard(c, deps, c.req.param('period')));

  app.get('/metrics/:id', async (c) => {
    const viewer = c.get('viewer');
    const metric = metricById(deps.config, c.req.param('id'));
    if (!metric) return render(c, messagePage('No such metric', 'There is no metric with that id in the scorecard.'), 404);
    if (!viewer.canSee(metric))
      return render(c, messagePage('Restricted', 'This metric is restricted to the people listed in slack.sensitive_access.'), 403);
    const ctx = deps.evalContext(deps.now());
    // Through the week in progress, so an entry logged today shows at once.
    const current = weekOfInstant(ctx.now, ctx.periods);
    const history = await metricHistory(deps.store, ctx, metric, current);
    const changes = await goalChangeRecords(deps.store, metric.id);
    const entries = isManualMetric(metric)
      ? (await manualEntriesForWeek(deps.store, [metric.id], null, '0000-01-01', '9999-12-31')).reverse().slice(0, ENTRIES_SHOWN)
      : null;
    const asOf = history.weeks[history.weeks.length - 1]?.evaluated.asOf ?? null;
    return render(c, metricPage({ metric, history, changes, entries, asOf, currentWeek: current.label }, pageUser(viewer)));
  });

  app.get('/export.csv', async (c) => {
    const viewer = c.get('viewer');
    const range = parseExportRange(c.req.query('from'), c.req.query('to'), c.req.query('grain'));
    if (!range.ok) return c.text(`Bad export request: ${range.message} Example: /export.csv?from=2026-09-01&to=2026-11-30&grain=week`, 400);
    const metrics = metricsOf(deps.config).filter((m) => viewer.canSee(m));
    const rows = await exportRows(deps.store, deps.evalContext(deps.now()), metrics, range);
    return c.body(toCsv(rows), 200, {
      'content-type': 'text/csv; charset=utf-8; header=present',
      'content-disposition': `attachment; filename="scorecard-${range.from}-${range.to}-${range.grain}.csv"`,
    });
  });
}
