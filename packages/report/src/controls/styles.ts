/**
 * The dashboard controls' colours, each text colour with the background it sits on (and each field's edge with its
 * page), kept as data so a test holds every pair to WCAG AA.
 */
export const controlColours = {
  link: { fg: '#3730a3', bg: '#eef0ff' },
  current: { fg: '#ffffff', bg: '#3730a3' },
  field: { fg: '#1d2333', bg: '#ffffff' },
  fieldEdge: { fg: '#6b7386', bg: '#ffffff' },
  label: { fg: '#6b7386', bg: '#ffffff' },
  live: { fg: '#166534', bg: '#dcfce7' },
  up: { fg: '#047857', bg: '#ffffff' },
  down: { fg: '#b91c1c', bg: '#ffffff' },
  export: { fg: '#3730a3', bg: '#ffffff' },
} as const

const c = controlColours

/** The controls' stylesheet, added to the report's on the dashboard. */
export const controlStyles = `
.controls{display:flex;flex-wrap:wrap;align-items:center;gap:10px 18px;margin-bottom:18px;padding:14px 18px}
.controls .ranges{display:flex;flex-wrap:wrap;gap:6px}
.choices{display:flex;flex-wrap:wrap;gap:6px;margin-bottom:8px}
.controls a.range,.choices a.range,.filter-chip{color:${c.link.fg};background:${c.link.bg};padding:4px 12px;border-radius:999px;font-size:13px;text-decoration:none}
.controls a.range[aria-current],.choices a.range[aria-current]{color:${c.current.fg};background:${c.current.bg}}
.controls form{display:flex;flex-wrap:wrap;align-items:center;gap:6px;margin:0}
.controls .row-label,.choices .row-label{color:${c.label.fg};background:${c.label.bg};font-size:12px;align-self:center}
.controls label{color:${c.label.fg};background:${c.label.bg};font-size:12px}
.controls input,.controls select{color:${c.field.fg};background:${c.field.bg};border:1px solid ${c.fieldEdge.fg};border-radius:8px;padding:3px 6px;font:inherit;font-size:13px}
.controls button{color:${c.current.fg};background:${c.current.bg};border:0;border-radius:8px;padding:5px 12px;font:inherit;font-size:13px;cursor:pointer}
.filters{display:flex;flex-wrap:wrap;gap:6px}
.filter-chip a{color:${c.link.fg};margin-left:6px;font-weight:700;text-decoration:none}
.filter-chip a.turn{font-weight:400;text-decoration:underline}
.live{color:${c.live.fg};background:${c.live.bg};padding:4px 12px;border-radius:999px;font-size:13px;font-weight:650;margin-left:auto}
.kpi-change{font-size:12px;font-weight:650}
.change{color:${c.label.fg}}.change.up{color:${c.up.fg}}.change.down{color:${c.down.fg}}
a.export{float:right;color:${c.export.fg};font-size:12px;font-weight:650}
a.row-link{color:inherit;text-decoration:none}
a.row-link:hover{text-decoration:underline}
.controls a:focus-visible,.choices a:focus-visible,.controls input:focus-visible,.controls select:focus-visible,.controls button:focus-visible,a.row-link:focus-visible,a.export:focus-visible,.filter-chip a:focus-visible{outline:2px solid ${c.current.bg};outline-offset:2px}
`
