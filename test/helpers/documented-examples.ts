/**
 * The providers' documented examples (test/fixtures/documented-examples/, one file per document,
 * each with its public source URL) as requests a test can send: curl snippets are parsed as a
 * shell and curl would, the rest are kept as structured requests. Only what no test can send as
 * written is replaced, and each replacement is named here: API key placeholders by a dummy key,
 * local image files and elided base64 by a test image, a relative path by the provider's host.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";
import type { ProviderId } from "../../src/index.ts";

export interface MultipartExample {
  name: string;
  /** A text field's value. */
  value?: string;
  /** A file part: the path the document uploads from. */
  file?: string;
}

export interface RequestExample {
  name: string;
  /** A curl command exactly as the document prints it. */
  curl?: string;
  method?: string;
  url?: string;
  headers?: Record<string, string>;
  json?: unknown;
  multipart?: MultipartExample[];
  /** fal's client libraries: `subscribe(endpoint, { input, logs })`. */
  falSubscribe?: { client: "javascript" | "python"; endpoint: string; input: unknown; logs: boolean };
  /** Values the document fixes in the answer, by dotted path. */
  expect?: Record<string, unknown>;
}

export interface ResponseExample {
  name: string;
  status: number;
  contentType?: string;
  body: unknown;
}

export interface DocumentExamples {
  /** The fixture's file name, without `.json`. */
  id: string;
  provider: ProviderId;
  title: string;
  /** The provider's public documentation page these examples come from. */
  source: string;
  /** The origin of a relative URL. */
  server?: string;
  keyPlaceholders?: string[];
  /** The credential header, when the document names it without an example value. */
  keyHeader?: string;
  /** A base64 image the document cut short, so it cannot be sent as it stands. */
  elidedImage?: string;
  /** Harness headers that pick the simulator's documented mode (e.g. chainhub's pass-through). */
  simulatorHeaders?: Record<string, string>;
  requests: RequestExample[];
  success: { status: number; schema?: object; example?: string };
  responses: ResponseExample[];
}

const dir = new URL("../fixtures/documented-examples/", import.meta.url);

export function loadDocuments(): DocumentExamples[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => ({
      id: name.replace(/\.json$/, ""),
      ...(JSON.parse(readFileSync(join(dir.pathname, name), "utf8")) as Omit<DocumentExamples, "id">),
    }));
}

/** The words of a shell command line: quotes removed, `\`-newline continuations joined. */
export function shellWords(command: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < command.length; i++) {
    const c = command[i]!;
    if (c === "\\" && command[i + 1] === "\n") {
      i++;
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === "'") {
      const end = command.indexOf("'", i + 1);
      word = (word ?? "") + command.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      word ??= "";
      for (i++; command[i] !== '"'; i++) {
        // In double quotes a backslash escapes only $ ` " \ and newline.
        if (command[i] === "\\" && /[$`"\\\n]/.test(command[i + 1] ?? "")) i++;
        word += command[i];
      }
    } else if (c === "\\") {
      word = (word ?? "") + command[++i];
    } else {
      word = (word ?? "") + c;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** curl's reading of a `-F` value: `"…"` is quoted (with `\"` and `\\` escapes). */
function formWord(text: string): string {
  if (!text.startsWith('"')) return text;
  let out = "";
  for (let i = 1; i < text.length && text[i] !== '"'; i++) {
    if (text[i] === "\\" && /["\\]/.test(text[i + 1] ?? "")) i++;
    out += text[i];
  }
  return out;
}

/** The request a curl command sends (the options the documents use). */
export function parseCurl(
  command: string,
): Required<Pick<RequestExample, "method" | "url" | "headers">> &
  Pick<RequestExample, "multipart"> & { data?: string } {
  const words = shellWords(command);
  if (words[0] !== "curl") throw new Error(`Not a curl command: ${command.slice(0, 40)}`);
  let method: string | undefined;
  let url = "";
  let data: string | undefined;
  const headers: Record<string, string> = {};
  const multipart: MultipartExample[] = [];
  for (let i = 1; i < words.length; i++) {
    const word = words[i]!;
    const next = () => words[++i]!;
    if (word === "--location" || word === "-L") continue;
    if (word === "--request" || word === "-X") method = next();
    else if (word === "--url") url = next();
    else if (word === "--header" || word === "-H") {
      const header = next();
      const colon = header.indexOf(":");
      headers[header.slice(0, colon).trim()] = header.slice(colon + 1).trim();
    } else if (word === "--data" || word === "-d" || word === "--data-raw") data = next();
    else if (word === "--form" || word === "-F") {
      const form = next();
      const eq = form.indexOf("=");
      const value = form.slice(eq + 1);
      multipart.push(
        value.startsWith("@")
          ? { name: form.slice(0, eq), file: formWord(value.slice(1)) }
          : { name: form.slice(0, eq), value: formWord(value) },
      );
    } else if (word.startsWith("-")) throw new Error(`curl option ${word} is not understood here`);
    else url = word;
  }
  return {
    method: method ?? (data !== undefined || multipart.length > 0 ? "POST" : "GET"),
    url,
    headers,
    ...(multipart.length > 0 ? { multipart } : {}),
    ...(data !== undefined ? { data } : {}),
  };
}

export interface Sendable {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | FormData;
}

export interface Stand {
  /** The dummy key that stands for every key placeholder. */
  key: string;
  /** The test image that stands for every local file and elided base64 image. */
  image: Uint8Array;
}

/** The request as a test sends it, with the document's placeholders stood in for. */
export function sendable(doc: DocumentExamples, example: RequestExample, stand: Stand): Sendable {
  const parsed = example.curl ? parseCurl(example.curl) : undefined;
  const url = parsed?.url ?? example.url!;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(parsed?.headers ?? example.headers ?? {})) {
    headers[name] = (doc.keyPlaceholders ?? []).reduce((v, p) => v.split(p).join(stand.key), value);
  }
  if (doc.keyHeader) headers[doc.keyHeader] = stand.key;
  Object.assign(headers, doc.simulatorHeaders);
  const request = {
    method: parsed?.method ?? example.method ?? "POST",
    url: url.startsWith("/") ? `${doc.server}${url}` : url,
    headers,
  };
  const parts = parsed?.multipart ?? example.multipart;
  if (parts) {
    // The form's encoder sets multipart/form-data with its boundary, as curl -F does; a bare
    // "multipart/form-data" from the document's header list would leave the boundary out.
    for (const name of Object.keys(headers)) if (name.toLowerCase() === "content-type") delete headers[name];
    const form = new FormData();
    for (const part of parts) {
      if (part.file === undefined) form.append(part.name, part.value ?? "");
      else form.append(part.name, new Blob([stand.image as Uint8Array<ArrayBuffer>]), fileName(part.file));
    }
    return { ...request, body: form };
  }
  if (parsed?.data !== undefined) return { ...request, body: parsed.data };
  if (example.json !== undefined) {
    const base64 = Buffer.from(stand.image).toString("base64");
    const body = JSON.stringify(example.json, (_key, value) =>
      doc.elidedImage !== undefined && value === doc.elidedImage ? base64 : value,
    );
    return { ...request, body };
  }
  return request;
}

/** The file name of a documented local path (`E:\Downloads\flux.png`, `file://C:\…\a.png`). */
function fileName(path: string): string {
  return path.split(/[\\/]/).pop()!;
}

/** The value at a dotted path (`data.status`). */
export function valueAt(value: unknown, path: string): unknown {
  return path
    .split(".")
    .reduce<unknown>((v, key) => (v as Record<string, unknown> | undefined)?.[key], value);
}

/**
 * Where `actual` departs from the documented example's shape: every field the example shows is
 * present with the same JSON type; a non-empty example array needs a non-empty array whose items
 * each have the shape of the example's first. Extra fields are allowed.
 */
export function shapeProblems(actual: unknown, example: unknown, path = "$"): string[] {
  const kind = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);
  if (example === null) return [];
  if (kind(actual) !== kind(example)) return [`${path}: ${kind(actual)}, documented ${kind(example)}`];
  if (Array.isArray(example)) {
    const items = actual as unknown[];
    if (example.length === 0) return [];
    if (items.length === 0) return [`${path}: empty, documented with items`];
    return items.flatMap((item, i) => shapeProblems(item, example[0], `${path}[${i}]`));
  }
  if (kind(example) === "object") {
    return Object.entries(example as Record<string, unknown>).flatMap(([key, value]) =>
      key in (actual as object)
        ? shapeProblems((actual as Record<string, unknown>)[key], value, `${path}.${key}`)
        : [`${path}.${key}: missing`],
    );
  }
  return [];
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => void;
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);

/** Where `body` breaks the document's success schema and example, if it gives them. */
export function successProblems(doc: DocumentExamples, body: unknown): string[] {
  const problems: string[] = [];
  if (doc.success.schema) {
    const validate = ajv.compile(doc.success.schema);
    if (!validate(body))
      problems.push(...(validate.errors ?? []).map((e) => `${e.instancePath || "$"} ${e.message}`));
  }
  const example = doc.responses.find((r) => r.name === doc.success.example);
  if (example) problems.push(...shapeProblems(body, example.body));
  return problems;
}
