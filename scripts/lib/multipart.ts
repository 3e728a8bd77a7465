/**
 * multipart/form-data bodies built byte by byte, so a test controls (and can break) every part:
 * the hostile-request tests, the fuzz cases and fixtures, the soak. The bytes are part of what
 * a fuzz seed replays: keep the layout as it is.
 */

/** A text field or a file: `filename` and `type` add to its Content-Disposition and Content-Type. */
export interface FormPart {
  name: string;
  value: string | Uint8Array;
  filename?: string;
  type?: string;
}

/** The body alone: each part, then the closing boundary. */
export function encodeMultipart(parts: FormPart[], boundary: string): Uint8Array<ArrayBuffer> {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"`;
    if (part.filename !== undefined) head += `; filename="${part.filename}"`;
    head += "\r\n";
    if (part.type) head += `Content-Type: ${part.type}\r\n`;
    chunks.push(Buffer.from(`${head}\r\n`), Buffer.from(part.value), Buffer.from("\r\n"));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return new Uint8Array(Buffer.concat(chunks));
}

/** A multipart/form-data body from parts (text fields or files), with its content type. */
export function multipart(
  parts: FormPart[],
  boundary = "hostile-boundary-42",
): { body: Uint8Array<ArrayBuffer>; contentType: string } {
  return {
    body: encodeMultipart(parts, boundary),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}
