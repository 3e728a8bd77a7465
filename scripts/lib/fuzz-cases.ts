/**
 * Fuzz cases for one spec operation: a request built from the operation's schemas (valid, or
 * broken in one labelled way), with good or wrong credentials and sometimes a scenario, plus
 * what the answer must be. Cases are transport-neutral wire requests (method, raw path, query,
 * headers, body bytes), sent in-process or over HTTP by fuzz-run.ts.
 */
import fc from "fast-check";
import { toDataUri } from "../../mocks/engine/images.ts";
import type { SpecOperation } from "./fuzz-spec.ts";
import { encodeMultipart, type FormPart } from "./multipart.ts";
import { type Binary, invalidHostUri, invalidOf, isBinary, type Json, validOf } from "./schema-arbitrary.ts";

export const fuzzKey = "fuzz-key-1";

/**
 * What valid requests point at. Images are bytes; everything that lives on the simulator (ids,
 * uploaded files, result URLs) is a placeholder the runner fills in when it sends the request,
 * so the simulator's bounded stores can be refilled mid-run without changing the cases.
 */
export interface CaseInputs {
  images: Binary[];
  /** Junk, truncated, wrong magic bytes, decompression bombs. */
  badImages: Binary[];
  /** A loopback webhook receiver, when the transport has one. */
  webhookUrl?: string;
}

/** Placeholders for what only exists on a running simulator (see `LiveFixtures`). */
export const ref = {
  falFileUrl: "__FAL_FILE_URL__",
  freepikResultUrl: "__FREEPIK_RESULT_URL__",
  oneminAsset: "__ONEMIN_ASSET__",
  id: (pool: string, index: number) => `__ID_${pool}_${index}__`,
};

/** How many existing ids each pool holds (see fuzz-run.ts `prepareFixtures`). */
export const poolSizes: Record<string, number> = {
  fal: 2,
  chainhub: 1,
  "freepik-creative": 2,
  "freepik-precision": 1,
  "freepik-precision-v2": 1,
};

export type CaseClass =
  | "valid"
  | "invalid-body"
  | "bad-json"
  | "bad-image"
  | "wrong-content-type"
  | "malformed-multipart"
  | "missing-header"
  | "junk-id"
  | "odd-query";

export interface WireRequest {
  method: string;
  /** Raw path, parameters percent-encoded, e.g. `/v1/ai/image-upscaler/abc`. */
  path: string;
  query: string;
  headers: Record<string, string>;
  body: Uint8Array;
}

/** What the answer must be when no scenario is in force (scenarios only relax it). */
export type Expectation = { statuses: number[] } | { range: "2xx" | "4xx" } | { lenient: true };

export interface FuzzCase {
  op: SpecOperation;
  host: string;
  klass: CaseClass;
  /** Why the request is what it is (the broken field, the mangling). */
  why: string;
  auth: "good" | "wrong";
  scenario?: string;
  wire: WireRequest;
  expect: Expectation;
}

/** Scenario presets a fuzz request may carry: each answers with a declared status, none hangs. */
export const fuzzScenarios = [
  "flaky",
  "outage",
  "rate-limited",
  "auth-failure",
  "task-failure",
  "no-credit",
  "webhook-chaos",
  "expired-urls",
  "flaky,rate-limited",
];

/** Which pool of existing ids a path parameter of an operation draws from. */
export function idPool(op: SpecOperation): string | undefined {
  if (op.provider === "fal" && op.parameters.some((p) => p.name === "request_id")) return "fal";
  if (op.provider === "chainhub" && op.operationId === "getUpscaleTask") return "chainhub";
  if (op.operationId === "getUpscale") return "freepik-creative";
  if (op.operationId === "getPrecisionUpscale") return "freepik-precision";
  if (op.operationId === "getPrecisionV2Upscale") return "freepik-precision-v2";
  return undefined;
}

/** Answers a request to an existing id may get (results not ready, runs already cancelled). */
function knownIdStatuses(op: SpecOperation): number[] {
  if (op.operationId.startsWith("getRequestResult")) return [200, 400];
  if (op.operationId.startsWith("cancelRequest")) return [202, 400];
  return [200];
}

interface ImageField {
  path: string[];
  good: fc.Arbitrary<unknown>;
  bad: fc.Arbitrary<unknown>;
  /** What a bad image gets: a 4xx, except where the provider accepts first and fails the run later. */
  badExpect?: Expectation;
}

const base64 = (b: Binary) => Buffer.from(b.data).toString("base64");

/** The body field that carries the image, per operation: what the schema alone cannot say. */
function imageField(op: SpecOperation, f: CaseInputs): ImageField | undefined {
  const good = fc.constantFrom(...f.images);
  const bad = fc.constantFrom(...f.badImages);
  switch (op.id) {
    case "freepik:createUpscale":
    case "freepik:createPrecisionUpscale":
      return { path: ["image"], good: good.map(base64), bad: bad.map(base64) };
    case "freepik:createPrecisionV2Upscale":
      return {
        path: ["image"],
        good: fc.oneof(good.map(base64), fc.constant(ref.freepikResultUrl)),
        bad: bad.map(base64),
      };
    case "fal:submitUpscale":
    case "fal-sync:runUpscale":
      return {
        // fal's queue accepts the run and fails it later (the result GET answers the 422).
        ...(op.id === "fal:submitUpscale" ? { badExpect: { range: "2xx" as const } } : {}),
        path: ["image_url"],
        good: fc.oneof(
          good.map((b) => toDataUri(b.data, b.contentType)),
          fc.constant(ref.falFileUrl),
        ),
        bad: bad.map((b) => toDataUri(b.data, b.contentType)),
      };
    case "onemin:runFeature":
      return {
        path: ["promptObject", "imageUrl"],
        good: fc.constant(ref.oneminAsset),
        bad: fc.constantFrom("images/2026_01_01_00_00_00_000_missing.png", "nope", "../../etc/passwd"),
      };
    case "ideogram:upscaleImage":
    case "chainhub:submitUpscale":
      return { path: ["image_file"], good, bad };
    case "onemin:uploadAsset":
      return { path: ["asset"], good, bad };
    default:
      return undefined;
  }
}

function setAt(value: unknown, path: string[], replacement: unknown): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  const [head, ...rest] = path;
  const copy = { ...(value as Json) };
  if (rest.length === 0) copy[head!] = replacement;
  else if (head! in copy) copy[head!] = setAt(copy[head!], rest, replacement);
  return copy;
}

const startsWith = (path: string[], prefix: string[]) => prefix.every((segment, i) => path[i] === segment);

/** URIs a valid request may name: unreachable `.invalid` hosts, or our own loopback receiver. */
function uris(f: CaseInputs): fc.Arbitrary<string> {
  return f.webhookUrl ? fc.oneof(invalidHostUri, fc.constant(f.webhookUrl)) : invalidHostUri;
}

const headerSafe = (value: unknown) =>
  String(value)
    .replace(/[^\x20-\x7e]/g, "")
    .trim();

// ---------------------------------------------------------------- multipart

type Mangle = "none" | "no-boundary" | "wrong-boundary" | "truncated" | "duplicate" | "as-json" | "no-parts";

function partsOf(fields: Json, settingsAsFile: boolean): FormPart[] {
  const parts: FormPart[] = [];
  for (const [name, value] of Object.entries(fields)) {
    if (isBinary(value)) {
      parts.push({ name, filename: value.filename, type: value.contentType, value: value.data });
    } else {
      // Every part is text on the wire: a value of another type is sent as its plain String()
      // (never re-encoded as JSON, which would turn "wrong type: object" into valid JSON text).
      const text = String(value);
      parts.push({
        name,
        ...(settingsAsFile && name === "image_request" ? { filename: "blob", type: "application/json" } : {}),
        value: new TextEncoder().encode(text),
      });
    }
  }
  return parts;
}

function multipartBody(
  fields: Json,
  mangle: Mangle,
  settingsAsFile: boolean,
  boundary: string,
): { body: Uint8Array; contentType: string } {
  let parts = partsOf(fields, settingsAsFile);
  if (mangle === "duplicate" && parts.length > 0) parts = [...parts, parts[parts.length - 1]!];
  if (mangle === "no-parts") parts = [];
  if (mangle === "as-json")
    return {
      body: new TextEncoder().encode(
        JSON.stringify(fields, (_k, v) => ((v as Binary)?.binary ? "<bytes>" : v)),
      ),
      contentType: "application/json",
    };
  const body = encodeMultipart(parts, boundary);
  switch (mangle) {
    case "no-boundary":
      return { body, contentType: "multipart/form-data" };
    case "wrong-boundary":
      return { body, contentType: `multipart/form-data; boundary=${boundary}x` };
    case "truncated":
      return {
        body: body.subarray(0, Math.max(1, body.length - boundary.length - 8)),
        contentType: `multipart/form-data; boundary=${boundary}`,
      };
    default:
      return { body, contentType: `multipart/form-data; boundary=${boundary}` };
  }
}

// ---------------------------------------------------------------- cases

interface BodyPlan {
  klass: CaseClass;
  why: string;
  bytes: Uint8Array;
  contentType?: string;
  expect: Expectation;
}

const encoder = new TextEncoder();

function jsonBodies(op: SpecOperation, f: CaseInputs, field: ImageField | undefined): fc.Arbitrary<BodyPlan> {
  const options = { doc: op.doc, uri: uris(f), extraProperties: true };
  const schema = op.body!.schema;
  const patchGood = (value: unknown, broken?: string[]) =>
    field && !(broken && (startsWith(field.path, broken) || startsWith(broken, field.path)))
      ? fc.tuple(fc.constant(value), field.good).map(([v, image]) => setAt(v, field.path, image))
      : fc.constant(value);
  const jsonType = fc.constantFrom("application/json", "application/json; charset=utf-8");
  const choices: Array<fc.Arbitrary<BodyPlan>> = [];

  const valid = validOf(schema, options).chain((value) => patchGood(value));
  choices.push(
    fc.tuple(valid, jsonType).map(([value, contentType]) => ({
      klass: "valid" as const,
      why: "valid",
      bytes: encoder.encode(JSON.stringify(value)),
      contentType,
      expect: { range: "2xx" as const },
    })),
  );
  const invalid = invalidOf(schema, options);
  if (invalid)
    choices.push(
      fc
        .tuple(
          invalid.chain((bad) => patchGood(bad.value, bad.path).map((value) => ({ bad, value }))),
          jsonType,
        )
        .map(([{ bad, value }, contentType]) => ({
          klass: "invalid-body" as const,
          why: bad.why,
          bytes: encoder.encode(JSON.stringify(value)),
          contentType,
          expect: { range: "4xx" as const },
        })),
    );
  if (field)
    choices.push(
      fc.tuple(validOf(schema, options), field.bad).map(([value, image]) => ({
        klass: "bad-image" as const,
        why: "the image is junk, truncated, a bomb or not an image",
        bytes: encoder.encode(JSON.stringify(setAt(value, field.path, image))),
        contentType: "application/json",
        expect: field.badExpect ?? { range: "4xx" as const },
      })),
    );
  choices.push(
    fc
      .oneof(
        fc.constantFrom("", "{", '{"a":', "[", "nul", "{'image': 1}", "\u0000\u0001", "]]]"),
        fc.string({ unit: "binary", maxLength: 64 }),
        valid.map((v) => {
          const text = JSON.stringify(v);
          return text.slice(0, Math.max(1, Math.floor(text.length / 2)));
        }),
        fc.constantFrom("[]", "null", "42", '"text"', "true"),
      )
      .filter((text) => {
        try {
          const parsed = JSON.parse(text) as unknown;
          return parsed === null || typeof parsed !== "object" || Array.isArray(parsed);
        } catch {
          return true;
        }
      })
      .map((text) => ({
        klass: "bad-json" as const,
        why: `not a JSON object: ${JSON.stringify(text.slice(0, 40))}`,
        bytes: encoder.encode(text),
        contentType: "application/json",
        expect: { range: "4xx" as const },
      })),
  );
  choices.push(
    fc
      .tuple(
        valid,
        fc.constantFrom(undefined, "text/plain", "application/x-www-form-urlencoded", "image/png"),
      )
      .map(([value, contentType]) => ({
        klass: "wrong-content-type" as const,
        why: `valid JSON sent as ${contentType ?? "no content type"}`,
        bytes: encoder.encode(JSON.stringify(value)),
        ...(contentType ? { contentType } : {}),
        // JSON APIs commonly read the body whatever its label; only the spec's rules apply.
        expect: { lenient: true as const },
      })),
  );
  return fc.oneof(...choices);
}

function multipartBodies(
  op: SpecOperation,
  f: CaseInputs,
  field: ImageField | undefined,
): fc.Arbitrary<BodyPlan> {
  const good = fc.constantFrom(...f.images);
  const options = { doc: op.doc, binary: good, badBinary: fc.constantFrom(...f.badImages), uri: uris(f) };
  const schema = op.body!.schema;
  // Token characters only (RFC 2045); tspecials such as "(" would need quoting in the header.
  const boundary = fc.stringMatching(/^[A-Za-z0-9'+_.-]{8,40}$/);
  const asFile = fc.boolean();
  const valid = validOf(schema, { ...options, extraProperties: true }) as fc.Arbitrary<Json>;
  const choices: Array<fc.Arbitrary<BodyPlan>> = [];
  choices.push(
    fc.tuple(valid, asFile, boundary).map(([fields, settingsAsFile, b]) => {
      const { body, contentType } = multipartBody(fields, "none", settingsAsFile, b);
      return {
        klass: "valid" as const,
        why: "valid",
        bytes: body,
        contentType,
        expect: { range: "2xx" as const },
      };
    }),
  );
  const invalid = invalidOf(schema, options);
  if (invalid)
    choices.push(
      fc
        .tuple(invalid, asFile, boundary)
        .filter(([bad]) => bad.value !== null && typeof bad.value === "object" && !Array.isArray(bad.value))
        .map(([bad, settingsAsFile, b]) => {
          const { body, contentType } = multipartBody(bad.value as Json, "none", settingsAsFile, b);
          return {
            klass: "invalid-body" as const,
            why: bad.why,
            bytes: body,
            contentType,
            expect: { range: "4xx" as const },
          };
        }),
    );
  if (field)
    choices.push(
      fc.tuple(valid, field.bad, boundary).map(([fields, image, b]) => {
        const { body, contentType } = multipartBody({ ...fields, [field.path[0]!]: image }, "none", false, b);
        return {
          klass: "bad-image" as const,
          why: "the file is junk, truncated, a bomb or not an image",
          bytes: body,
          contentType,
          expect: { range: "4xx" as const },
        };
      }),
    );
  choices.push(
    fc
      .tuple(
        valid,
        fc.constantFrom<Mangle>(
          "no-boundary",
          "wrong-boundary",
          "truncated",
          "duplicate",
          "as-json",
          "no-parts",
        ),
        boundary,
      )
      .map(([fields, mangle, b]) => {
        const { body, contentType } = multipartBody(fields, mangle, false, b);
        return {
          klass: "malformed-multipart" as const,
          why: `multipart ${mangle}`,
          bytes: body,
          contentType,
          expect: { range: "4xx" as const },
        };
      }),
  );
  choices.push(
    fc
      .tuple(valid, fc.constantFrom("text/plain", "application/octet-stream"), boundary)
      .map(([fields, type, b]) => ({
        klass: "wrong-content-type" as const,
        why: `multipart body labelled ${type}`,
        bytes: multipartBody(fields, "none", false, b).body,
        contentType: type,
        expect: { range: "4xx" as const },
      })),
  );
  return fc.oneof(...choices);
}

const noBody: fc.Arbitrary<BodyPlan> = fc.constant({
  klass: "valid",
  why: "valid",
  bytes: new Uint8Array(),
  expect: { range: "2xx" },
});

interface ParamPlan {
  path: string;
  query: string;
  headers: Record<string, string>;
  klass?: CaseClass;
  why?: string;
  expect?: Expectation;
}

/** Path parameters sent exactly as written: traversal, encoded and double-encoded. */
const encodedJunk = [
  "..",
  "%2e%2e",
  "..%2f..%2fetc%2fpasswd",
  "%2e%2e%2f%2e%2e%2f",
  "%00",
  "%zz",
  "%252e%252e%252f",
];

function paramsOf(op: SpecOperation, f: CaseInputs): fc.Arbitrary<ParamPlan> {
  const pool = idPool(op);
  const pathParams = op.parameters.filter((p) => p.in === "path");
  const queryParams = op.parameters.filter((p) => p.in === "query");
  const headerParams = op.parameters.filter((p) => p.in === "header");
  const options = { doc: op.doc, uri: uris(f) };

  type IdChoice = { value: string; kind: "known" | "unknown" | "junk" };
  const known = pool ? Array.from({ length: poolSizes[pool] ?? 0 }, (_, i) => ref.id(pool, i)) : [];
  const id: fc.Arbitrary<IdChoice> = fc.oneof(
    {
      weight: 3,
      arbitrary:
        known.length > 0
          ? fc.constantFrom(...known).map((value) => ({ value, kind: "known" as const }))
          : fc.uuid().map((value) => ({ value, kind: "unknown" as const })),
    },
    { weight: 1, arbitrary: fc.uuid().map((value) => ({ value, kind: "unknown" as const })) },
    {
      weight: 1,
      arbitrary: fc
        .oneof(fc.string({ unit: "binary", minLength: 1, maxLength: 30 }), fc.constantFrom(...encodedJunk))
        .map((value) => ({ value, kind: "junk" as const })),
    },
  );
  const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
  const queryArbs = queryParams.map((p) =>
    optional(validOf(p.schema, options)).map((v) =>
      v === undefined ? undefined : ([p.name, String(v)] as const),
    ),
  );
  const headerArbs = headerParams.map((p) =>
    (p.required ? validOf(p.schema, options) : optional(validOf(p.schema, options))).map((v) =>
      v === undefined ? undefined : ([p.name.toLowerCase(), headerSafe(v)] as const),
    ),
  );
  const oddQuery = fc.array(
    fc.tuple(
      fc.oneof(fc.constantFrom(...queryParams.map((p) => p.name), "x"), fc.string({ maxLength: 8 })),
      fc.string({ unit: "binary", maxLength: 20 }),
    ),
    { minLength: 1, maxLength: 3 },
  );
  const requiredHeaders = headerParams.filter((p) => p.required).map((p) => p.name.toLowerCase());

  return fc
    .record({
      ids: fc.array(id, { minLength: pathParams.length, maxLength: pathParams.length }),
      query: fc.tuple(...queryArbs),
      headers: fc.tuple(...headerArbs),
      twist: fc.constantFrom("none", "none", "none", "none", "odd-query", "missing-header"),
      odd: oddQuery,
    })
    .map(({ ids, query, headers, twist, odd }) => {
      let path = op.path;
      pathParams.forEach((p, i) => {
        const choice = ids[i]!;
        // Junk is sent as is when it is already percent-encoded, else encoded (never raw "/").
        const raw = encodedJunk.includes(choice.value) ? choice.value : encodeURIComponent(choice.value);
        path = path.replace(`{${p.name}}`, raw || "x");
      });
      const search = new URLSearchParams();
      for (const entry of query) if (entry) search.append(entry[0], entry[1]);
      const headerMap: Record<string, string> = {};
      for (const entry of headers) if (entry) headerMap[entry[0]] = entry[1];
      const plan: ParamPlan = { path, query: search.toString(), headers: headerMap };
      const kinds = ids.map((c) => c.kind);
      if (kinds.includes("junk")) {
        plan.klass = "junk-id";
        plan.why = `junk path parameter ${JSON.stringify(ids.find((c) => c.kind === "junk")!.value)}`;
        plan.expect = { range: "4xx" };
      } else if (kinds.includes("unknown")) {
        plan.why = "unknown id";
        plan.expect = { statuses: [404] };
      } else if (kinds.includes("known")) {
        plan.why = "existing id";
        plan.expect = { statuses: knownIdStatuses(op) };
      }
      if (twist === "missing-header" && requiredHeaders.length > 0) {
        for (const name of requiredHeaders) delete plan.headers[name];
        plan.klass = "missing-header";
        plan.why = `required header ${requiredHeaders.join(", ")} missing`;
        plan.expect = { range: "4xx" };
      } else if (twist === "odd-query") {
        const more = new URLSearchParams(plan.query);
        for (const [k, v] of odd) more.append(k, v);
        plan.query = more.toString();
        plan.why = `${plan.why ?? ""} with odd query ${more.toString().slice(0, 60)}`.trim();
        if (plan.klass !== "junk-id") {
          // Unknown or odd query values: only the spec's declared answers are required.
          plan.klass = "odd-query";
          plan.expect = { lenient: true };
        }
      }
      return plan;
    });
}

/** Every fuzz case for one operation, over the fixtures of one simulator. */
export function casesFor(op: SpecOperation, f: CaseInputs): fc.Arbitrary<FuzzCase> {
  const field = imageField(op, f);
  const body = !op.body
    ? noBody
    : op.body.mediaType.startsWith("multipart/")
      ? multipartBodies(op, f, field)
      : jsonBodies(op, f, field);
  const auth = fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .constantFrom(...op.auth)
        .map((make) => ({ kind: "good" as const, headers: make(fuzzKey) })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(...op.wrongAuth)
        .map((make) => ({ kind: "wrong" as const, headers: make(fuzzKey) })),
    },
  );
  const scenario = fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constantFrom(...fuzzScenarios) },
  );
  return fc
    .record({
      host: fc.constantFrom(...op.hosts),
      body,
      params: paramsOf(op, f),
      auth,
      scenario,
    })
    .map(({ host, body: plan, params, auth: credentials, scenario: preset }) => {
      const headers: Record<string, string> = { ...params.headers, ...credentials.headers };
      if (plan.contentType) headers["content-type"] = plan.contentType;
      if (preset) headers["x-mock-scenario"] = preset;
      // A request broken in its parameters (a missing header, a junk id) must be refused whatever
      // the body; else a broken body decides; else the parameters (an unknown id: 404).
      const paramsBroken = params.klass === "missing-header" || params.klass === "junk-id";
      const klass = paramsBroken
        ? params.klass!
        : plan.klass !== "valid"
          ? plan.klass
          : (params.klass ?? "valid");
      // Odd query values may make any request a 4xx: only the spec's rules apply then.
      const expect =
        paramsBroken || params.klass === "odd-query"
          ? params.expect!
          : plan.klass !== "valid"
            ? plan.expect
            : (params.expect ?? plan.expect);
      const why =
        [plan.klass !== "valid" ? plan.why : "", params.why ?? ""].filter(Boolean).join("; ") || "valid";
      const c: FuzzCase = {
        op,
        host,
        klass,
        why,
        auth: credentials.kind,
        ...(preset ? { scenario: preset } : {}),
        wire: { method: op.method, path: params.path, query: params.query, headers, body: plan.bytes },
        expect,
      };
      // fast-check prints counterexamples with this instead of dumping the whole spec.
      Object.defineProperty(c, fc.toStringMethod, { value: () => summarize(c), enumerable: false });
      return c;
    });
}

/** One line per aspect of a case, for failure reports. */
export function summarize(c: FuzzCase): string {
  const text = new TextDecoder().decode(c.wire.body.subarray(0, 300));
  const body = c.wire.body.byteLength > 300 ? `${text}… (${c.wire.body.byteLength} bytes)` : text;
  return [
    `${c.op.id} [${c.klass}] ${c.why}; auth ${c.auth}${c.scenario ? `; scenario ${c.scenario}` : ""}`,
    `${c.wire.method} ${c.op.provider}.${c.host} ${c.wire.path}${c.wire.query ? `?${c.wire.query}` : ""}`,
    `headers ${JSON.stringify(c.wire.headers)}`,
    `body ${JSON.stringify(body)}`,
  ].join("\n    ");
}
