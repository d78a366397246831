/**
 * The dashboard page: one self-contained HTML document (no external requests), plots drawn as SVG by ~150
 * lines of script. It loads `/api/snapshot` once and then appends every sample `/api/stream` pushes.
 */
function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `
:root { color-scheme: dark; --bg:#0f1117; --panel:#171a23; --line:#262b38; --text:#e6e8ee; --muted:#8a90a2;
  --blue:#5b9dff; --green:#3fcf8e; --red:#ff5f6d; --amber:#ffb547; --violet:#b18cff; --cyan:#3fd0e0; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--text); font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif; }
header { display:flex; align-items:center; gap:16px; padding:14px 22px; border-bottom:1px solid var(--line); }
header h1 { font-size:18px; margin:0; font-weight:600; }
header .live { font-size:12px; color:var(--muted); }
header .live b { display:inline-block; width:8px; height:8px; border-radius:50%; background:var(--muted); margin-right:6px; }
header .live.on b { background:var(--green); box-shadow:0 0 8px var(--green); }
.totals { display:flex; gap:22px; margin-left:auto; }
.totals div { text-align:right; } .totals span { display:block; font-size:11px; color:var(--muted); text-transform:uppercase; letter-spacing:.04em; }
.totals strong { font-size:18px; font-variant-numeric:tabular-nums; }
main { display:grid; grid-template-columns:repeat(auto-fill,minmax(430px,1fr)); gap:16px; padding:18px 22px; }
section { background:var(--panel); border:1px solid var(--line); border-radius:10px; padding:14px 16px 10px; }
section h2 { font-size:13px; margin:0 0 8px; color:var(--muted); font-weight:600; text-transform:uppercase; letter-spacing:.05em; display:flex; justify-content:space-between; }
section h2 em { font-style:normal; color:var(--text); text-transform:none; letter-spacing:0; font-variant-numeric:tabular-nums; }
svg.chart { width:100%; height:170px; display:block; }
svg.chart text { fill:var(--muted); font-size:10px; }
svg.chart .grid { stroke:var(--line); stroke-width:1; }
svg.chart polyline { fill:none; stroke-width:2; stroke-linejoin:round; }
svg.chart path.area { opacity:.12; }
.legend { display:flex; flex-wrap:wrap; gap:12px; font-size:12px; color:var(--muted); margin-top:4px; min-height:18px; }
.legend i { display:inline-block; width:10px; height:3px; border-radius:2px; margin-right:5px; vertical-align:middle; }
.shards { display:flex; flex-wrap:wrap; gap:8px; margin-bottom:8px; }
.shard { border-radius:8px; padding:6px 10px; min-width:92px; background:#202431; border-left:4px solid var(--muted); }
.shard b { display:block; font-size:13px; } .shard span { font-size:11px; color:var(--muted); }
.shard.ready { border-color:var(--green); } .shard.resuming,.shard.reconnecting,.shard.connecting,.shard.identifying,.shard.waiting-identify { border-color:var(--amber); }
.shard.failed,.shard.destroyed { border-color:var(--red); }
.bars { display:grid; gap:8px; margin-top:6px; }
.bar { display:grid; grid-template-columns:70px 1fr 100px; align-items:center; gap:8px; font-size:12px; }
.bar .track { height:10px; background:#202431; border-radius:5px; overflow:hidden; } .bar .fill { height:100%; background:var(--green); }
table { width:100%; border-collapse:collapse; font-size:13px; } td,th { padding:6px 4px; border-bottom:1px solid var(--line); text-align:left; }
th { color:var(--muted); font-weight:500; font-size:12px; }
.pill { font-size:11px; padding:2px 8px; border-radius:10px; background:#203126; color:var(--green); }
.pill.degraded { background:#33291a; color:var(--amber); } .pill.failed { background:#3a1d22; color:var(--red); }
.empty { color:var(--muted); font-size:12px; padding:8px 0; }
`;

const SCRIPT = `
'use strict';
var COLORS = ['#5b9dff', '#3fcf8e', '#ffb547', '#b18cff', '#3fd0e0', '#ff8fb1', '#c3e88d', '#ff5f6d'];
var query = new URLSearchParams(location.search).get('token');
var suffix = query ? '?token=' + encodeURIComponent(query) : '';
var samples = [];
var maxSamples = window.HISTORY || 300;
function $(id) { return document.getElementById(id); }
function fmt(n) { if (n >= 1e6) return (n / 1e6).toFixed(1) + 'M'; if (n >= 1e4) return (n / 1e3).toFixed(1) + 'k'; return n >= 100 || n === Math.round(n) ? String(Math.round(n)) : n.toFixed(1); }
function el(tag, attrs, parent) { var e = document.createElementNS('http://www.w3.org/2000/svg', tag); for (var k in attrs) e.setAttribute(k, attrs[k]); if (parent) parent.appendChild(e); return e; }
function keysOf(field) { var seen = {}; samples.forEach(function (s) { Object.keys(s[field]).forEach(function (k) { seen[k] = true; }); }); return Object.keys(seen).sort(); }
function chart(id, series, opts) {
  var svg = $(id); while (svg.firstChild) svg.removeChild(svg.firstChild);
  var W = svg.clientWidth || 400, H = 170, L = 40, R = 8, T = 8, B = 18;
  svg.setAttribute('viewBox', '0 0 ' + W + ' ' + H);
  var max = opts.max || 0, points = 0, last = 0;
  series.forEach(function (s) { s.values.forEach(function (v) { if (v !== null && v > max) max = v; }); points = Math.max(points, s.values.length); });
  var top = opts.max || (max <= 0 ? 1 : max * 1.15);
  for (var g = 0; g <= 4; g++) {
    var y = T + (H - T - B) * g / 4;
    el('line', { x1: L, x2: W - R, y1: y, y2: y, class: 'grid' }, svg);
    var label = el('text', { x: L - 6, y: y + 3, 'text-anchor': 'end' }, svg); label.textContent = opts.percent ? Math.round(100 * top * (4 - g) / 4) + '%' : fmt(top * (4 - g) / 4);
  }
  var span = Math.max(1, Math.min(maxSamples, Math.max(points, 60)) - 1);
  series.forEach(function (s) {
    var pts = [], n = s.values.length;
    s.values.forEach(function (v, i) { if (v === null) return; var x = W - R - (W - L - R) * (n - 1 - i) / span; var y = H - B - (H - T - B) * v / top; pts.push(x.toFixed(1) + ',' + y.toFixed(1)); });
    if (pts.length === 0) return;
    if (s.area) el('path', { class: 'area', fill: s.color, d: 'M' + pts[0].split(',')[0] + ',' + (H - B) + ' L' + pts.join(' L') + ' L' + pts[pts.length - 1].split(',')[0] + ',' + (H - B) + ' Z' }, svg);
    el('polyline', { points: pts.join(' '), stroke: s.color, 'data-series': s.name }, svg);
    var v = s.values[s.values.length - 1]; if (v !== null && v > last) last = v;
  });
  var t = el('text', { x: W - R, y: H - 4, 'text-anchor': 'end' }, svg); t.textContent = 'last ' + Math.round((span + 1) * (window.INTERVAL / 1000)) + ' s';
  svg.setAttribute('data-max', String(max)); svg.setAttribute('data-points', String(points)); svg.setAttribute('data-series', String(series.length));
  var legend = $(id + '-legend');
  if (legend) legend.innerHTML = series.map(function (s) { var v = s.values[s.values.length - 1]; return '<span><i style="background:' + s.color + '"></i>' + s.name + (v === null || v === undefined ? '' : ' ' + (opts.percent ? Math.round(v * 100) + '%' : fmt(v)) + (opts.unit || '')) + '</span>'; }).join('');
}
function seriesOf(field) { return keysOf(field).map(function (k, i) { return { name: k, color: COLORS[i % COLORS.length], values: samples.map(function (s) { return s[field][k] === undefined ? null : s[field][k]; }) }; }); }
function render(snap) {
  $('t-events').textContent = fmt(snap.events); $('t-rest').textContent = fmt(snap.restRequests); $('t-429').textContent = fmt(snap.rest429); $('t-reconnects').textContent = fmt(snap.reconnects);
  var last = samples[samples.length - 1] || { eventsPerSec: 0, restPerSec: 0 };
  $('h-events').textContent = fmt(last.eventsPerSec) + ' /s'; $('h-rest').textContent = fmt(last.restPerSec) + ' /s'; $('h-queue').textContent = String(snap.queueDepth);
  $('shards').innerHTML = snap.shards.length === 0 ? '<div class="empty">no shard yet</div>' : snap.shards.map(function (s) { return '<div class="shard ' + s.status + '" data-status="' + s.status + '"><b>shard ' + s.id + '</b><span>' + s.status + (s.latencyMs === undefined ? '' : ' · ' + s.latencyMs + ' ms') + '</span></div>'; }).join('');
  chart('c-latency', seriesOf('latencyMs').map(function (s) { s.name = 'shard ' + s.name; return s; }), { unit: ' ms' });
  chart('c-events', [{ name: 'events/s', color: COLORS[0], area: true, values: samples.map(function (s) { return s.eventsPerSec; }) }], {});
  chart('c-rest', [{ name: 'requests/s', color: COLORS[1], area: true, values: samples.map(function (s) { return s.restPerSec; }) }, { name: '429/s', color: '#ff5f6d', values: samples.map(function (s) { return s.rest429PerSec; }) }], {});
  chart('c-queue', [{ name: 'queued', color: COLORS[2], area: true, values: samples.map(function (s) { return s.queueDepth; }) }], {});
  chart('c-cache', seriesOf('cacheHitRatio'), { max: 1, percent: true });
  $('cache-bars').innerHTML = snap.cache.length === 0 ? '<div class="empty">no cache read yet</div>' : snap.cache.map(function (c) { var r = c.hits + c.misses === 0 ? 0 : c.hits / (c.hits + c.misses); return '<div class="bar"><span>' + c.tier + '</span><div class="track"><div class="fill" style="width:' + (r * 100).toFixed(1) + '%"></div></div><span>' + Math.round(r * 100) + '% of ' + fmt(c.hits + c.misses) + '</span></div>'; }).join('');
  $('plugins').innerHTML = snap.plugins.length === 0 ? '<tr><td class="empty" colspan="3">no plugin loaded</td></tr>' : snap.plugins.map(function (p) { return '<tr data-plugin="' + p.name + '"><td>' + p.name + '</td><td><span class="pill ' + p.status + '">' + p.status + '</span></td><td>' + p.errors + '</td></tr>'; }).join('');
  document.body.setAttribute('data-samples', String(samples.length));
}
function push(sample) { samples.push(sample); if (samples.length > maxSamples) samples.splice(0, samples.length - maxSamples); }
fetch('/api/snapshot' + suffix).then(function (r) { return r.json(); }).then(function (d) {
  samples = d.history.slice(-maxSamples); render(d.snapshot);
  var stream = new EventSource('/api/stream' + suffix);
  stream.onopen = function () { $('live').className = 'live on'; $('live-text').textContent = 'live'; };
  stream.onerror = function () { $('live').className = 'live'; $('live-text').textContent = 'reconnecting'; };
  stream.addEventListener('sample', function (e) { var d2 = JSON.parse(e.data); push(d2.sample); render(d2.snapshot); });
});
window.addEventListener('resize', function () { if (samples.length) fetch('/api/snapshot' + suffix).then(function (r) { return r.json(); }).then(function (d) { render(d.snapshot); }); });
`;

/** The dashboard's HTML. */
export function dashboardPage(title: string, intervalMs: number, historySize: number): string {
	const name = escapeHtml(title);
	return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${name} · dashboard</title><style>${STYLE}</style></head>
<body data-samples="0">
<header><h1>${name}</h1><span id="live" class="live"><b></b><span id="live-text">connecting</span></span>
<div class="totals"><div><span>events</span><strong id="t-events">0</strong></div><div><span>REST requests</span><strong id="t-rest">0</strong></div>
<div><span>429s</span><strong id="t-429">0</strong></div><div><span>reconnects</span><strong id="t-reconnects">0</strong></div></div></header>
<main>
<section><h2>Shards <em></em></h2><div id="shards" class="shards"></div><svg id="c-latency" class="chart" data-chart="latency"></svg><div id="c-latency-legend" class="legend"></div></section>
<section><h2>Gateway events <em id="h-events"></em></h2><svg id="c-events" class="chart" data-chart="events"></svg><div id="c-events-legend" class="legend"></div></section>
<section><h2>REST requests <em id="h-rest"></em></h2><svg id="c-rest" class="chart" data-chart="rest"></svg><div id="c-rest-legend" class="legend"></div></section>
<section><h2>REST queue depth <em id="h-queue"></em></h2><svg id="c-queue" class="chart" data-chart="queue"></svg><div id="c-queue-legend" class="legend"></div></section>
<section><h2>Cache hit ratio by tier <em></em></h2><svg id="c-cache" class="chart" data-chart="cache"></svg><div id="c-cache-legend" class="legend"></div><div id="cache-bars" class="bars"></div></section>
<section><h2>Plugins <em></em></h2><table><thead><tr><th>plugin</th><th>status</th><th>errors</th></tr></thead><tbody id="plugins"></tbody></table></section>
</main>
<script>window.INTERVAL = ${String(intervalMs)}; window.HISTORY = ${String(historySize)};${SCRIPT}</script>
</body></html>`;
}
