/**
 * The documented examples kept as fixtures: each names its public source, and each curl command
 * reads as curl reads it (so what the suites send is what the document's command sends).
 */
import { describe, expect, it } from "vitest";
import { loadDocuments, parseCurl, sendable } from "../helpers/documented-examples.ts";

const documents = loadDocuments();

describe("documented examples", () => {
  it("cover the five documents, each with an https source page", () => {
    expect(documents.map((d) => d.id)).toEqual([
      "chainhub-sync",
      "chainhub-task",
      "fal",
      "freepik",
      "onemin",
    ]);
    for (const doc of documents) expect(new URL(doc.source).protocol).toBe("https:");
  });

  it('curl\'s quoted -F value and @"file" are read as curl reads them', () => {
    const doc = documents.find((d) => d.id === "chainhub-sync")!;
    const parsed = parseCurl(doc.requests[0]!.curl!);
    expect(parsed).toEqual({
      method: "POST",
      url: "/ideogram/upscale",
      headers: { accept: "application/json", Authorization: "Bearer {{YOUR_API_KEY}}" },
      multipart: [
        {
          name: "image_request",
          // The page's own "Example" for the field, byte for byte.
          value:
            '{"resemblance":50,"magic_prompt_option":"AUTO","prompt":"A%20serene%20tropical%20beach%20","seed":12345,"detail":50}',
        },
        { name: "image_file", file: "E:\\Downloads\\flux.png" },
      ],
    });
  });

  it("curl --data keeps the document's JSON text; every example's key placeholder is stood in for", () => {
    const stand = { key: "dummy-key", image: new Uint8Array([1, 2, 3]) };
    for (const doc of documents) {
      for (const example of doc.requests.filter((r) => !r.falSubscribe)) {
        const request = sendable(doc, example, stand);
        expect(request.url, example.name).toMatch(/^https:\/\//);
        const headerText = JSON.stringify(request.headers);
        expect(headerText, `${doc.id} ${example.name}`).toContain("dummy-key");
        for (const placeholder of doc.keyPlaceholders ?? []) expect(headerText).not.toContain(placeholder);
        if (typeof request.body === "string") expect(() => JSON.parse(request.body as string)).not.toThrow();
      }
    }
    const fal = documents.find((d) => d.id === "fal")!;
    expect(parseCurl(fal.requests[0]!.curl!).data).toBe(
      '{\n     "image_url": "https://fal.media/files/monkey/e6RtJf_ue0vyWzeiEmTby.png"\n   }',
    );
  });
});
