// The dashboard's script, served as /__admin/ui.js: the page's Content-Security-Policy allows
// only scripts from the server's own origin, so nothing runs inline. Each view lives in its own
// module (ui-*.js); this one wires them together and refreshes them every second.
import { renderCharts } from "./ui-charts.js";
import { renderUpscales } from "./ui-compare.js";
import { createDetail } from "./ui-detail.js";
import { adminUrl, api, el } from "./ui-lib.js";
import { createTimeline } from "./ui-timeline.js";

const row = (...cells) =>
  el("tr", {}, ...cells.map((c) => (c instanceof Node && c.tagName === "TD" ? c : el("td", {}, c))));

const openDetail = createDetail(document.getElementById("detail"));
const timeline = createTimeline(document.getElementById("timeline-section"), { onOpen: openDetail });

async function renderProviders() {
  const [server, scenarios] = await Promise.all([api("server"), api("scenarios")]);
  const box = document.getElementById("providers");
  box.replaceChildren();
  const providerFilter = document.getElementById("tl-provider");
  for (const provider of scenarios.providers) {
    const urls = Object.entries(server.urls).filter(([k]) => k.startsWith(`${provider}.`));
    if (urls.length === 0) continue;
    providerFilter.append(el("option", { value: provider }, provider));
    const select = el("select", { id: `scenario-${provider}`, name: provider });
    for (const name of scenarios.presets)
      select.append(
        el("option", { value: name, selected: (scenarios.scenarios[provider] || "healthy") === name }, name),
      );
    select.addEventListener("change", async () => {
      await api("scenarios", {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ provider, scenario: select.value }),
      });
    });
    box.append(
      el(
        "div",
        { className: "provider", dataset: { provider } },
        el("h3", {}, provider),
        ...urls.map(([k, u]) => el("div", {}, el("code", {}, `${k.split(".")[1]}: ${u}`))),
        el("label", {}, "scenario ", select),
      ),
    );
  }
}

// A click on a request row opens its detail.
document.getElementById("journal").addEventListener("click", (event) => {
  const line = event.target.closest("tr[data-seq]");
  if (line) openDetail(line.dataset.namespace, Number(line.dataset.seq));
});

/** The HAR link follows the timeline's namespace and provider filters. */
function updateHarLink() {
  const query = new URLSearchParams();
  for (const name of ["namespace", "provider"]) {
    const value = document.getElementById(`tl-${name}`).value;
    if (value) query.set(name, value);
  }
  document.getElementById("har-link").href = adminUrl(`journal.har${query.size ? `?${query}` : ""}`);
}

async function refresh() {
  const [journal, tasks, hooks, upscales, rates, health] = await Promise.all([
    api("journal?limit=40"),
    api("tasks?limit=30"),
    api("webhooks"),
    api("upscales?limit=6"),
    api("rates?seconds=300"),
    api("health"),
  ]);
  timeline.setNamespaces(health.namespaces);
  updateHarLink();
  await timeline.refresh();
  renderCharts(document.getElementById("charts"), rates);
  document.getElementById("journal-count").textContent =
    `(${journal.entries.length} shown · click one for its detail)`;
  document.getElementById("journal").replaceChildren(
    ...journal.entries
      .slice()
      .reverse()
      .map((e) => {
        const line = row(
          new Date(e.time).toLocaleTimeString(),
          e.namespace,
          e.provider,
          e.operation,
          e.method,
          el("code", {}, e.path),
          el("td", { className: `status-${String(e.status)[0]}` }, e.status),
          e.faults.join(", "),
        );
        Object.assign(line.dataset, { seq: e.seq, namespace: e.namespace });
        return line;
      }),
  );
  document.getElementById("tasks").replaceChildren(
    ...tasks.tasks
      .slice(-30)
      .reverse()
      .map((t) =>
        row(
          el("code", {}, t.id),
          t.namespace,
          t.provider,
          t.operation,
          el("strong", {}, t.state),
          t.states.join(" → "),
          t.polls,
        ),
      ),
  );
  document.getElementById("webhooks").replaceChildren(
    ...hooks.deliveries
      .slice(-30)
      .reverse()
      .map((d) =>
        row(d.provider, el("code", {}, d.taskId), d.event, el("code", {}, d.url), d.state, d.attempts.length),
      ),
  );
  renderUpscales(document.getElementById("upscales"), upscales.upscales);
}

await renderProviders();
await refresh();
setInterval(() => refresh().catch(() => {}), 1000);
