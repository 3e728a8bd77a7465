import { describe, expect, it } from "vitest";
import {
  decodeBase64Strict,
  decodeDataUri,
  ImageUpscaler,
  inspectImage,
  sniffFormat,
  toDataUri,
} from "../../mocks/engine/images.ts";
import { dimensionsOf, makeImage, pngDeclaring } from "../../scripts/lib/images.ts";

const limits = { maxInputBytes: 10 * 1024 * 1024, maxInputPixels: 64 * 1024 * 1024 };
const bytes = (...values: number[]) => new Uint8Array(values);
const text = (data: Uint8Array | undefined) => (data ? Buffer.from(data).toString("latin1") : undefined);

describe("sniffFormat", () => {
  it("recognises PNG, JPEG and WebP by their magic bytes", async () => {
    expect(sniffFormat(await makeImage(8, 8, "png"))).toBe("png");
    expect(sniffFormat(await makeImage(8, 8, "jpeg"))).toBe("jpeg");
    expect(sniffFormat(await makeImage(8, 8, "webp"))).toBe("webp");
  });

  it("rejects everything else, including truncated signatures", () => {
    expect(sniffFormat(new TextEncoder().encode("GIF89a\x01\x00\x01\x00"))).toBeUndefined();
    expect(
      sniffFormat(new TextEncoder().encode("<svg xmlns='http://www.w3.org/2000/svg'/>")),
    ).toBeUndefined();
    expect(sniffFormat(new TextEncoder().encode("RIFF\0\0\0\0WAVEfmt "))).toBeUndefined();
    expect(sniffFormat(bytes(0x89, 0x50, 0x4e, 0x47))).toBeUndefined();
    expect(sniffFormat(bytes(0xff, 0xd8))).toBeUndefined();
    expect(sniffFormat(bytes(0xff, 0xd8, 0xff))).toBe("jpeg");
    expect(sniffFormat(new Uint8Array())).toBeUndefined();
  });
});

describe("inspectImage", () => {
  it("reads format and dimensions from the header", async () => {
    expect(await inspectImage(await makeImage(64, 48, "jpeg"), limits)).toEqual({
      ok: true,
      format: "jpeg",
      width: 64,
      height: 48,
    });
  });

  it("refuses inputs over the byte limit before looking at them", async () => {
    const data = await makeImage(64, 48, "png");
    expect(await inspectImage(data, { ...limits, maxInputBytes: data.byteLength - 1 })).toEqual({
      ok: false,
      problem: "too-large-bytes",
      reason: `The image is ${data.byteLength} bytes; the limit is ${data.byteLength - 1} bytes.`,
    });
    expect((await inspectImage(data, { ...limits, maxInputBytes: data.byteLength })).ok).toBe(true);
  });

  it("refuses what is not a JPEG, PNG or WebP", async () => {
    expect(await inspectImage(new TextEncoder().encode("GIF89a........"), limits)).toEqual({
      ok: false,
      problem: "unsupported-format",
      reason: "The file is not a JPEG, PNG or WebP image.",
    });
  });

  it("calls a file with the right magic but a broken header corrupt", async () => {
    const broken = bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4, 5, 6, 7, 8);
    const result = await inspectImage(broken, limits);
    expect(result.ok).toBe(false);
    expect(result.ok === false && result.problem).toBe("corrupt");
  });

  it("refuses a decompression bomb from its header, without decoding it", async () => {
    const bomb = pngDeclaring(50_000, 50_000);
    expect(bomb.byteLength).toBeLessThan(200);
    const started = performance.now();
    expect(await inspectImage(bomb, limits)).toEqual({
      ok: false,
      problem: "too-many-input-pixels",
      reason: "The image is 50000x50000 (2500000000 pixels); the limit is 67108864 pixels.",
    });
    // Decoding 2.5 gigapixels would take seconds and gigabytes; reading a header takes nothing.
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it("accepts exactly maxInputPixels and refuses one more", async () => {
    const data = await makeImage(64, 48, "png");
    expect((await inspectImage(data, { ...limits, maxInputPixels: 64 * 48 })).ok).toBe(true);
    const over = await inspectImage(data, { ...limits, maxInputPixels: 64 * 48 - 1 });
    expect(over.ok === false && over.problem).toBe("too-many-input-pixels");
  });

  it("refuses an output over maxOutputPixels given the scale", async () => {
    const data = await makeImage(64, 48, "png");
    const capped = { ...limits, maxOutputPixels: 1_900_000 };
    expect((await inspectImage(data, capped, 16)).ok).toBe(true); // 1024x768 = 786432
    const big = await makeImage(400, 300, "png");
    expect(await inspectImage(big, capped, 4)).toEqual({
      ok: false,
      problem: "too-many-output-pixels",
      reason:
        "The upscaled image would be 1600x1200 (1920000 pixels), over the maximum allowed size of 1.9 million pixels.",
    });
    expect((await inspectImage(big, { ...limits, maxOutputPixels: 1_920_000 }, 4)).ok).toBe(true);
  });
});

describe("ImageUpscaler", () => {
  it("upscales by the factor and keeps the input's format", async () => {
    const upscaler = new ImageUpscaler();
    for (const format of ["png", "jpeg", "webp"] as const) {
      const out = await upscaler.upscale(await makeImage(64, 48, format), { scale: 2 });
      expect(out).toMatchObject({
        format,
        contentType: `image/${format}`,
        width: 128,
        height: 96,
        inputWidth: 64,
        inputHeight: 48,
      });
      expect(await dimensionsOf(out.data)).toEqual({ width: 128, height: 96, format });
      expect(sniffFormat(out.data)).toBe(format);
    }
  });

  it("rounds fractional scales and encodes in the requested format", async () => {
    const upscaler = new ImageUpscaler();
    const out = await upscaler.upscale(await makeImage(30, 20, "jpeg"), { scale: 1.5, format: "png" });
    expect([out.width, out.height, out.format, out.contentType]).toEqual([45, 30, "png", "image/png"]);
    expect(await dimensionsOf(out.data)).toEqual({ width: 45, height: 30, format: "png" });
  });

  it("answers an identical request from its cache, with identical bytes", async () => {
    const upscaler = new ImageUpscaler();
    const input = await makeImage(40, 30, "png");
    const first = await upscaler.upscale(input, { scale: 2 });
    expect([upscaler.hits, upscaler.misses]).toEqual([0, 1]);
    // A copy of the input hits too: the key is the content, not the buffer.
    const second = await upscaler.upscale(new Uint8Array(input), { scale: 2 });
    expect([upscaler.hits, upscaler.misses]).toEqual([1, 1]);
    expect(second).toBe(first);
    expect(Buffer.from(second.data).equals(Buffer.from(first.data))).toBe(true);
    await upscaler.upscale(input, { scale: 4 });
    await upscaler.upscale(input, { scale: 2, format: "webp" });
    await upscaler.upscale(input, { scale: 2, format: "jpeg" });
    expect([upscaler.hits, upscaler.misses]).toEqual([1, 4]);
  });

  it("concurrent identical requests render once", async () => {
    const upscaler = new ImageUpscaler();
    const input = await makeImage(40, 30, "png");
    const [a, b] = await Promise.all([
      upscaler.upscale(input, { scale: 2 }),
      upscaler.upscale(input, { scale: 2 }),
    ]);
    expect(a).toBe(b);
    expect([upscaler.hits, upscaler.misses]).toEqual([1, 1]);
  });

  it("evicts the least recently used entry", async () => {
    const upscaler = new ImageUpscaler({ maxCacheEntries: 2 });
    const [a, b, c] = await Promise.all([makeImage(8, 8), makeImage(9, 9), makeImage(10, 10)]);
    await upscaler.upscale(a, { scale: 2 });
    await upscaler.upscale(b, { scale: 2 });
    await upscaler.upscale(a, { scale: 2 }); // a is now the newest
    await upscaler.upscale(c, { scale: 2 }); // evicts b
    expect([upscaler.hits, upscaler.misses]).toEqual([1, 3]);
    await upscaler.upscale(a, { scale: 2 });
    expect([upscaler.hits, upscaler.misses]).toEqual([2, 3]);
    await upscaler.upscale(b, { scale: 2 });
    expect([upscaler.hits, upscaler.misses]).toEqual([2, 4]);
  });

  it("rejects non-images and does not cache the failure", async () => {
    const upscaler = new ImageUpscaler();
    const junk = new TextEncoder().encode("definitely not an image");
    await expect(upscaler.upscale(junk, { scale: 2 })).rejects.toThrow(
      "Failed to upscale: the input is not a JPEG, PNG or WebP image.",
    );
    await expect(upscaler.upscale(junk, { scale: 2 })).rejects.toThrow();
    expect([upscaler.hits, upscaler.misses]).toEqual([0, 2]);
  });
});

describe("decodeBase64Strict", () => {
  it("decodes padded, unpadded, url-safe and wrapped base64", () => {
    expect(text(decodeBase64Strict("QUJD"))).toBe("ABC");
    expect(text(decodeBase64Strict("QUI="))).toBe("AB");
    expect(text(decodeBase64Strict("QQ=="))).toBe("A");
    expect(text(decodeBase64Strict("QQ"))).toBe("A");
    expect(text(decodeBase64Strict(" QU\nJD\r\n\t"))).toBe("ABC");
    expect(decodeBase64Strict("-_8")).toEqual(bytes(0xfb, 0xff));
    expect(decodeBase64Strict("+/8=")).toEqual(bytes(0xfb, 0xff));
  });

  it("round-trips binary data", async () => {
    const image = await makeImage(16, 16, "png");
    expect(decodeBase64Strict(Buffer.from(image).toString("base64"))).toEqual(image);
  });

  it("rejects what is not base64", () => {
    for (const input of [
      "",
      "   ",
      "Q",
      "QUJDR",
      "QUJ!",
      "QU JD!",
      "Q===",
      "QQ==QQ==",
      "data:image/png;base64,QUJD",
    ])
      expect(decodeBase64Strict(input), JSON.stringify(input)).toBeUndefined();
  });

  it("rejects padding with no data in front of it", () => {
    expect(decodeBase64Strict("==")).toBeUndefined();
    expect(decodeBase64Strict("Q=")).toBeUndefined();
  });
});

describe("decodeDataUri", () => {
  it("splits base64 data URIs", () => {
    expect(decodeDataUri("data:image/png;base64,QUJD")).toEqual({
      contentType: "image/png",
      data: new TextEncoder().encode("ABC"),
    });
    expect(decodeDataUri("data:;base64,QUJD")?.contentType).toBe("application/octet-stream");
  });

  it("decodes percent-encoded (non-base64) data URIs, text/plain by default", () => {
    expect(decodeDataUri("data:,Hello%2C%20World")).toEqual({
      contentType: "text/plain",
      data: new TextEncoder().encode("Hello, World"),
    });
    expect(text(decodeDataUri("data:text/csv,a,b\nc")?.data)).toBe("a,b\nc");
  });

  it("round-trips toDataUri", async () => {
    const image = await makeImage(8, 8, "webp");
    const uri = toDataUri(image, "image/webp");
    expect(uri.startsWith("data:image/webp;base64,")).toBe(true);
    expect(decodeDataUri(uri)).toEqual({ contentType: "image/webp", data: image });
  });

  it("answers undefined for what is not a data URI, or not valid base64", () => {
    for (const input of [
      "https://example.com/a.png",
      "data:image/png;base64",
      "DATA:image/png;base64,QUJD",
      "data:image/png;base64,!!!!",
      "data:image/png;base64,",
    ])
      expect(decodeDataUri(input), input).toBeUndefined();
  });

  it("answers undefined (never throws) for broken percent-encoding", () => {
    expect(() => decodeDataUri("data:,%E0%A4%A")).not.toThrow();
    expect(decodeDataUri("data:,%E0%A4%A")).toBeUndefined();
  });
});
