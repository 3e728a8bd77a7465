// The dashboard's script, served as /__admin/ui.js: the page's Content-Security-Policy allows
// only scripts from the server's own origin, so nothing runs inline.
const token = new URLSearchParams(location.search).get("token");
const headers = token ? { "x-admin-token": token } : {};
const api = (path, init = {}) =>
  fetch(`/__admin/${path}`, { ...init, headers: { ...headers, ...(init.headers || {}) } }).then((r) =>
    r.json(),
  );
const el = (tag, { dataset, ...props } = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  Object.assign(node.dataset, dataset || {});
  node.append(...children.map((c) => (c instanceof Node ? c : document.createTextNode(String(c ?? "")))));
  return node;
};
const row = (...cells) =>
  el("tr", {}, ...cells.map((c) => (c instanceof Node && c.tagName === "TD" ? c : el("td", {}, c))));
let presets = [];

async function renderProviders() {
  const [server, scenarios] = await Promise.all([api("server"), api("scenarios")]);
  presets = scenarios.presets;
  const box = document.getElementById("providers");
  box.replaceChildren();
  for (const provider of scenarios.providers) {
    const urls = Object.entries(server.urls).filter(([k]) => k.startsWith(`${provider}.`));
    if (urls.length === 0) continue;
    const select = el("select", { id: `scenario-${provider}`, name: provider });
    for (const name of presets)
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

async function refresh() {
  const [journal, tasks, hooks, upscales] = await Promise.all([
    api("journal?limit=40"),
    api("tasks"),
    api("webhooks"),
    api("upscales?limit=6"),
  ]);
  document.getElementById("journal-count").textContent = `(${journal.entries.length} shown)`;
  document.getElementById("journal").replaceChildren(
    ...journal.entries
      .slice()
      .reverse()
      .map((e) =>
        row(
          new Date(e.time).toLocaleTimeString(),
          e.namespace,
          e.provider,
          e.operation,
          e.method,
          el("code", {}, e.path),
          el("td", { className: `status-${String(e.status)[0]}` }, e.status),
          e.faults.join(", "),
        ),
      ),
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
  const tokenQuery = token ? `?token=${encodeURIComponent(token)}` : "";
  document
    .getElementById("upscales")
    .replaceChildren(
      ...upscales.upscales.map((u) =>
        el(
          "div",
          { className: "pair" },
          el(
            "figure",
            {},
            el("img", { src: `/__admin/files/${u.source}${tokenQuery}`, alt: "before" }),
            el("figcaption", {}, "before"),
          ),
          el(
            "figure",
            {},
            el("img", { src: `/__admin/files/${u.output}${tokenQuery}`, alt: "after" }),
            el("figcaption", {}, `${u.provider} ${u.width}×${u.height}`),
          ),
        ),
      ),
    );
}

await renderProviders();
await refresh();
setInterval(() => refresh().catch(() => {}), 1000);
