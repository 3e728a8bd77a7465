/**
 * fast-check arbitraries from the JSON Schema subset the specs use (object, properties,
 * required, enum, const, integer/number with minimum/maximum, string with minLength, format and
 * contentMediaType/contentSchema, boolean, null, array, oneOf, anyOf, $ref), in two kinds:
 * `validOf` values the schema accepts, and `invalidOf` values it rejects, each labelled with why.
 *
 * Values meant for the wire need a few stand-ins a schema cannot express: `format: binary` is a
 * {@link Binary} marker the encoder turns into file bytes, and `format: uri` names only hosts
 * that cannot be reached (`.invalid`) or the caller's own loopback receiver.
 */
import fc from "fast-check";

export type Json = Record<string, unknown>;

/** A file part: the encoder sends `data` with `contentType` under `filename`. */
export interface Binary {
  binary: true;
  data: Uint8Array;
  filename: string;
  contentType: string;
}

export const isBinary = (value: unknown): value is Binary =>
  typeof value === "object" && value !== null && (value as Binary).binary === true;

export interface SchemaArbitraryOptions {
  /** The document `$ref`s point into. */
  doc: Json;
  /** Bytes for `format: binary` in valid values (default: random bytes). */
  binary?: fc.Arbitrary<Binary>;
  /** Bytes for `format: binary` in invalid values (default: random junk). */
  badBinary?: fc.Arbitrary<Binary>;
  /** URIs for `format: uri` (default: `https://<label>.invalid/<path>`). */
  uri?: fc.Arbitrary<string>;
  /** Add unknown properties to valid objects now and then (the specs allow them). */
  extraProperties?: boolean;
}

export interface Invalid {
  value: unknown;
  /** What makes it invalid, e.g. `promptObject: num_images: above maximum (9)`. */
  why: string;
  /** The property path of the broken field (`[]`: the value itself). */
  path: string[];
}

type Kind = "string" | "integer" | "number" | "boolean" | "null" | "array" | "object";

const label = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/);

/** Hosts that never resolve (RFC 6761), so a URI can be valid without naming a real target. */
export const invalidHostUri = fc
  .tuple(label, fc.constantFrom("http", "https"), fc.array(label, { maxLength: 3 }))
  .map(([host, scheme, path]) => `${scheme}://${host}.invalid/${path.join("/")}`);

const junkBinary: fc.Arbitrary<Binary> = fc
  .uint8Array({ minLength: 0, maxLength: 256 })
  .map((data) => ({ binary: true, data, filename: "junk.png", contentType: "image/png" }));

/** Text of every kind, including control characters and astral code points. */
const anyText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom("", " ", "null", "0", "true", "{}", "[]", "\u0000", "\u202e", "𝔘𝔫𝔦"),
);

export function resolve(doc: Json, schema: Json): Json {
  let current = schema;
  for (let hops = 0; typeof current.$ref === "string" && hops < 20; hops++) {
    const path = (current.$ref as string)
      .replace(/^#\//, "")
      .split("/")
      .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
    let value: unknown = doc;
    for (const segment of path) value = (value as Json | undefined)?.[segment];
    if (!value) throw new Error(`Failed to resolve ${String(current.$ref)} in the spec.`);
    current = value as Json;
  }
  return current;
}

function kindsOf(schema: Json): Kind[] {
  if (Array.isArray(schema.type)) return schema.type as Kind[];
  if (typeof schema.type === "string") return [schema.type as Kind];
  if (schema.properties) return ["object"];
  if (Array.isArray(schema.enum)) return [...new Set((schema.enum as unknown[]).map(kindOfValue))];
  if ("const" in schema) return [kindOfValue(schema.const)];
  return [];
}

function kindOfValue(value: unknown): Kind {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value as Kind;
}

/** Values of JSON kinds not in `allowed` (integer is allowed by number; integers pass as numbers). */
function wrongKind(allowed: Kind[]): fc.Arbitrary<Invalid> | undefined {
  const ok = new Set(allowed);
  if (ok.has("number")) ok.add("integer");
  const choices: Array<fc.Arbitrary<Invalid>> = [];
  const add = (kind: Kind, arb: fc.Arbitrary<unknown>) => {
    if (!ok.has(kind)) choices.push(arb.map((value) => ({ value, why: `wrong type (${kind})`, path: [] })));
  };
  add("string", anyText);
  add("integer", fc.integer());
  if (!ok.has("number"))
    choices.push(
      fc
        .double({ noNaN: true, noDefaultInfinity: true })
        .filter((n) => !Number.isInteger(n))
        .map((value) => ({ value, why: "wrong type (number)", path: [] })),
    );
  add("boolean", fc.boolean());
  add("null", fc.constant(null));
  add("array", fc.array(fc.oneof(fc.integer(), anyText), { maxLength: 3 }));
  add("object", fc.dictionary(label, fc.oneof(fc.integer(), anyText), { maxKeys: 3, noNullPrototype: true }));
  return choices.length > 0 ? fc.oneof(...choices) : undefined;
}

export function validOf(schema: Json, options: SchemaArbitraryOptions): fc.Arbitrary<unknown> {
  const s = resolve(options.doc, schema);
  if ("const" in s) return fc.constant(s.const);
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]));
  const branches = (s.oneOf ?? s.anyOf) as Json[] | undefined;
  if (branches) return fc.oneof(...branches.map((branch) => validOf(branch, options)));
  const kinds = kindsOf(s);
  if (kinds.length > 1) return fc.oneof(...kinds.map((type) => validOf({ ...s, type }, options)));
  switch (kinds[0]) {
    case "object":
      return validObject(s, options);
    case "array": {
      const items = (s.items as Json | undefined) ?? {};
      return fc.array(validOf(items, options), {
        minLength: Number(s.minItems ?? 0),
        maxLength: Math.min(Number(s.maxItems ?? 4), 4),
      });
    }
    case "integer": {
      const min = typeof s.minimum === "number" ? s.minimum : -1_000_000;
      const max = typeof s.maximum === "number" ? s.maximum : 1_000_000;
      return fc.oneof(fc.integer({ min, max }), fc.constantFrom(min, max));
    }
    case "number":
      return fc.double({
        noNaN: true,
        noDefaultInfinity: true,
        min: typeof s.minimum === "number" ? s.minimum : -1e9,
        max: typeof s.maximum === "number" ? s.maximum : 1e9,
      });
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "string":
      return validString(s, options);
    default:
      // No type: anything JSON.
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function validString(s: Json, options: SchemaArbitraryOptions): fc.Arbitrary<unknown> {
  if (s.format === "binary") return options.binary ?? junkBinary;
  if (s.format === "uri") return options.uri ?? invalidHostUri;
  if (s.format === "uuid") return fc.uuid();
  if (s.contentMediaType === "application/json" && s.contentSchema)
    return validOf(s.contentSchema as Json, options).map((value) => JSON.stringify(value));
  if (s.contentEncoding === "base64")
    return fc.uint8Array({ minLength: 1, maxLength: 48 }).map((b) => Buffer.from(b).toString("base64"));
  if (typeof s.pattern === "string") {
    // The specs use patterns only as a literal to contain (e.g. Accept: application/json).
    return fc.constant(String(s.example ?? s.pattern));
  }
  const minLength = Number(s.minLength ?? 0);
  return fc.string({ minLength, maxLength: Math.max(minLength, Number(s.maxLength ?? 40)) });
}

function validObject(s: Json, options: SchemaArbitraryOptions): fc.Arbitrary<Json> {
  const properties = (s.properties ?? {}) as Record<string, Json>;
  const required = (s.required ?? []) as string[];
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, property] of Object.entries(properties)) model[name] = validOf(property, options);
  const record = fc.record(model, { requiredKeys: required, noNullPrototype: true }) as fc.Arbitrary<Json>;
  if (!options.extraProperties || s.additionalProperties === false) return record;
  const extra = fc.dictionary(
    label.map((k) => `x_${k}`),
    fc.oneof(fc.integer(), fc.string({ maxLength: 8 }), fc.boolean()),
    { maxKeys: 2, noNullPrototype: true },
  );
  return fc
    .tuple(record, fc.option(extra, { freq: 4 }))
    .map(([value, more]) => (more ? { ...more, ...value } : value));
}

/**
 * Values the schema rejects, or `undefined` when none can be built (an unconstrained value).
 * Objects are broken one field at a time (a required field dropped, or one property given an
 * invalid value, recursively), or replaced by a value of another JSON type.
 */
export function invalidOf(schema: Json, options: SchemaArbitraryOptions): fc.Arbitrary<Invalid> | undefined {
  const s = resolve(options.doc, schema);
  const choices: Array<fc.Arbitrary<Invalid>> = [];
  const push = (arb: fc.Arbitrary<Omit<Invalid, "path"> & { path?: string[] }> | undefined) => {
    if (arb) choices.push(arb.map((i) => ({ ...i, path: i.path ?? [] })));
  };

  if ("const" in s) {
    push(
      anyText
        .filter((v) => v !== s.const)
        .map((value) => ({ value, why: `not the constant ${String(s.const)}` })),
    );
    push(wrongKind(kindsOf(s)));
    return fc.oneof(...choices);
  }
  if (Array.isArray(s.enum)) {
    const allowed = s.enum as unknown[];
    push(
      fc
        .oneof(
          anyText,
          fc.constantFrom(
            ...allowed.map((v) => String(v).toLowerCase()),
            ...allowed.map((v) => `${String(v)} `),
          ),
        )
        .filter((v) => !allowed.includes(v))
        .map((value) => ({ value, why: `not in the enum (${JSON.stringify(value)})` })),
    );
    push(wrongKind(kindsOf(s)));
    return fc.oneof(...choices);
  }
  const branches = (s.oneOf ?? s.anyOf) as Json[] | undefined;
  if (branches) {
    push(wrongKind([...new Set(branches.flatMap((b) => kindsOf(resolve(options.doc, b))))]));
    return choices.length > 0 ? fc.oneof(...choices) : undefined;
  }
  const kinds = kindsOf(s);
  if (kinds.length === 0) return undefined;
  push(wrongKind(kinds));
  if (kinds.length === 1) {
    switch (kinds[0]) {
      case "object":
        push(invalidObject(s, options));
        break;
      case "integer":
        for (const arb of invalidIntegers(s)) push(arb);
        break;
      case "string":
        for (const arb of invalidStrings(s, options)) push(arb);
        break;
    }
  }
  return choices.length > 0 ? fc.oneof(...choices) : undefined;
}

/** A broken value with its reason; the caller adds where it sits. */
type Broken = fc.Arbitrary<Omit<Invalid, "path">>;

/** Integers the schema rejects: a fraction, and values past its bounds. */
function invalidIntegers(s: Json): Broken[] {
  const choices: Broken[] = [];
  const push = (arb: Broken) => choices.push(arb);
  push(
    fc
      .integer({ min: -1_000_000, max: 1_000_000 })
      .map((n) => ({ value: n + 0.5, why: `not an integer (${n + 0.5})` })),
  );
  if (typeof s.minimum === "number") {
    const min = s.minimum;
    push(
      fc.integer({ min: 1, max: 1_000 }).map((d) => ({ value: min - d, why: `below minimum (${min - d})` })),
    );
  }
  if (typeof s.maximum === "number") {
    const max = s.maximum;
    push(
      fc.integer({ min: 1, max: 1_000 }).map((d) => ({ value: max + d, why: `above maximum (${max + d})` })),
    );
  }
  return choices;
}

/** Strings the schema rejects: too short, not a URI, not an image, not base64, not its JSON. */
function invalidStrings(s: Json, options: SchemaArbitraryOptions): Broken[] {
  const choices: Broken[] = [];
  const push = (arb: Broken) => choices.push(arb);
  if (typeof s.minLength === "number" && s.minLength > 0)
    push(fc.constant({ value: "", why: "shorter than minLength" }));
  if (s.format === "uri")
    push(
      fc
        .constantFrom("not a url", "://missing-scheme", "http//x", "", " ")
        .map((value) => ({ value, why: `not a URI (${JSON.stringify(value)})` })),
    );
  if (s.format === "binary" && options.badBinary)
    push(options.badBinary.map((value) => ({ value, why: "not an image" })));
  if (s.contentEncoding === "base64")
    push(
      fc
        .constantFrom("%%%", "a", "not base64!", "ab$cd", "data:image/png;base64,AAAA")
        .map((value) => ({ value, why: `not base64 (${value})` })),
    );
  if (s.contentMediaType === "application/json" && s.contentSchema) {
    push(fc.constantFrom("{", "not json", "{'a':1}", "").map((value) => ({ value, why: "not JSON" })));
    const inner = invalidOf(s.contentSchema as Json, options);
    if (inner) push(inner.map((i) => ({ value: JSON.stringify(i.value), why: `JSON text: ${i.why}` })));
  }
  return choices;
}

function invalidObject(s: Json, options: SchemaArbitraryOptions): fc.Arbitrary<Invalid> | undefined {
  const properties = (s.properties ?? {}) as Record<string, Json>;
  const required = (s.required ?? []) as string[];
  const base = validObject(s, { ...options, extraProperties: false });
  const choices: Array<fc.Arbitrary<Invalid>> = [];
  if (required.length > 0) {
    choices.push(
      fc.tuple(base, fc.constantFrom(...required)).map(([value, name]) => {
        const copy = { ...value };
        delete copy[name];
        return { value: copy, why: `missing required ${name}`, path: [name] };
      }),
    );
  }
  for (const [name, property] of Object.entries(properties)) {
    const broken = invalidOf(property, options);
    if (!broken) continue;
    choices.push(
      fc.tuple(base, broken).map(([value, bad]) => ({
        value: { ...value, [name]: bad.value },
        why: `${name}: ${bad.why}`,
        path: [name, ...bad.path],
      })),
    );
  }
  return choices.length > 0 ? fc.oneof(...choices) : undefined;
}
