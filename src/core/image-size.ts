/**
 * Format and dimensions from an image's first bytes (PNG, JPEG, WebP), without decoding it: the
 * client uses them to describe results, check a provider's output-pixel cap before sending, and
 * label uploads with the right content type.
 */
/** The image formats the providers return and the client can ask for. */
export type OutputFormat = "png" | "jpeg" | "webp";

export interface ImageInfo {
  format: OutputFormat;
  contentType: string;
  width?: number;
  height?: number;
}

export const contentTypeOf: Record<OutputFormat, string> = {
  png: "image/png",
  jpeg: "image/jpeg",
  webp: "image/webp",
};

function ascii(data: Uint8Array, at: number, length: number): string {
  return String.fromCharCode(...data.subarray(at, at + length));
}

export function sniffImage(data: Uint8Array): ImageInfo | undefined {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  // The format is known from the signature; the size only when the header is there to read.
  if (data.length >= 8 && data[0] === 0x89 && ascii(data, 1, 3) === "PNG") {
    const size = data.length >= 24 ? { width: view.getUint32(16), height: view.getUint32(20) } : {};
    return { format: "png", contentType: contentTypeOf.png, ...size };
  }
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) {
    return { format: "jpeg", contentType: contentTypeOf.jpeg, ...jpegSize(data, view) };
  }
  if (data.length >= 12 && ascii(data, 0, 4) === "RIFF" && ascii(data, 8, 4) === "WEBP") {
    return { format: "webp", contentType: contentTypeOf.webp, ...webpSize(data, view) };
  }
  return undefined;
}

function jpegSize(data: Uint8Array, view: DataView): { width?: number; height?: number } {
  let at = 2;
  while (at + 9 < data.length) {
    if (data[at] !== 0xff) return {};
    const marker = data[at + 1]!;
    if (marker === 0xff) {
      at++;
      continue;
    }
    const length = view.getUint16(at + 2);
    // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: view.getUint16(at + 5), width: view.getUint16(at + 7) };
    }
    at += 2 + length;
  }
  return {};
}

function webpSize(data: Uint8Array, view: DataView): { width?: number; height?: number } {
  const chunk = ascii(data, 12, 4);
  if (chunk === "VP8 " && data.length >= 30) {
    return { width: view.getUint16(26, true) & 0x3fff, height: view.getUint16(28, true) & 0x3fff };
  }
  if (chunk === "VP8L" && data.length >= 25) {
    const bits = view.getUint32(21, true);
    return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
  }
  if (chunk === "VP8X" && data.length >= 30) {
    const w = data[24]! | (data[25]! << 8) | (data[26]! << 16);
    const h = data[27]! | (data[28]! << 8) | (data[29]! << 16);
    return { width: w + 1, height: h + 1 };
  }
  return {};
}

/** `"1024x768"` → { width, height }. */
export function parseResolution(text: string | undefined): { width: number; height: number } | undefined {
  const match = /^(\d+)x(\d+)$/.exec(text ?? "");
  return match ? { width: Number(match[1]), height: Number(match[2]) } : undefined;
}

export function formatFromContentType(contentType: string | undefined): OutputFormat | undefined {
  if (!contentType) return undefined;
  if (/png/i.test(contentType)) return "png";
  if (/jpe?g/i.test(contentType)) return "jpeg";
  if (/webp/i.test(contentType)) return "webp";
  return undefined;
}

export function formatFromName(name: string): OutputFormat | undefined {
  const ext = /\.([a-z0-9]+)(?:$|\?)/i.exec(name)?.[1]?.toLowerCase();
  if (ext === "png") return "png";
  if (ext === "jpg" || ext === "jpeg") return "jpeg";
  if (ext === "webp") return "webp";
  return undefined;
}
