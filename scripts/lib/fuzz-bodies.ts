/**
 * Request bodies for a fuzz case, from the operation's schema: valid, or broken in one labelled
 * way (a schema violation, bad JSON, a bad image, a wrong content type, mangled multipart).
 */
import fc from "fast-check";
import { toDataUri } from "../../mocks/engine/images.ts";
import { type CaseClass, type CaseInputs, type Expectation, ref } from "./fuzz-case-types.ts";
import type { SpecOperation } from "./fuzz-spec.ts";
import { encodeMultipart, type FormPart } from "./multipart.ts";
import { type Binary, invalidHostUri, invalidOf, isBinary, type Json, validOf } from "./schema-arbitrary.ts";

export interface ImageField {
  path: string[];
  good: fc.Arbitrary<unknown>;
  bad: fc.Arbitrary<unknown>;
  /** What a bad image gets: a 4xx, except where the provider accepts first and fails the run later. */
  badExpect?: Expectation;
}

const base64 = (b: Binary) => Buffer.from(b.data).toString("base64");

/** The body field that carries the image, per operation: what the schema alone cannot say. */
export function imageField(op: SpecOperation, f: CaseInputs): ImageField | undefined {
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
        // A path never uploaded (the documents' own example) gets a stand-in image by default.
        good: fc.constantFrom(ref.oneminAsset, "development/images/low_res_photo.png"),
        // Refused in every mode: keys shaped like the ones it hands out, other schemes, and
        // hosts that never resolve.
        bad: fc.constantFrom(
          "images/2026_01_01_00_00_00_000_missing.png",
          "data:image/png;base64,iVBORw0KGgo=",
          "https://assets.example.invalid/photo.png",
        ),
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
export function uris(f: CaseInputs): fc.Arbitrary<string> {
  return f.webhookUrl ? fc.oneof(invalidHostUri, fc.constant(f.webhookUrl)) : invalidHostUri;
}

export const headerSafe = (value: unknown) =>
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

export interface BodyPlan {
  klass: CaseClass;
  why: string;
  bytes: Uint8Array;
  contentType?: string;
  expect: Expectation;
}

const encoder = new TextEncoder();

export function jsonBodies(
  op: SpecOperation,
  f: CaseInputs,
  field: ImageField | undefined,
): fc.Arbitrary<BodyPlan> {
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

export function multipartBodies(
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

export const noBody: fc.Arbitrary<BodyPlan> = fc.constant({
  klass: "valid",
  why: "valid",
  bytes: new Uint8Array(),
  expect: { range: "2xx" },
});
