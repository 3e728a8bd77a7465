// The dashboard's traffic charts, served as /__admin/ui-charts.js: requests per second and the
// share of error answers per provider over the last minutes, as small SVG line charts.
import { el, niceStep, providerColor, svg } from "./ui-lib.js";

const bucketSeconds = 5;
const size = { width: 560, height: 170, left: 44, right: 12, top: 12, bottom: 24 };

/** Draws both charts from `GET rates` into `root` (its children are replaced). */
export function renderCharts(root, rates) {
  const series = rates.providers.map((p) => ({
    provider: p.provider,
    requests: buckets(p.requests),
    errors: buckets(p.errors),
  }));
  const seconds = rates.providers[0]?.requests.length ?? 300;
  const perSecond = series.map((s) => ({
    provider: s.provider,
    values: s.requests.map((n) => n / bucketSeconds),
  }));
  const errorShare = series.map((s) => ({
    provider: s.provider,
    values: s.requests.map((n, i) => (n === 0 ? null : (100 * s.errors[i]) / n)),
  }));
  root.replaceChildren(
    chart("Requests per second", perSecond, seconds, (v) => (v < 10 ? v.toFixed(1) : String(Math.round(v)))),
    chart("Error answers (% of requests)", errorShare, seconds, (v) => `${Math.round(v)}%`, 100),
    legend(series),
  );
}

/** Sums per-second counts into `bucketSeconds` buckets, oldest first (the last may be partial). */
function buckets(values) {
  const out = [];
  for (let i = values.length % bucketSeconds; i < values.length; i += bucketSeconds)
    out.push(values.slice(i, i + bucketSeconds).reduce((a, b) => a + b, 0));
  return out;
}

function chart(title, lines, seconds, format, fixedMax) {
  const { width, height, left, right, top, bottom } = size;
  const count = Math.max(1, ...lines.map((l) => l.values.length));
  const max = fixedMax ?? Math.max(1, ...lines.flatMap((l) => l.values.filter((v) => v !== null)));
  const step = niceStep(max, 4);
  const top_ = fixedMax ?? Math.ceil(max / step) * step;
  const x = (i) => left + (i / Math.max(1, count - 1)) * (width - left - right);
  const y = (v) => top + (1 - v / top_) * (height - top - bottom);
  const figure = svg("svg", { width, height, viewBox: `0 0 ${width} ${height}`, class: "chart" });
  for (let v = 0; v <= top_ + step / 2; v += step) {
    figure.append(
      svg("line", { x1: left, x2: width - right, y1: y(v), y2: y(v), class: "chart-grid" }),
      svg("text", { x: left - 6, y: y(v) + 4, "text-anchor": "end" }, format(v)),
    );
  }
  figure.append(
    svg("text", { x: left, y: height - 6 }, `−${Math.round(seconds / 60)} min`),
    svg("text", { x: width - right, y: height - 6, "text-anchor": "end" }, "now"),
  );
  for (const line of lines) {
    const color = providerColor(line.provider);
    for (const run of runs(line.values)) {
      const points = run.map(([i, v]) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`);
      // A lone point (one bucket with traffic) is drawn as a dot: a one-point line shows nothing.
      if (points.length === 1) {
        const [cx, cy] = points[0].split(",");
        figure.append(svg("circle", { cx, cy, r: 3, fill: color, class: "chart-dot" }));
      } else figure.append(svg("polyline", { points: points.join(" "), stroke: color, class: "chart-line" }));
    }
  }
  return el("figure", { className: "chart-box" }, el("figcaption", {}, title), figure);
}

/** Each provider's colour and its totals over the window. */
/** The stretches of [index, value] between gaps (null: no request, so no error share). */
function runs(values) {
  const out = [[]];
  values.forEach((value, index) => {
    if (value === null) {
      if (out.at(-1).length) out.push([]);
    } else out.at(-1).push([index, value]);
  });
  return out.filter((run) => run.length > 0);
}

function legend(series) {
  if (series.length === 0) return el("p", { className: "muted" }, "No traffic yet.");
  const sum = (values) => values.reduce((a, b) => a + b, 0);
  return el(
    "p",
    { className: "chart-legend" },
    ...series.map((s) => {
      const swatch = el("i", { className: "swatch" });
      swatch.style.background = providerColor(s.provider);
      const requests = sum(s.requests);
      const errors = sum(s.errors);
      const share = requests ? Math.round((100 * errors) / requests) : 0;
      return el(
        "span",
        {},
        swatch,
        el("strong", {}, s.provider),
        ` ${requests} requests · ${errors} errors (${share}%)`,
      );
    }),
  );
}
