/**
 * Fuzz cases for one spec operation: a request built from the operation's schemas (valid, or
 * broken in one labelled way), with good or wrong credentials and sometimes a scenario, plus
 * what the answer must be. Cases are transport-neutral wire requests (method, raw path, query,
 * headers, body bytes), sent in-process or over HTTP by fuzz-run.ts.
 */
import fc from "fast-check";
import { imageField, jsonBodies, multipartBodies, noBody } from "./fuzz-bodies.ts";
import { type CaseInputs, type FuzzCase, fuzzKey, fuzzScenarios } from "./fuzz-case-types.ts";
import { paramsOf } from "./fuzz-params.ts";
import type { SpecOperation } from "./fuzz-spec.ts";

export * from "./fuzz-case-types.ts";

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
