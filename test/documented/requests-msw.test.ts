/**
 * Every example request in the providers' documents, sent as written to the real hosts, which
 * MSW hands to the simulators: each gets the document's success status, schema and shape (and,
 * through the harness, an answer valid against the provider's spec).
 */
import { describe, it } from "vitest";
import { loadDocuments } from "../helpers/documented-examples.ts";
import { useSimulators } from "../helpers/harness.ts";
import { expectDocumentedSuccess, replay, type Target } from "../helpers/replay-documented.ts";

useSimulators({ latency: "none" });

const target: Target = {
  swap: (url) => url,
  // @fal-ai/client keeps the fetch it was given; a wrapper reaches MSW's patched global fetch.
  falClient: { fetch: (...args) => fetch(...args) },
};

describe.each(loadDocuments())("$id ($source)", (doc) => {
  it.each(doc.requests)("$name", async (example) => {
    expectDocumentedSuccess(doc, example, await replay(doc, example, target));
  });
});
