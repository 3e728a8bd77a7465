/**
 * The Ideogram family's multipart request as the providers document it: `image_request` is a plain
 * text field holding the JSON (curl's `-F image_request='{…}'`), `image_file` the image. Checked
 * on the raw bytes the client sends, parsed by an independent multipart reader (busboy).
 */
import busboy from "busboy";
import { afterEach, describe, expect, it } from "vitest";
import { makeImage } from "../../scripts/lib/images.ts";
import { VirtualClock } from "../../src/core/clock.ts";
import { createUpscaler } from "../../src/index.ts";
import { type StandIn, type StandInRequest, startStandIn } from "../helpers/stand-in.ts";

interface Part {
  name: string;
  value: string;
  /** Set for file parts only. */
  file?: { filename: string | undefined; mimeType: string; bytes: number };
}

/** Every part of a multipart request, in order, as a server reads it. */
function partsOf(request: StandInRequest): Promise<Part[]> {
  return new Promise((resolve, reject) => {
    const parts: Part[] = [];
    const parser = busboy({ headers: request.headers as Record<string, string> });
    parser.on("field", (name, value) => parts.push({ name, value }));
    parser.on("file", (name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const data = Buffer.concat(chunks);
        parts.push({
          name,
          value: data.toString("latin1"),
          file: { filename: info.filename, mimeType: info.mimeType, bytes: data.byteLength },
        });
      });
    });
    parser.on("error", reject);
    parser.on("close", () => resolve(parts));
    parser.end(request.body);
  });
}

/** The raw lines that introduce the part named `name` (its headers, up to the blank line). */
function partHeaders(request: StandInRequest, name: string): string {
  const text = request.body.toString("latin1");
  const start = text.indexOf(`name="${name}"`);
  const lineStart = text.lastIndexOf("\r\n", start) + 2;
  return text.slice(lineStart, text.indexOf("\r\n\r\n", start));
}

const ideogramBody = (url: string) => ({
  created: "2026-01-01T00:00:00Z",
  data: [{ url: `${url}/r.png`, resolution: "8x8", upscaled_resolution: "16x16", is_image_safe: true }],
});

let standIn: StandIn | undefined;
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

describe.each(["ideogram", "chainhub"] as const)("%s multipart request", (provider) => {
  it("sends image_request as a plain text field with the JSON, and image_file as a file", async () => {
    standIn = await startStandIn((_request, url) => ({ json: ideogramBody(url) }));
    const upscaler = createUpscaler({
      provider,
      apiKeys: { [provider]: "k" },
      baseUrls: { [provider]: standIn.url },
      clock: new VirtualClock({ autoAdvance: true }),
    });
    const png = await makeImage(8, 8);
    await upscaler.start(png, { prompt: "a beach", resemblance: 60, detail: 40, seed: 7 });

    const [request] = standIn.requests;
    expect(request!.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    const parts = await partsOf(request!);
    expect(parts.map((p) => p.name)).toEqual(["image_request", "image_file"]);
    const [settings, image] = parts;
    expect(settings!.file).toBeUndefined();
    expect(JSON.parse(settings!.value)).toEqual({ prompt: "a beach", resemblance: 60, detail: 40, seed: 7 });
    // On the wire: no filename and no part Content-Type, exactly what curl's -F name=value sends.
    expect(partHeaders(request!, "image_request")).toBe(
      'Content-Disposition: form-data; name="image_request"',
    );
    expect(image!.file).toMatchObject({ mimeType: "image/png", bytes: png.byteLength });
    expect(image!.file!.filename).toBeTruthy();
  });
});
