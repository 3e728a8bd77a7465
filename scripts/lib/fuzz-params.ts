/**
 * Path, query and header parameters for a fuzz case: existing, unknown or junk ids (traversal and
 * encodings included), optional query values, and sometimes an odd query or a missing header.
 */
import fc from "fast-check";
import { headerSafe, uris } from "./fuzz-bodies.ts";
import {
  type CaseClass,
  type CaseInputs,
  type Expectation,
  idPool,
  knownIdStatuses,
  poolSizes,
  ref,
} from "./fuzz-case-types.ts";
import type { SpecOperation } from "./fuzz-spec.ts";
import { validOf } from "./schema-arbitrary.ts";

export interface ParamPlan {
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

export function paramsOf(op: SpecOperation, f: CaseInputs): fc.Arbitrary<ParamPlan> {
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
