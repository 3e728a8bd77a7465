import { describe, expect, it } from "vitest";
import { parseMultipart } from "../../mocks/engine/multipart.ts";
import type { SimRequest } from "../../mocks/engine/sim-http.ts";

async function formRequest(form: FormData): Promise<SimRequest> {
  const request = new Request("http://x.test/", { method: "POST", body: form });
  return {
    method: "POST",
    path: "/",
    query: new URLSearchParams(),
    headers: { "content-type": request.headers.get("content-type") ?? "" },
    body: new Uint8Array(await request.arrayBuffer()),
  };
}

const raw = (contentType: string | undefined, body: string): SimRequest => ({
  method: "POST",
  path: "/",
  query: new URLSearchParams(),
  headers: contentType === undefined ? {} : { "content-type": contentType },
  body: new TextEncoder().encode(body),
});

describe("parseMultipart", () => {
  it("parses fields (repeated ones in order) and files with their names and types", async () => {
    const form = new FormData();
    form.append("prompt", "a cat");
    form.append("tag", "one");
    form.append("tag", "two");
    const bytes = new Uint8Array(300).map((_, i) => i % 256);
    form.append("image", new Blob([bytes], { type: "image/png" }), "photo.png");
    form.append("image", new Blob([new Uint8Array([1, 2])], { type: "image/jpeg" }), "second.jpg");
    const result = await parseMultipart(await formRequest(form), { maxFileBytes: 1_000 });
    if (!result.ok) throw new Error(result.reason);
    expect(Object.fromEntries(result.form.fields)).toEqual({ prompt: ["a cat"], tag: ["one", "two"] });
    expect(result.form.files.get("image")).toEqual([
      { field: "image", filename: "photo.png", contentType: "image/png", data: bytes },
      { field: "image", filename: "second.jpg", contentType: "image/jpeg", data: new Uint8Array([1, 2]) },
    ]);
  });

  it("accepts a file of exactly maxFileBytes", async () => {
    const form = new FormData();
    form.append("image", new Blob([new Uint8Array(100)]), "a.bin");
    const result = await parseMultipart(await formRequest(form), { maxFileBytes: 100 });
    expect(result.ok && result.form.files.get("image")![0]!.data.byteLength).toBe(100);
  });

  it("stops with too-large when a file crosses maxFileBytes", async () => {
    const form = new FormData();
    form.append("image", new Blob([new Uint8Array(101)]), "a.bin");
    form.append("after", "x");
    expect(await parseMultipart(await formRequest(form), { maxFileBytes: 100 })).toEqual({
      ok: false,
      problem: "too-large",
      reason: 'The file in part "image" is larger than 100 bytes.',
    });
  });

  it("refuses bodies that are not multipart, naming what came", async () => {
    expect(await parseMultipart(raw("application/json", "{}"), { maxFileBytes: 10 })).toEqual({
      ok: false,
      problem: "not-multipart",
      reason: 'Expected a multipart/form-data body, got "application/json".',
    });
    expect(await parseMultipart(raw(undefined, "{}"), { maxFileBytes: 10 })).toEqual({
      ok: false,
      problem: "not-multipart",
      reason: "Expected a multipart/form-data body, got no Content-Type.",
    });
  });

  it("reports a missing boundary as malformed", async () => {
    const result = await parseMultipart(raw("multipart/form-data", "--x\r\n"), { maxFileBytes: 10 });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problem).toBe("malformed");
    expect(!result.ok && result.reason).toMatch(/^Malformed multipart header: /);
  });

  it("reports a body that ends mid-part as malformed", async () => {
    const body = '--b0\r\nContent-Disposition: form-data; name="prompt"\r\n\r\nhello';
    const result = await parseMultipart(raw("multipart/form-data; boundary=b0", body), { maxFileBytes: 10 });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problem).toBe("malformed");
    expect(!result.ok && result.reason).toMatch(/^Malformed multipart body: /);
  });

  it("parses a hand-written body with a quoted boundary", async () => {
    const body = [
      "--abc",
      'Content-Disposition: form-data; name="mode"',
      "",
      "fast",
      "--abc",
      'Content-Disposition: form-data; name="asset"; filename="x.txt"',
      "Content-Type: text/plain",
      "",
      "hello",
      "--abc--",
      "",
    ].join("\r\n");
    const result = await parseMultipart(raw('multipart/form-data; boundary="abc"', body), {
      maxFileBytes: 10,
    });
    if (!result.ok) throw new Error(result.reason);
    expect(result.form.fields.get("mode")).toEqual(["fast"]);
    expect(result.form.files.get("asset")).toEqual([
      {
        field: "asset",
        filename: "x.txt",
        contentType: "text/plain",
        data: new TextEncoder().encode("hello"),
      },
    ]);
  });
});
