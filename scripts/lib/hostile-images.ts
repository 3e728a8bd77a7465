/**
 * Hostile image files, built byte by byte: decompression bombs (tiny files whose headers declare
 * huge dimensions), truncated and corrupt images, and files whose magic bytes lie.
 */
import { makeImage, pngDeclaring } from "./images.ts";
import type { Binary } from "./schema-arbitrary.ts";

function riff(chunks: Buffer[]): Buffer {
  const body = Buffer.concat([Buffer.from("WEBP", "ascii"), ...chunks]);
  const head = Buffer.alloc(8);
  head.write("RIFF", 0, "ascii");
  head.writeUInt32LE(body.length, 4);
  return Buffer.concat([head, body]);
}

function chunk(fourcc: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.write(fourcc, 0, "ascii");
  head.writeUInt32LE(data.length, 4);
  return Buffer.concat([head, data, data.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
}

/**
 * A lossy WebP (RIFF/WEBP/`VP8 `) of ~100 bytes whose key-frame header declares width×height
 * (at most 16383 each: 268 million pixels). Frame tag: key frame, version 0, shown, first
 * partition of 40 bytes; then the start code 9d 01 2a and the 14-bit dimensions (scale 0).
 */
export function webpDeclaring(width: number, height: number): Uint8Array {
  const data = Buffer.alloc(10 + 64);
  const tag =
    0 /* key frame */ | (0 << 1) /* version */ | (1 << 4) /* show */ | (40 << 5); /* partition size */
  data[0] = tag & 0xff;
  data[1] = (tag >> 8) & 0xff;
  data[2] = (tag >> 16) & 0xff;
  data.set([0x9d, 0x01, 0x2a], 3);
  data.writeUInt16LE(width & 0x3fff, 6);
  data.writeUInt16LE(height & 0x3fff, 8);
  return new Uint8Array(riff([chunk("VP8 ", data)]));
}

/** A lossless WebP (`VP8L`) header declaring width×height (14 bits each, at most 16383). */
export function webpLosslessDeclaring(width: number, height: number): Uint8Array {
  const data = Buffer.alloc(5 + 64);
  data[0] = 0x2f;
  data.writeUInt32LE(((width - 1) | ((height - 1) << 14)) >>> 0, 1);
  return new Uint8Array(riff([chunk("VP8L", data)]));
}

const binary = (data: Uint8Array, contentType: string, filename: string): Binary => ({
  binary: true,
  data,
  contentType,
  filename,
});

/** Tiny real images in every accepted format. */
export async function goodImages(): Promise<Binary[]> {
  return [
    binary(await makeImage(16, 12, "png"), "image/png", "in.png"),
    binary(await makeImage(12, 16, "jpeg"), "image/jpeg", "in.jpg"),
    binary(await makeImage(16, 16, "webp"), "image/webp", "in.webp"),
  ];
}

/** Every kind of image a provider must refuse with a 4xx. */
export async function badImages(): Promise<Binary[]> {
  const png = await makeImage(64, 48, "png");
  const jpeg = await makeImage(64, 48, "jpeg");
  const corrupt = png.slice();
  for (let i = 60; i < corrupt.length - 20; i += 7) corrupt[i] = (corrupt[i]! ^ 0x5a) & 0xff;
  return [
    binary(pngDeclaring(100_000, 100_000), "image/png", "bomb.png"),
    binary(webpDeclaring(16_383, 16_383), "image/webp", "bomb.webp"),
    binary(png.slice(0, Math.floor(png.length / 2)), "image/png", "truncated.png"),
    binary(jpeg.slice(0, Math.floor(jpeg.length / 2)), "image/jpeg", "truncated.jpg"),
    binary(corrupt, "image/png", "corrupt.png"),
    binary(
      new TextEncoder().encode("GIF89a\u0001\u0000\u0001\u0000\u0000\u0000\u0000;"),
      "image/png",
      "really.gif",
    ),
    binary(new TextEncoder().encode("<svg xmlns='http://www.w3.org/2000/svg'/>"), "image/png", "x.png"),
    binary(png.slice(0, 8), "image/png", "magic-only.png"),
    binary(new Uint8Array(), "image/png", "empty.png"),
  ];
}
