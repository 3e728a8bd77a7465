// What the dashboard's modules share: the admin API with the page's token, element builders
// for HTML and SVG, colours and number formats. Served as /__admin/ui-lib.js.
export const token = new URLSearchParams(location.search).get("token");
const authHeaders = token ? { "x-admin-token": token } : {};

export const api = (path, init = {}) =>
  fetch(`/__admin/${path}`, { ...init, headers: { ...authHeaders, ...(init.headers || {}) } }).then((r) =>
    r.json(),
  );

/** An admin URL for links and images, which cannot send a header: the token rides in the query. */
export const adminUrl = (path) =>
  token
    ? `/__admin/${path}${path.includes("?") ? "&" : "?"}token=${encodeURIComponent(token)}`
    : `/__admin/${path}`;

const append = (node, children) =>
  node.append(...children.map((c) => (c instanceof Node ? c : document.createTextNode(String(c ?? "")))));

export const el = (tag, { dataset, ...props } = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  Object.assign(node.dataset, dataset || {});
  append(node, children);
  return node;
};

export const svg = (tag, attributes = {}, ...children) => {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  append(node, children);
  return node;
};

const providerPalette = {
  freepik: "#2563eb",
  fal: "#7c3aed",
  ideogram: "#d97706",
  chainhub: "#0d9488",
  onemin: "#db2777",
};
export const providerColor = (provider) => providerPalette[provider] ?? "#64748b";

const statePalette = ["#93c5fd", "#fcd34d", "#a5b4fc", "#f9a8d4", "#99f6e4", "#fdba74"];
/** A stable colour per state name; success and failure read as such whatever they are called. */
export function stateColor(state, kind) {
  if (kind === "success") return "#34a853";
  if (kind === "failure") return "#e5484d";
  let hash = 0;
  for (const char of state) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return statePalette[hash % statePalette.length];
}

export function duration(ms) {
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function bytes(size) {
  if (size < 0) return "size unknown";
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KB`;
  return `${(size / 1024 / 1024).toFixed(2)} MB`;
}

/** A "nice" step (1, 2 or 5 × 10^n) that cuts `extent` into about `count` parts. */
export function niceStep(extent, count) {
  const raw = extent / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw || 1));
  return [1, 2, 5, 10].map((m) => m * power).find((step) => step >= raw) ?? raw;
}
