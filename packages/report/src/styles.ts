/** The report's stylesheet, inlined so the page is one self-contained file. */
export const styles = `
:root{--bg:#f4f5fa;--card:#fff;--ink:#1d2333;--muted:#5b6377;--line:#e6e8f0;--accent:#5b5bf0;--teal:#14a38b;--amber:#f0a020;--rose:#e5486b;--violet:#8b5cf6;--slate:#64748b;--good:#12a150;--ni:#e89a0c;--poor:#e0413a;--good-text:#047857;--ni-text:#b45309;--poor-text:#b91c1c}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;-webkit-font-smoothing:antialiased}
header.top{background:linear-gradient(120deg,#1e1b4b 0%,#3730a3 55%,#4338ca 100%);color:#fff;padding:28px 40px 84px}
header.top .brand{display:flex;align-items:center;gap:10px;font-weight:700;letter-spacing:.02em;opacity:.9}
header.top .brand svg{width:22px;height:22px}
header.top h1{margin:14px 0 4px;font-size:28px;font-weight:700;letter-spacing:-.01em}
header.top .range{opacity:.8}
nav.kinds{display:flex;flex-wrap:wrap;gap:8px;margin-top:18px}
nav.kinds a{color:#fff;text-decoration:none;background:rgba(255,255,255,.12);padding:5px 12px;border-radius:999px;font-size:13px}
nav.kinds a:hover{background:rgba(255,255,255,.22)}
main{max-width:1240px;margin:-60px auto 40px;padding:0 24px}
.group{margin-top:30px}
.group>h2{font-size:13px;text-transform:uppercase;letter-spacing:.12em;color:var(--muted);margin:0 0 12px 4px;font-weight:700}
.group>h2 .question{color:var(--ink);letter-spacing:.02em;text-transform:none;font-size:15px;margin-left:4px;font-weight:600}
.grid{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:18px}
.card{background:var(--card);border-radius:16px;box-shadow:0 1px 2px rgba(20,24,40,.06),0 8px 24px rgba(20,24,40,.05);padding:20px 22px;min-width:0}
.card.span-2{grid-column:span 2}
.card>h2,.card>h3{margin:0;font-size:16px;font-weight:650}
.card>.sub{color:var(--muted);font-size:12.5px;margin:2px 0 14px}
.card h3{font-size:12px;text-transform:uppercase;letter-spacing:.08em;color:var(--muted);margin:14px 0 8px;font-weight:650}
.card h3 small{display:block;text-transform:none;letter-spacing:0;font-weight:400}
.empty{color:var(--muted);background:repeating-linear-gradient(135deg,#fafbfe 0 10px,#f4f5fa 10px 20px);border-radius:12px;padding:26px;text-align:center}
#overview{padding:10px}
.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(130px,1fr));gap:2px}
.kpis.small{grid-template-columns:repeat(3,minmax(0,1fr));gap:10px;margin-bottom:6px}
.kpi{padding:12px 14px;border-radius:12px}
.kpis.small .kpi{background:#f7f8fc}
.kpi-label{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.08em;font-weight:650}
.kpi-value{font-size:26px;font-weight:720;letter-spacing:-.02em;margin-top:2px;font-variant-numeric:tabular-nums}
.kpis.small .kpi-value{font-size:22px}
.kpi-note{color:var(--muted);font-size:12px}
.skip{position:absolute;left:12px;top:-60px;z-index:2;background:#fff;color:var(--ink);padding:10px 16px;border-radius:8px;font-weight:650}.skip:focus{top:12px}
.visually-hidden{position:absolute;width:1px;height:1px;margin:-1px;padding:0;border:0;overflow:hidden;clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap}
.chart{width:100%;height:auto;display:block}
.chart .grid{stroke:var(--line);stroke-width:1}
.chart .axis{fill:var(--muted);font-size:11px}
.chart .bar-a{fill:#c7c8fb}
.chart .line-b{fill:none;stroke:var(--accent);stroke-width:2.5;stroke-linejoin:round}
.chart .line-compared{fill:none;stroke:#64748b;stroke-width:2;stroke-dasharray:6 5;stroke-linejoin:round}
.chart .dot-b{fill:#fff;stroke:var(--accent);stroke-width:2}
.legend{display:flex;align-items:center;gap:6px;color:var(--muted);font-size:12px;margin-top:6px;flex-wrap:wrap}
.swatch{display:inline-block;width:10px;height:10px;border-radius:3px;margin-left:10px}
.swatch.a{background:#c7c8fb}.swatch.b{background:var(--accent)}.swatch.compared{background:#64748b}
.swatch.human{background:var(--teal)}.swatch.proxy{background:#a5b4fc}.swatch.robot{background:#cbd5e1}
ol.bars{list-style:none;margin:0;padding:0}
ol.bars li{position:relative;display:flex;align-items:center;gap:10px;padding:7px 10px;margin:3px 0;border-radius:8px;overflow:hidden}
ol.bars .bar{position:absolute;left:0;top:0;bottom:0;opacity:.16;border-radius:8px}
ol.bars .label{position:relative;flex:1;min-width:0;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
ol.bars .label small{color:var(--muted);margin-left:8px}
ol.bars .value{position:relative;font-weight:650;font-variant-numeric:tabular-nums}
.split{display:grid;grid-template-columns:1fr 1fr;gap:20px}
.world{display:block;width:100%;height:auto;max-height:420px;margin:6px 0 10px}
.world path{fill:#e9ebf3;stroke:#fff;stroke-width:.6}
.world .s1{fill:#d2d2fb}.world .s2{fill:#a8a8f6}.world .s3{fill:#7f7ff1}.world .s4{fill:#5b5bf0}.world .s5{fill:#3434b8}
.world a:hover path,.world a:focus path{fill:var(--rose)}
.split.three{grid-template-columns:repeat(3,minmax(0,1fr))}
.waiting{margin-top:30px}
.card.intro{margin-bottom:18px}
ul.hints{list-style:none;margin:0;padding:0}
ul.hints li{padding:10px 0;border-bottom:1px dashed var(--line)}
ul.hints li:last-child{border-bottom:0}
ul.hints p{margin:0 0 6px}
.fills{display:flex;flex-wrap:wrap;gap:6px}
.chip{background:#eef0ff;color:#3730a3;padding:2px 10px;border-radius:999px;font-size:12.5px}
.table-scroll{overflow-x:auto}.table-scroll:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
.table{width:100%;border-collapse:collapse;font-variant-numeric:tabular-nums}
.table th{text-align:left;font-size:11.5px;text-transform:uppercase;letter-spacing:.06em;color:var(--muted);font-weight:650;padding:6px 8px;border-bottom:1px solid var(--line)}
.table td{padding:8px;border-bottom:1px solid var(--line);vertical-align:top}
.table tr:last-child td{border-bottom:0}
.table td small{display:block;color:var(--muted);font-size:11.5px}
.table td.traffic{min-width:140px;vertical-align:middle}
.stack{display:flex}.stack span{display:inline-block;height:10px}
.stack .human{background:var(--teal);border-radius:5px 0 0 5px}.stack .proxy{background:#a5b4fc}.stack .robot{background:#cbd5e1;border-radius:0 5px 5px 0}
.pill{font-size:11px;padding:2px 8px;border-radius:999px;font-weight:650}
.pill.good{background:#dcfce7;color:#166534}.pill.warn{background:#fef3c7;color:#92400e}
ol.flows{list-style:none;margin:0;padding:0}
ol.flows li{display:grid;grid-template-columns:minmax(0,1fr) 120px 70px;align-items:center;gap:12px;padding:7px 0;border-bottom:1px dashed var(--line)}
ol.flows li:last-child{border-bottom:0}
.steps{display:flex;flex-wrap:wrap;align-items:center;gap:4px}
.step{background:#eef0ff;color:#3730a3;padding:2px 8px;border-radius:6px;font-size:12.5px;font-family:ui-monospace,SFMono-Regular,Menlo,monospace}
.step.landing{background:var(--accent);color:#fff}
.arrow{color:var(--muted)}
.flow-bar{height:8px;background:#f1f2f8;border-radius:4px;overflow:hidden}.flow-bar span{display:block;height:100%;background:var(--accent);border-radius:4px}
ol.funnel{list-style:none;margin:0;padding:0}
ol.funnel li{display:grid;grid-template-columns:150px minmax(0,1fr) 110px;align-items:center;gap:12px;padding:8px 0}
.funnel-label small{display:block;color:var(--muted);font-size:11.5px}
.funnel-bar{height:30px;background:#f1f2f8;border-radius:8px;overflow:hidden}
.funnel-bar span{display:block;height:100%;border-radius:8px;background:linear-gradient(90deg,#5b5bf0,#8b5cf6)}
ol.funnel .value b{font-size:18px}
ol.funnel .value small{display:block;color:var(--muted);font-size:11.5px}
.tab-labels{display:flex;gap:6px;flex-wrap:wrap;margin-bottom:12px}
.tab-labels a{padding:5px 12px;border-radius:999px;background:#f1f2f8;color:var(--ink);text-decoration:none;font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12.5px}
.tab-labels a small{color:var(--muted)}
.tab-labels a:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
.tab-panel{display:none;scroll-margin-top:72px}.tab-panel:target,.tabs:not(:has(.tab-panel:target))>.panel-0{display:grid}
${[0, 1, 2, 3].map((i) => `.tabs:has(>.panel-${i}:target) .tab-link-${i}${i === 0 ? ',.tabs:not(:has(.tab-panel:target)) .tab-link-0' : ''}{background:var(--ink);color:#fff}.tabs:has(>.panel-${i}:target) .tab-link-${i} small${i === 0 ? ',.tabs:not(:has(.tab-panel:target)) .tab-link-0 small' : ''}{color:#d4d8e4}`).join('')}
.heatmap-panel{grid-template-columns:minmax(0,520px) minmax(0,1fr);gap:32px;align-items:start}
.heatmap-frame{padding:14px;background:#f7f8fc;border-radius:14px}
.heatmap{width:100%;height:auto;display:block;overflow:visible}
.heatmap .page{fill:#fbfbfe;stroke:var(--line)}
.heatmap .wire{fill:#eceef6}
.heatmap .click-dot{fill:#1d2333;opacity:.55}
.note{color:var(--muted);font-size:12.5px}
.vitals{display:grid;grid-template-columns:repeat(5,minmax(0,1fr));gap:12px}
.vital{border-radius:14px;padding:14px;background:#f7f8fc;border-top:4px solid var(--muted)}
.vital.good{border-top-color:var(--good)}.vital.needs-improvement{border-top-color:var(--ni)}.vital.poor{border-top-color:var(--poor)}
.vital-name{font-weight:700}.vital-name small{display:block;font-weight:400;color:var(--muted);font-size:11.5px}
.vital-value{font-size:26px;font-weight:720;margin-top:6px;letter-spacing:-.02em}
.vital-verdict{font-size:12px;font-weight:650;text-transform:capitalize}
.vital.good .vital-verdict{color:var(--good-text)}.vital.needs-improvement .vital-verdict{color:var(--ni-text)}.vital.poor .vital-verdict{color:var(--poor-text)}
.vital-split{display:flex;height:6px;border-radius:3px;overflow:hidden;margin:10px 0 6px;background:#e5e7ef}
.vital-split .good{background:var(--good)}.vital-split .ni{background:var(--ni)}.vital-split .poor{background:var(--poor)}
.vital-note{color:var(--muted);font-size:11.5px}
.nps{display:grid;grid-template-columns:150px 1fr;gap:18px;align-items:end}
.nps-score{border-radius:14px;padding:18px;text-align:center;background:#f7f8fc}
.nps-score span{display:block;font-size:44px;font-weight:760;letter-spacing:-.03em}
.nps-score.good span{color:var(--good-text)}.nps-score.ni span{color:var(--ni-text)}.nps-score.poor span{color:var(--poor-text)}
.nps-score small{color:var(--muted)}
.nps-bars{display:grid;grid-template-columns:repeat(11,1fr);gap:5px;height:150px;align-items:end}
.nps-col{display:flex;flex-direction:column;justify-content:flex-end;align-items:center;height:100%}
.nps-col .bar{width:100%;border-radius:5px 5px 2px 2px;min-height:2px}
.nps-col .bar.good{background:var(--good)}.nps-col .bar.ni{background:#cbd5e1}.nps-col .bar.poor{background:var(--poor)}
.nps-col .n{font-size:11px;color:var(--muted)}.nps-col .s{font-size:12px;margin-top:4px;font-weight:650}
.nps-legend{display:flex;gap:16px;font-size:12.5px;margin:12px 0 6px}
.nps-legend .good,blockquote b.good{color:var(--good-text)}.nps-legend .ni,blockquote b.ni{color:var(--muted)}.nps-legend .poor,blockquote b.poor{color:var(--poor-text)}
blockquote{margin:8px 0 0;padding:8px 12px;background:#f7f8fc;border-radius:10px;font-style:italic}
blockquote b{font-style:normal;margin-right:6px}
.questions{display:grid;grid-template-columns:1fr;gap:4px}
.question h3{margin-top:6px}
footer{color:var(--muted);text-align:center;font-size:12px;margin:30px 0}
@media (max-width:900px){.grid{grid-template-columns:minmax(0,1fr)}.card.span-2{grid-column:auto}.kpis{grid-template-columns:repeat(3,minmax(0,1fr))}.vitals{grid-template-columns:repeat(2,1fr)}.split,.split.three,.heatmap-panel{grid-template-columns:minmax(0,1fr)}}
/* A phone, or a window zoomed to 400% (320 CSS px): nothing may need the page scrolled sideways (WCAG 1.4.10). */
@media (max-width:600px){header.top{padding:20px 20px 76px}main{padding:0 10px}.card{padding:16px 14px}.kpis,.kpis.small{grid-template-columns:repeat(2,minmax(0,1fr))}.kpi-value{font-size:22px}.vitals{grid-template-columns:minmax(0,1fr)}.nps{grid-template-columns:minmax(0,1fr)}ol.flows li{grid-template-columns:minmax(0,1fr) 48px 48px;gap:8px}ol.funnel li{grid-template-columns:minmax(0,1fr) auto;grid-template-areas:"label value" "bar bar";row-gap:4px}.funnel-label{grid-area:label}.funnel-bar{grid-area:bar}ol.funnel .value{grid-area:value;text-align:right}}
`
