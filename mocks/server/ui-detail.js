// The dashboard's request detail, served as /__admin/ui-detail.js: one journaled exchange in a
// dialog, with headers (credentials as fingerprints), body previews, images shown as images,
// the faults applied and whether the answer is valid against the provider's spec.
import { api, bytes, duration, el } from "./ui-lib.js";

export function createDetail(dialog) {
  const body = dialog.querySelector("#detail-body");
  dialog.querySelector("#detail-close").addEventListener("click", () => dialog.close());
  // A click on the backdrop (outside the dialog's box) closes it too.
  dialog.addEventListener("click", (event) => {
    if (event.target === dialog) dialog.close();
  });

  return async function open(namespace, seq) {
    body.replaceChildren(el("p", { className: "muted" }, "Loading…"));
    if (!dialog.open) dialog.showModal();
    const detail = await api(`journal/${seq}?namespace=${encodeURIComponent(namespace)}`);
    if (detail.error) {
      body.replaceChildren(el("p", {}, detail.error));
      return;
    }
    body.replaceChildren(
      summary(detail),
      el(
        "div",
        { className: "detail-columns" },
        side("Request", detail.request),
        side("Response", detail.response),
      ),
    );
  };
}

function summary(detail) {
  const status = el(
    "span",
    { className: `badge status-${String(detail.status)[0]}` },
    detail.status || "no answer",
  );
  const chips = [
    el("span", { className: "chip" }, detail.provider),
    el("span", { className: "chip" }, detail.operation),
    el("span", { className: "chip" }, `ns ${detail.namespace}`),
    el("span", { className: "chip" }, duration(detail.durationMs)),
    el("span", { className: "chip" }, new Date(detail.time).toLocaleTimeString()),
    ...(detail.taskId ? [el("span", { className: "chip" }, `task ${detail.taskId}`)] : []),
  ];
  const faults = detail.faults.length
    ? el(
        "p",
        {},
        "Faults applied: ",
        ...detail.faults.map((f) => el("span", { className: "chip chip-fault" }, f)),
      )
    : el("p", { className: "muted" }, "No fault applied.");
  return el(
    "div",
    { className: "detail-summary" },
    el("h3", {}, status, " ", el("code", {}, `${detail.method} ${detail.url}`)),
    el("p", {}, ...chips),
    faults,
    ...(detail.notes ?? []).map((note) => el("p", { className: "muted" }, `Note: ${note}`)),
    validation(detail.validation),
  );
}

function validation(result) {
  if (!result.checked)
    return el(
      "p",
      { className: "validation validation-unchecked" },
      `Spec check: not checked. ${result.note}`,
    );
  if (result.valid)
    return el(
      "p",
      { className: "validation validation-valid" },
      "✓ The answer is valid against the provider's spec.",
    );
  return el(
    "div",
    { className: "validation validation-invalid" },
    el("p", {}, "✗ The answer is not valid against the provider's spec:"),
    el("ul", {}, ...result.problems.map((problem) => el("li", {}, el("code", {}, problem)))),
  );
}

function side(title, part) {
  const headers = Object.entries(part.headers);
  return el(
    "div",
    { className: "detail-side" },
    el("h4", {}, title),
    headers.length
      ? el(
          "table",
          { className: "headers" },
          ...headers.map(([name, value]) =>
            el("tr", {}, el("th", {}, name), el("td", {}, el("code", {}, value))),
          ),
        )
      : el("p", { className: "muted" }, "No headers recorded."),
    bodyView(part.body),
  );
}

function bodyView(body) {
  const about = `${body.contentType || "no content type"} · ${bytes(body.size)}`;
  const heading = el("p", { className: "muted" }, `Body: ${about}`);
  const images = (body.images ?? []).map((image) =>
    el(
      "figure",
      { className: "detail-image" },
      el("img", { src: image.src, alt: image.where }),
      el("figcaption", {}, image.where),
    ),
  );
  switch (body.kind) {
    case "empty":
      return el("div", {}, el("p", { className: "muted" }, "Body: empty."));
    case "gone":
      return el(
        "div",
        {},
        heading,
        el("p", { className: "muted" }, "No longer kept (only the newest exchanges keep their bodies)."),
      );
    case "stream":
      return el("div", {}, heading, el("p", { className: "muted" }, "Streamed; not recorded."));
    case "binary":
      return el("div", {}, heading, el("p", { className: "muted" }, "Binary, not shown."));
    case "image":
      return el(
        "div",
        {},
        heading,
        ...(images.length ? images : [el("p", { className: "muted" }, "An image too large to show here.")]),
      );
    default:
      return el(
        "div",
        {},
        heading,
        ...images,
        el("pre", { className: "body-preview" }, body.text ?? ""),
        ...(body.truncated
          ? [el("p", { className: "muted" }, "Preview cut; the size above is the whole body's.")]
          : []),
      );
  }
}
