import PDFDocument from 'pdfkit';
import type { WeeklyScorecard } from '../report/weekly.js';
import { SUMMARY_ORDER, STATUS_WORD } from '../report/text.js';
import { statusLabel } from './html.js';
import { quarterDealsAsOf } from './pages/quarter-deals.js';

/**
 * The week's scorecard as a PDF, made in-process with pdfkit (pure JavaScript; no browser at run time). US Letter
 * landscape, at most ROWS_PER_PAGE table rows a page, the title and column headers repeated on every page.
 * pdfkit's built-in Helvetica covers Windows-1252 only, so the few symbols the figures use are spelt in ASCII.
 */

export const ROWS_PER_PAGE = 40;
const PAGE = { size: 'LETTER', layout: 'landscape', margin: 36 } as const;
const ROW_HEIGHT = 12;
const COLUMNS = [
  { title: 'Metric', width: 190 },
  { title: 'Owner', width: 140 },
  { title: 'Goal', width: 85 },
  { title: 'This week', width: 75, right: true },
  { title: 'Last week', width: 75, right: true },
  { title: 'QTD avg', width: 75, right: true },
  { title: 'Status', width: 75 },
] as const;
const TABLE_WIDTH = COLUMNS.reduce((sum, c) => sum + c.width, 0);

const REPLACEMENTS: [RegExp, string][] = [
  [/≥/g, '>='],
  [/≤/g, '<='],
  [/∞/g, 'inf'],
  [/−/g, '-'],
  [/[\u2009\u202f\u00a0]/g, ' '],
];

/** Text pdfkit's standard fonts can draw: known symbols in ASCII, anything else outside Windows-1252 dropped. */
export function pdfSafe(text: string): string {
  let out = text;
  for (const [pattern, replacement] of REPLACEMENTS) out = out.replace(pattern, replacement);
  return out.replace(/[^\x20-\x7e\u00a1-\u00ff\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026\u20ac]/gu, '');
}

type Line = { kind: 'group'; text: string } | { kind: 'row'; cells: string[] } | { kind: 'note'; text: string };

/** Longest note line: about the table's width in 8.5 pt Helvetica. */
const NOTE_CHARS = 150;

/** Sentences packed into lines of at most NOTE_CHARS (a longer sentence is cut with an ellipsis when drawn). */
function noteLines(text: string): Line[] {
  const lines: string[] = [];
  for (const sentence of text.split(/(?<=\.) /)) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last]!.length + 1 + sentence.length <= NOTE_CHARS) lines[last] += ` ${sentence}`;
    else lines.push(sentence);
  }
  return lines.map((line) => ({ kind: 'note', text: line }));
}

/** The quarter summary after the tables, paginated with them: the same figures and definition as the page. */
function quarterLines(view: WeeklyScorecard): Line[] {
  const deals = view.quarterDeals;
  if (!deals) return [];
  const figures: Line[] =
    deals.status === 'no_snapshot'
      ? []
      : (['won', 'lost', 'open', 'total'] as const).map((key) => {
          const f = deals[key];
          const label = key.charAt(0).toUpperCase() + key.slice(1);
          return { kind: 'note', text: `${label}: ${f?.count ?? '-'} deals, ${f?.amountText ?? '-'}` };
        });
  const restricted = deals.amountsHidden ? ' Amounts are restricted and left out of your copy.' : '';
  return [
    { kind: 'group', text: `Quarter summary: deals in ${deals.quarter}` },
    ...figures,
    ...noteLines(`${quarterDealsAsOf(deals)}${restricted}`),
    ...noteLines(deals.definition),
  ];
}

function linesOf(view: WeeklyScorecard): Line[] {
  return [...tableLines(view), ...quarterLines(view)];
}

function tableLines(view: WeeklyScorecard): Line[] {
  return view.groups.flatMap((group): Line[] => [
    { kind: 'group', text: group.name },
    ...group.rows.map(
      (row): Line => ({
        kind: 'row',
        cells: [row.name, row.ownerName ?? row.owner ?? '', row.goal, row.thisWeek, row.lastWeek, row.qtdAvg, statusLabel(row.status)],
      }),
    ),
  ]);
}

export function weeklyPdf(view: WeeklyScorecard, opts: { hidden?: number; creationDate?: Date } = {}): Promise<Buffer> {
  const doc = new PDFDocument({
    ...PAGE,
    autoFirstPage: false,
    info: {
      Title: `${view.org} scorecard ${view.period.label}`,
      Creator: 'Scorecard',
      CreationDate: opts.creationDate ?? new Date(view.generatedAt),
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const lines = linesOf(view);
  const pages = Math.max(1, Math.ceil(lines.length / ROWS_PER_PAGE));
  for (let page = 0; page < pages; page++) {
    doc.addPage(PAGE);
    const left = PAGE.margin;
    doc
      .font('Helvetica-Bold')
      .fontSize(14)
      .text(pdfSafe(`${view.org} — weekly scorecard ${view.period.label}`), left, PAGE.margin);
    doc
      .font('Helvetica')
      .fontSize(9)
      .text(
        pdfSafe(
          `${view.period.start} to ${view.period.end} (${view.period.timezone}) · ${SUMMARY_ORDER.map((kind) => `${view.summary[kind]} ${STATUS_WORD[kind]}`).join(', ')} · page ${page + 1} of ${pages}`,
        ),
        left,
        PAGE.margin + 20,
      );
    let y = PAGE.margin + 44;
    let x = left;
    doc.font('Helvetica-Bold').fontSize(8.5);
    for (const column of COLUMNS) {
      doc.text(column.title, x, y, { width: column.width - 6, align: 'right' in column ? 'right' : 'left', lineBreak: false });
      x += column.width;
    }
    y += ROW_HEIGHT + 2;
    doc
      .moveTo(left, y - 3)
      .lineTo(left + TABLE_WIDTH, y - 3)
      .stroke();
    for (const line of lines.slice(page * ROWS_PER_PAGE, (page + 1) * ROWS_PER_PAGE)) {
      if (line.kind === 'note') {
        doc.font('Helvetica').fontSize(8.5).text(pdfSafe(line.text), left, y, { width: TABLE_WIDTH, lineBreak: false, ellipsis: true });
      } else if (line.kind === 'group') {
        doc
          .font('Helvetica-Bold')
          .fontSize(9)
          .text(pdfSafe(line.text), left, y + 2, { lineBreak: false });
      } else {
        x = left;
        doc.font('Helvetica').fontSize(8.5);
        line.cells.forEach((cell, i) => {
          const column = COLUMNS[i]!;
          doc.text(pdfSafe(cell), x, y, {
            width: column.width - 6,
            align: 'right' in column ? 'right' : 'left',
            lineBreak: false,
            ellipsis: true,
          });
          x += column.width;
        });
      }
      y += ROW_HEIGHT;
    }
    if (page === pages - 1 && opts.hidden)
      doc
        .font('Helvetica-Oblique')
        .fontSize(8.5)
        .text(`${opts.hidden} restricted metric${opts.hidden === 1 ? ' is' : 's are'} left out of your copy.`, left, y + 8);
  }
  doc.end();
  return done;
}
