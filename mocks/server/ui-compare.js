// The dashboard's before/after view, served as /__admin/ui-compare.js: each of the last upscales
// as one picture with a slider between the input and the result, both sizes shown.
import { adminUrl, el } from "./ui-lib.js";

let shown = "";

export function renderUpscales(root, upscales) {
  const key = upscales.map((u) => u.output).join(",");
  // Redrawn only when the list changes, so a slider being dragged is left alone.
  if (key === shown) return;
  shown = key;
  if (upscales.length === 0) {
    root.replaceChildren(el("p", { className: "muted" }, "No upscale yet."));
    return;
  }
  root.replaceChildren(...upscales.map(comparison));
}

function comparison(upscale) {
  // The namespace lets a replica that did not make the upscale fetch (or render) it from the store.
  const file = (id) => adminUrl(`files/${id}?namespace=${encodeURIComponent(upscale.namespace)}`);
  const before = el("img", { src: file(upscale.source), alt: "before", className: "before" });
  const after = el("img", { src: file(upscale.output), alt: "after", className: "after" });
  const slider = el("input", { type: "range", min: 0, max: 100, value: 50, ariaLabel: "before / after" });
  const clip = () => {
    // The input shows on the left of the handle, the result on the right.
    before.style.clipPath = `inset(0 ${100 - Number(slider.value)}% 0 0)`;
  };
  slider.addEventListener("input", clip);
  clip();
  const sizes = el("figcaption", {}, `${upscale.provider} · loading…`);
  const caption = () => {
    if (!before.naturalWidth || !after.naturalWidth) return;
    const factor = after.naturalWidth / before.naturalWidth;
    sizes.replaceChildren(
      el("strong", {}, upscale.provider),
      ` · before ${before.naturalWidth}×${before.naturalHeight} → after ${after.naturalWidth}×${after.naturalHeight}`,
      el("span", { className: "muted" }, ` (${factor.toFixed(factor % 1 ? 2 : 0)}×)`),
    );
  };
  before.addEventListener("load", caption);
  after.addEventListener("load", caption);
  return el(
    "figure",
    { className: "compare", dataset: { output: upscale.output } },
    el("div", { className: "compare-stage" }, before, after),
    slider,
    sizes,
  );
}
