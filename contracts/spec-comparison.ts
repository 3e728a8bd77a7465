/**
 * Every pact against its OpenAPI document(s) with @pactflow/openapi-pact-comparator (which also
 * reads multipart bodies). fal's pact addresses its hosts by name (`/run`, `/queue`, `/rest`):
 * its `/run` interactions are compared with specs/fal-sync.yaml and the rest with specs/fal.yaml,
 * each with the host prefix taken off. A finding names the interaction and the spec path.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import * as comparatorModule from "@pactflow/openapi-pact-comparator";
import { parse } from "yaml";
import type { ProviderId } from "../src/index.ts";
import { packageRoot } from "../src/package-root.ts";
import { pactFileOf } from "./provider/verify.ts";

interface ComparatorResult {
  type: "error" | "warning";
  code: string;
  message: string;
  mockDetails?: { interactionDescription?: string | null; location: string };
  specDetails?: { location: string; pathMethod?: string | null; pathName?: string | null };
}
/** The package's types do not resolve under NodeNext (its `types` condition comes last). */
const { Comparator } = comparatorModule as unknown as {
  Comparator: new (oas: unknown) => { compare(pact: unknown): AsyncGenerator<ComparatorResult> };
};

const specsDir = join(packageRoot, "specs/");

export interface SpecFinding {
  provider: ProviderId;
  spec: string;
  type: "error" | "warning";
  code: string;
  message: string;
  interaction: string;
  /** Where in the pact (`[root].interactions[3].response.body.data`). */
  pactLocation: string;
  /** Where in the spec (`[root].paths./upscale.post…`), and the operation's path. */
  specLocation: string;
  specPath: string;
}

interface PactInteraction {
  type?: string;
  description: string;
  request?: { path: string };
}
interface PactDocument {
  metadata: unknown;
  interactions: PactInteraction[];
}

/** Which spec each interaction belongs to, and the path it has there. */
function split(provider: ProviderId, pact: PactDocument): Array<{ spec: string; pact: PactDocument }> {
  const http = pact.interactions.filter((i) => (i.type ?? "Synchronous/HTTP") === "Synchronous/HTTP");
  if (provider !== "fal") return [{ spec: `${provider}.yaml`, pact: { ...pact, interactions: http } }];
  const strip = (i: PactInteraction, prefix: string) => ({
    ...i,
    request: { ...i.request!, path: i.request!.path.slice(prefix.length) },
  });
  const on = (prefixes: string[]) =>
    http.flatMap((i) => {
      const prefix = prefixes.find((p) => i.request?.path.startsWith(`${p}/`));
      return prefix ? [strip(i, prefix)] : [];
    });
  return [
    { spec: "fal-sync.yaml", pact: { ...pact, interactions: on(["/run"]) } },
    { spec: "fal.yaml", pact: { ...pact, interactions: on(["/queue", "/rest"]) } },
  ];
}

/**
 * Drops `discriminator` (the `oneOf` it annotates still decides): the comparator rewrites the
 * schemas it checks responses with and then fails to compile a discriminator whose tag was
 * required ("discriminator: \"status\" must be required"), so specs/fal.yaml's QueueStatus
 * could not be compared at all.
 */
function withoutDiscriminators(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutDiscriminators);
  if (node === null || typeof node !== "object") return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key]) => key !== "discriminator")
      .map(([key, value]) => [key, withoutDiscriminators(value)]),
  );
}

export async function compareWithSpecs(
  provider: ProviderId,
  pactFile = pactFileOf(provider),
): Promise<SpecFinding[]> {
  const pact = JSON.parse(await readFile(pactFile, "utf8")) as PactDocument;
  const findings: SpecFinding[] = [];
  for (const part of split(provider, pact)) {
    const oas = withoutDiscriminators(parse(await readFile(`${specsDir}${part.spec}`, "utf8")));
    const comparator = new Comparator(oas);
    for await (const result of comparator.compare(part.pact)) {
      findings.push({
        provider,
        spec: `specs/${part.spec}`,
        type: result.type,
        code: result.code,
        message: result.message,
        interaction: result.mockDetails?.interactionDescription ?? "(unknown interaction)",
        pactLocation: result.mockDetails?.location ?? "",
        specLocation: result.specDetails?.location ?? "",
        specPath:
          `${result.specDetails?.pathMethod?.toUpperCase() ?? ""} ${result.specDetails?.pathName ?? ""}`.trim(),
      });
    }
  }
  return findings;
}

export function formatFinding(f: SpecFinding): string {
  return `${f.type} ${f.code}: "${f.interaction}" against ${f.spec} ${f.specPath || f.specLocation}: ${f.message} (pact: ${f.pactLocation})`;
}
