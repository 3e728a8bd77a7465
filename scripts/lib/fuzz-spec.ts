/**
 * Every operation of every spec, as the fuzzer needs it: provider and host (from the spec's
 * servers), method and path, parameters, request body media type and schema, and how the
 * provider authenticates (from the security schemes). Nothing here is written per operation
 * except the few facts a spec cannot carry (which body field holds the image, which ids exist).
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { providerDefinitions } from "../../mocks/providers/index.ts";
import type { ProviderId } from "../../src/providers/ids.ts";
import { specNames, specPath } from "../spec-files.ts";
import { type Json, resolve } from "./schema-arbitrary.ts";

export interface SpecParameter {
  name: string;
  in: "path" | "query" | "header";
  required: boolean;
  schema: Json;
}

export interface SpecOperation {
  /** `<spec>:<operationId>`, e.g. `fal-sync:runUpscale`. */
  id: string;
  spec: string;
  doc: Json;
  operationId: string;
  provider: ProviderId;
  /** Host keys of the provider definition that serve it (freepik: api and magnific). */
  hosts: string[];
  method: string;
  /** Path template from the spec, e.g. `/v1/ai/image-upscaler/{task-id}`. */
  path: string;
  parameters: SpecParameter[];
  body?: { mediaType: string; schema: Json; required: boolean };
  /** Credential headers a good request carries, for a given key; one map per accepted scheme. */
  auth: Array<(key: string) => Record<string, string>>;
  /** Credentials the provider refuses (absent, wrong scheme, another provider's header). */
  wrongAuth: Array<(key: string) => Record<string, string>>;
}

const methods = ["get", "put", "post", "delete", "patch"];

/** The provider of a spec document: `fal-sync` is fal's second document. */
function providerOf(spec: string): ProviderId {
  return spec.split("-")[0] as ProviderId;
}

function hostKeys(provider: ProviderId, origins: string[]): string[] {
  const hosts = providerDefinitions[provider]!.hosts;
  const keys = origins.map((origin) => Object.keys(hosts).find((key) => hosts[key] === origin));
  if (keys.some((key) => key === undefined))
    throw new Error(`Failed to map the servers ${origins.join(", ")} of ${provider} to its simulator hosts.`);
  return keys as string[];
}

/** Good and wrong credentials per security scheme (fal's apiKey header takes the `Key` scheme). */
function credentials(doc: Json, operation: Json) {
  const security = (operation.security ?? doc.security ?? []) as Array<Record<string, unknown>>;
  const schemes = ((doc.components as Json | undefined)?.securitySchemes ?? {}) as Record<string, Json>;
  const auth: SpecOperation["auth"] = [];
  const headerNames: string[] = [];
  for (const requirement of security) {
    for (const name of Object.keys(requirement)) {
      const scheme = schemes[name]!;
      if (scheme.type === "http" && scheme.scheme === "bearer") {
        auth.push((key) => ({ authorization: `Bearer ${key}` }));
        headerNames.push("authorization");
      } else if (scheme.type === "apiKey" && scheme.in === "header") {
        const header = String(scheme.name).toLowerCase();
        const keyScheme =
          header === "authorization" && /`Key`/.test(String(scheme.description)) ? "Key " : "";
        auth.push((key) => ({ [header]: `${keyScheme}${key}` }));
        headerNames.push(header);
      }
    }
  }
  const wrongAuth: SpecOperation["wrongAuth"] = [
    () => ({}),
    // The key in a header this provider does not read.
    (key): Record<string, string> =>
      headerNames.includes("authorization") ? { "x-api-key": key } : { authorization: `Bearer ${key}` },
  ];
  if (headerNames.includes("authorization")) {
    const bearer = auth.some((make) => make("k").authorization?.startsWith("Bearer "));
    // The other scheme word, or none at all.
    wrongAuth.push((key) => ({ authorization: bearer ? `Token ${key}` : `Bearer ${key}` }));
    wrongAuth.push((key) => ({ authorization: key }));
  }
  return { auth, wrongAuth };
}

export function loadOperations(): SpecOperation[] {
  const operations: SpecOperation[] = [];
  for (const spec of specNames()) {
    const doc = parse(readFileSync(specPath(spec), "utf8")) as Json;
    const provider = providerOf(spec);
    for (const [path, item] of Object.entries((doc.paths ?? {}) as Record<string, Json>)) {
      for (const method of methods) {
        const operation = item[method] as Json | undefined;
        if (!operation?.operationId) continue;
        const servers = (operation.servers ?? item.servers ?? doc.servers) as Array<{ url: string }>;
        const parameters = [
          ...((item.parameters ?? []) as Json[]),
          ...((operation.parameters ?? []) as Json[]),
        ].map((p) => {
          const param = resolve(doc, p);
          return {
            name: String(param.name),
            in: param.in as SpecParameter["in"],
            required: Boolean(param.required),
            schema: (param.schema ?? {}) as Json,
          };
        });
        let body: SpecOperation["body"];
        if (operation.requestBody) {
          const requestBody = resolve(doc, operation.requestBody as Json);
          const [mediaType, media] = Object.entries(requestBody.content as Record<string, Json>)[0]!;
          body = { mediaType, schema: media.schema as Json, required: Boolean(requestBody.required) };
        }
        operations.push({
          id: `${spec}:${operation.operationId}`,
          spec,
          doc,
          operationId: String(operation.operationId),
          provider,
          hosts: hostKeys(
            provider,
            servers.map((s) => s.url),
          ),
          method: method.toUpperCase(),
          path,
          parameters,
          ...(body ? { body } : {}),
          ...credentials(doc, operation),
        });
      }
    }
  }
  return operations;
}
