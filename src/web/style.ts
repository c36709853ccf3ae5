/** The one stylesheet, served at /assets/scorecard.css (a same-origin file, so the CSP needs no inline styles). */
export const STYLESHEET = `
:root { --ink: #1d1d1f; --muted: #5f6368; --line: #d9dce1; --green: #137333; --yellow: #8a6100; --red: #b3261e; --grey: #5f6368; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); margin: 0; }
header.site nav { display: flex; gap: 1rem; align-items: center; padding: .6rem 1.5rem; border-bottom: 1px solid var(--line); background: #f8f9fa; }
header.site nav a[aria-current="page"] { font-weight: 600; }
main { padding: 1rem 1.5rem 3rem; max-width: 72rem; }
h1 { font-size: 1.5rem; margin: .5rem 0; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; }
a { color: #0b57d0; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { border-bottom: 1px solid var(--line); padding: .35rem .5rem; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.status { display: inline-block; padding: 0 .45rem; border-radius: .6rem; font-size: .85em; border: 1px solid currentColor; white-space: nowrap; }
.status::before { margin-right: .25rem; }
.status-green { color: var(--green); } .status-green::before { content: "●"; }
.status-yellow { color: var(--yellow); } .status-yellow::before { content: "▲"; }
.status-red { color: var(--red); } .status-red::before { content: "■"; }
.status-no_goal, .status-no_data, .status-stale { color: var(--grey); } .status-no_goal::before, .status-no_data::before { content: "○"; } .status-stale::before { content: "◷"; }
.muted { color: var(--muted); }
.pager { display: flex; gap: 1.5rem; margin: .5rem 0 1rem; }
.actions { display: flex; gap: 1rem; flex-wrap: wrap; margin: .5rem 0; }
.error { color: var(--red); margin: .2rem 0; }
.notice { background: #e6f4ea; border: 1px solid #b7dfc2; padding: .5rem .75rem; }
.warning { background: #fef7e0; border: 1px solid #f3d98b; padding: .5rem .75rem; }
form.stack label { display: block; font-weight: 600; margin-top: .75rem; }
form.stack input:not([type="radio"]), form.stack select, form.stack textarea { font: inherit; padding: .3rem .4rem; min-width: 18rem; }
form.stack fieldset { border: 1px solid var(--line); margin-top: .75rem; max-width: 30rem; }
form.stack fieldset label { font-weight: normal; margin-top: .25rem; }
form.inline { display: inline; margin-left: auto; }
button { font: inherit; padding: .35rem .9rem; cursor: pointer; }
button.link { background: none; border: none; color: #0b57d0; text-decoration: underline; padding: 0; }
svg.chart { max-width: 100%; height: auto; border: 1px solid var(--line); }
svg.chart .goal { stroke: #b3261e; stroke-dasharray: 4 3; stroke-width: 1.5; }
svg.chart polyline { fill: none; stroke: #0b57d0; stroke-width: 2; }
svg.chart circle { fill: #0b57d0; }
svg.chart text { font: 11px sans-serif; fill: #5f6368; }
svg.chart .axis { stroke: #d9dce1; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; }
dl.facts dt { font-weight: 600; }
@media print {
  header.site, .pager, .actions, form { display: none !important; }
  main { padding: 0; max-width: none; }
  body { font-size: 10pt; }
  a { color: inherit; text-decoration: none; }
  table { page-break-inside: auto; } tr { page-break-inside: avoid; } thead { display: table-header-group; }
  @page { size: landscape; margin: 12mm; }
}
`;
