/**
 * Checks a simulator's answer against the provider's spec: the status is declared for the
 * operation, the body matches the declared schema for its media type, and required response
 * headers are present. The specs are the independent witness, so this is what keeps the
 * simulators honest when the shared zod schemas are wrong in the same way as the client.
 */
import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { parse } from "yaml";
import type { ProviderId } from "../../mocks/engine/faults.ts";
import type { SimResponse } from "../../mocks/engine/sim-http.ts";
import { harnessErrorHeader } from "../../mocks/engine/simulator.ts";
import { specNames, specPath } from "../spec-files.ts";

type Json = Record<string, unknown>;

interface OperationRef {
  spec: string;
  path: string;
  method: string;
  operation: Json;
}

const methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;

/** Which documents describe a provider (fal has a second one for its sync host). */
export function specsOf(provider: ProviderId): string[] {
  return specNames().filter((name) => name === provider || name.startsWith(`${provider}-`));
}

function pointer(...segments: string[]): string {
  return segments.map((s) => s.replace(/~/g, "~0").replace(/\//g, "~1")).join("/");
}

export class SpecConformance {
  readonly #ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  readonly #docs = new Map<string, Json>();
  readonly #operations = new Map<string, OperationRef>();

  constructor() {
    addFormats(this.#ajv);
    for (const name of specNames()) {
      const doc = parse(readFileSync(specPath(name), "utf8")) as Json;
      this.#docs.set(name, doc);
      this.#ajv.addSchema(doc, `spec-${name}`);
      for (const [path, item] of Object.entries((doc.paths ?? {}) as Record<string, Json>)) {
        for (const method of methods) {
          const operation = item[method] as Json | undefined;
          if (operation?.operationId) {
            this.#operations.set(`${name}:${operation.operationId}`, { spec: name, path, method, operation });
          }
        }
      }
    }
  }

  /** The operation by id among the provider's documents; undefined for routes no spec covers. */
  find(provider: ProviderId, operationId: string): OperationRef | undefined {
    for (const spec of specsOf(provider)) {
      const found = this.#operations.get(`${spec}:${operationId}`);
      if (found) return found;
    }
    return undefined;
  }

  /** Violations as readable lines (empty when the answer conforms). */
  check(provider: ProviderId, operationId: string, response: SimResponse): string[] {
    if (response.transport && response.transport.kind !== "slow") return [];
    // The harness's own refusals (e.g. an unknown x-mock-scenario) are not provider answers.
    if (response.headers[harnessErrorHeader]) return [];
    const op = this.find(provider, operationId);
    if (!op) return [];
    const where = `${provider} ${op.method.toUpperCase()} ${op.path} (${operationId}) → ${response.status}`;
    const responses = (op.operation.responses ?? {}) as Record<string, Json>;
    const key = [String(response.status), `${String(response.status)[0]}XX`, "default"].find(
      (k) => k in responses,
    );
    if (!key)
      return [
        `${where}: status ${response.status} is not declared for this operation in specs/${op.spec}.yaml`,
      ];
    const declared = this.#resolve(op.spec, responses[key]!);
    const problems: string[] = [];

    for (const [name, header] of Object.entries((declared.headers ?? {}) as Record<string, Json>)) {
      const resolved = this.#resolve(op.spec, header);
      if (resolved.required && response.headers[name.toLowerCase()] === undefined) {
        problems.push(`${where}: required header ${name} is missing`);
      }
    }

    const content = declared.content as Record<string, Json> | undefined;
    if (!content || response.body.kind === "empty" || response.body.kind === "stream") return problems;
    const mediaType = (response.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
    if (!(mediaType in content)) {
      problems.push(
        `${where}: content type "${mediaType}" is not declared (declared: ${Object.keys(content).join(", ")})`,
      );
      return problems;
    }
    if (!mediaType.includes("json")) return problems;
    let value: unknown;
    if (response.body.kind === "json") value = response.body.value;
    else if (response.body.kind === "text") {
      try {
        value = JSON.parse(response.body.value);
      } catch {
        problems.push(`${where}: body is not valid JSON`);
        return problems;
      }
    } else return problems;

    const responsePointer = this.#responsePointer(op, key);
    const validate = this.#ajv.getSchema(
      `spec-${op.spec}#${responsePointer}/content/${pointer(mediaType)}/schema`,
    );
    if (!validate) {
      problems.push(`${where}: no schema for ${mediaType}`);
      return problems;
    }
    if (!validate(value)) {
      for (const error of validate.errors ?? []) {
        problems.push(
          `${where}: body${error.instancePath || ""} ${error.message ?? "is invalid"} ${JSON.stringify(error.params)}`,
        );
      }
    }
    return problems;
  }

  /** JSON pointer of the (ref-resolved) response object, for Ajv to compile its schema in place. */
  #responsePointer(op: OperationRef, key: string): string {
    const direct = ((op.operation.responses as Record<string, Json>)[key] ?? {}) as Json;
    if (typeof direct.$ref === "string") return direct.$ref.replace(/^#/, "");
    return `/${pointer("paths", op.path, op.method, "responses", key)}`;
  }

  #resolve(spec: string, node: Json): Json {
    let current = node;
    for (let hops = 0; typeof current.$ref === "string" && hops < 10; hops++) {
      const target = (current.$ref as string)
        .replace(/^#\//, "")
        .split("/")
        .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
      let value: unknown = this.#docs.get(spec);
      for (const segment of target) value = (value as Json | undefined)?.[segment];
      current = (value ?? {}) as Json;
    }
    return current;
  }
}
