/**
 * multipart/form-data decoding for the simulators (busboy), with the limits a provider enforces:
 * a file over `maxFileBytes` stops the parse as soon as the limit is crossed.
 */
import busboy from "busboy";
import type { SimRequest } from "./sim-http.ts";

export interface MultipartFile {
  field: string;
  filename: string;
  contentType: string;
  data: Uint8Array;
}

export interface MultipartForm {
  fields: Map<string, string[]>;
  files: Map<string, MultipartFile[]>;
}

export type MultipartResult =
  | { ok: true; form: MultipartForm }
  | { ok: false; problem: "not-multipart" | "malformed" | "too-large"; reason: string };

export interface MultipartLimits {
  maxFileBytes: number;
  maxFields?: number;
  maxFiles?: number;
}

export function parseMultipart(req: SimRequest, limits: MultipartLimits): Promise<MultipartResult> {
  const contentType = req.headers["content-type"] ?? "";
  if (!/^multipart\/form-data/i.test(contentType)) {
    return Promise.resolve({
      ok: false,
      problem: "not-multipart",
      reason: `Expected a multipart/form-data body, got ${contentType ? `"${contentType}"` : "no Content-Type"}.`,
    });
  }
  return new Promise((resolve) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: { "content-type": contentType },
        limits: {
          // busboy reports "limit" on reaching fileSize; one more byte means "over the limit".
          fileSize: limits.maxFileBytes + 1,
          fields: limits.maxFields ?? 32,
          files: limits.maxFiles ?? 8,
        },
      });
    } catch (error) {
      resolve({
        ok: false,
        problem: "malformed",
        reason: `Malformed multipart header: ${(error as Error).message}`,
      });
      return;
    }
    const form: MultipartForm = { fields: new Map(), files: new Map() };
    let settled = false;
    const finish = (result: MultipartResult) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    parser.on("field", (name, value) => {
      form.fields.set(name, [...(form.fields.get(name) ?? []), value]);
    });
    parser.on("file", (name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      // busboy destroys a file stream cut short ("Unexpected end of form") with an error; without
      // a listener that error is thrown and takes the whole process down.
      stream.on("error", (error: Error) => {
        finish({ ok: false, problem: "malformed", reason: `Malformed multipart body: ${error.message}` });
      });
      stream.on("limit", () => {
        finish({
          ok: false,
          problem: "too-large",
          reason: `The file in part "${name}" is larger than ${limits.maxFileBytes} bytes.`,
        });
      });
      stream.on("end", () => {
        const file: MultipartFile = {
          field: name,
          filename: info.filename ?? "",
          contentType: info.mimeType,
          data: new Uint8Array(Buffer.concat(chunks)),
        };
        form.files.set(name, [...(form.files.get(name) ?? []), file]);
      });
    });
    parser.on("error", (error: Error) => {
      finish({ ok: false, problem: "malformed", reason: `Malformed multipart body: ${error.message}` });
    });
    parser.on("close", () => finish({ ok: true, form }));
    parser.end(Buffer.from(req.body.buffer, req.body.byteOffset, req.body.byteLength));
  });
}
