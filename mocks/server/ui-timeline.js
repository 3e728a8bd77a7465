// The dashboard's timeline, served as /__admin/ui-timeline.js: one row per task, its states as
// bars along a time axis (SVG), each call, fault and webhook attempt marked on it and named on
// hover. Filtered and paged on the server, so a few hundred tasks stay readable.
import { api, duration, el, niceStep, providerColor, stateColor, svg } from "./ui-lib.js";

const rowHeight = 28;
const labelWidth = 270;
const axisHeight = 26;
const pageSize = 20;

/** Wires the filters, pager and tooltip under `root`; returns `refresh()` for the page's loop. */
export function createTimeline(root, { onOpen }) {
  const filters = { namespace: "", provider: "", outcome: "", align: "task", fit: "states" };
  let offset = 0;
  let last = "";
  const chart = root.querySelector("#timeline");
  const tip = root.querySelector("#timeline-tip");
  const info = root.querySelector("#timeline-info");

  for (const name of Object.keys(filters)) {
    root.querySelector(`#tl-${name}`).addEventListener("change", (event) => {
      filters[name] = event.target.value;
      offset = 0;
      refresh();
    });
  }
  root.querySelector("#tl-prev").addEventListener("click", () => {
    offset = Math.max(0, offset - pageSize);
    refresh();
  });
  root.querySelector("#tl-next").addEventListener("click", () => {
    offset += pageSize;
    refresh();
  });
  // One tooltip for the whole chart: it survives the chart being redrawn under the pointer.
  chart.addEventListener("mousemove", (event) => {
    const target = event.target.closest?.("[data-tip]");
    if (!target) return tip.classList.remove("shown");
    tip.textContent = target.dataset.tip;
    const box = root.getBoundingClientRect();
    tip.style.left = `${event.clientX - box.left + 14}px`;
    tip.style.top = `${event.clientY - box.top + 14}px`;
    tip.classList.add("shown");
  });
  chart.addEventListener("mouseleave", () => tip.classList.remove("shown"));
  chart.addEventListener("click", (event) => {
    const mark = event.target.closest?.("[data-seq]");
    if (mark) onOpen(mark.dataset.namespace, Number(mark.dataset.seq));
  });

  async function refresh() {
    const query = new URLSearchParams({ offset: String(offset), limit: String(pageSize) });
    for (const name of ["namespace", "provider", "outcome"])
      if (filters[name]) query.set(name, filters[name]);
    const data = await api(`timeline?${query}`);
    if (data.total > 0 && offset >= data.total) {
      offset = Math.max(0, data.total - pageSize);
      return refresh();
    }
    const key = JSON.stringify([data, filters.align, filters.fit, chart.clientWidth]);
    if (key === last) return;
    last = key;
    info.textContent =
      data.total === 0 ? "no tasks" : `${offset + 1}–${offset + data.rows.length} of ${data.total} tasks`;
    root.querySelector("#tl-prev").disabled = offset === 0;
    root.querySelector("#tl-next").disabled = offset + data.rows.length >= data.total;
    chart.replaceChildren(data.rows.length ? draw(data.rows, filters, chart.clientWidth) : empty());
  }

  return { refresh, setNamespaces: (names) => fillSelect(root.querySelector("#tl-namespace"), names) };
}

function fillSelect(select, names) {
  const wanted = ["", ...names];
  const current = [...select.options].map((o) => o.value);
  if (JSON.stringify(current) === JSON.stringify(wanted)) return;
  const value = select.value;
  select.replaceChildren(...wanted.map((name) => el("option", { value: name }, name || "all namespaces")));
  select.value = wanted.includes(value) ? value : "";
}

const empty = () =>
  el("p", { className: "muted" }, "No task yet: submit an upscale to one of the providers.");

/**
 * `align` "task": every row from its own submit (compare shapes); "clock": one shared axis.
 * `fit` "states": the axis spans the states, and marks after them (a late webhook retry) sit
 * at its right edge; "all": the axis spans every mark and running state too.
 */
function draw(rows, { align, fit }, width) {
  const plotWidth = Math.max(200, width - labelWidth - 36);
  const clockStart = Math.min(...rows.map((r) => r.start));
  const origin = (row) => (align === "task" ? row.start : clockStart);
  // A running task's last state is open-ended (a stuck one forever): it counts from where it
  // began, and its bar runs to the edge, so one stuck task does not squash every other row.
  const ends = rows.map((row) => (row.outcome === "running" ? row.spans.at(-1).from : row.end) - origin(row));
  const markEnds =
    fit === "all"
      ? rows.flatMap((row) => [row.end, ...row.marks.map((m) => m.at)].map((t) => t - origin(row)))
      : [];
  const extent = Math.max(1, ...ends, ...markEnds);
  const x = (ms) => labelWidth + (Math.min(Math.max(0, ms), extent) / extent) * plotWidth;
  const height = axisHeight + rows.length * rowHeight + 4;
  const chart = svg("svg", { width, height, viewBox: `0 0 ${width} ${height}`, class: "timeline-svg" });
  chart.append(axis(extent, x, height, align));
  rows.forEach((row, index) => {
    chart.append(drawRow(row, index, origin(row), x, extent));
  });
  return chart;
}

function axis(extent, x, height, align) {
  const group = svg("g", { class: "tl-axis" });
  const step = niceStep(extent, 8);
  for (let t = 0; t <= extent + step / 2; t += step) {
    group.append(
      svg("line", { x1: x(t), x2: x(t), y1: axisHeight - 6, y2: height, class: "tl-grid" }),
      svg("text", { x: x(t), y: axisHeight - 10, "text-anchor": "middle" }, `+${duration(t)}`),
    );
  }
  group.append(
    svg(
      "text",
      { x: 8, y: axisHeight - 10, class: "tl-axis-title" },
      align === "task" ? "from each submit" : "since the first submit",
    ),
  );
  return group;
}

function drawRow(row, index, origin, x, extent) {
  const top = axisHeight + index * rowHeight;
  const middle = top + rowHeight / 2;
  const group = svg("g", {
    class: `tl-row tl-${row.outcome}`,
    "data-task": row.id,
    "data-provider": row.provider,
  });
  if (index % 2 === 1)
    group.append(svg("rect", { x: 0, y: top, width: "100%", height: rowHeight, class: "tl-stripe" }));
  group.append(
    svg("circle", { cx: 10, cy: middle, r: 4, fill: providerColor(row.provider) }),
    svg("text", { x: 20, y: middle + 4, class: "tl-provider" }, row.provider),
    svg(
      "text",
      { x: 86, y: middle + 4, class: "tl-id", "data-tip": `${row.id} · ${row.namespace} · ${row.state}` },
      row.id.slice(0, 8),
    ),
    svg("text", { x: 160, y: middle + 4, class: "tl-operation" }, row.operation.slice(0, 16)),
  );
  for (const span of row.spans) {
    const from = x(span.from - origin);
    const width = Math.max(span.kind === "stage" ? 2 : 6, x(span.to - origin) - from);
    group.append(
      svg("rect", {
        x: from,
        y: top + 6,
        width,
        height: rowHeight - 12,
        rx: 3,
        fill: stateColor(span.state, span.kind),
        class: "tl-span",
        "data-state": span.state,
        "data-tip": `${span.state} · ${span.kind === "stage" ? duration(span.to - span.from) : "final"}${
          row.outcome === "running" && span === row.spans.at(-1) ? " so far (running)" : ""
        }`,
      }),
    );
    if (width > span.state.length * 6.5 + 8)
      group.append(svg("text", { x: from + 8, y: middle + 4, class: "tl-span-label" }, span.state));
  }
  for (const mark of row.marks) {
    const beyond = mark.at - origin > extent;
    group.append(drawMark(mark, row, beyond ? x(extent) + 14 : x(mark.at - origin), middle, origin));
  }
  return group;
}

function drawMark(mark, row, cx, cy, origin) {
  const tip = `${mark.label} · at +${duration(mark.at - origin)}${mark.seq ? " · click for detail" : ""}`;
  const common = {
    class: `tl-mark tl-${mark.kind}`,
    "data-tip": tip,
    ...(mark.seq ? { "data-seq": mark.seq, "data-namespace": row.namespace } : {}),
  };
  if (mark.kind === "fault")
    return svg("path", { d: `M${cx} ${cy - 7} L${cx + 6} ${cy + 5} L${cx - 6} ${cy + 5} Z`, ...common });
  if (mark.kind === "webhook") {
    const failed = mark.status === undefined || mark.status < 200 || mark.status >= 300;
    return svg("rect", {
      x: cx - 4,
      y: cy - 4,
      width: 8,
      height: 8,
      ...common,
      class: `${common.class}${failed ? " tl-failed" : ""}`,
    });
  }
  return svg("circle", { cx, cy, r: 3.5, ...common });
}
