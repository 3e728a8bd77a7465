/**
 * The source rules in `.spectral.yaml` (run by `npm run lint:specs`) must refuse a provider
 * document whose facts do not say where they come from. Two small documents in a temporary folder
 * go through spectral with the project's own ruleset: one where every element carries `x-source`
 * or `x-inferred` (it must pass the whole ruleset), and a copy with known faults (each must be
 * reported, by the right rule, and nothing else).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packageRoot } from "../../src/package-root.ts";

const source = "https://docs.example.invalid/api/upscale#get-an-upscale";
const inferred = {
  "x-inferred": true,
  "x-inferred-reason": "The provider documents no such thing; assumed.",
};

/** A document in which every element the rule covers carries its source. */
function sourcedDocument() {
  return {
    openapi: "3.1.0",
    info: {
      title: "Example upscaler",
      version: "1.0.0",
      description: "A provider document written to exercise the source rules.",
    },
    servers: [{ url: "https://api.example.invalid", description: "Production.", "x-source": source }],
    tags: [{ name: "upscale", description: "Upscaling." }],
    security: [{ apiKey: [] }],
    paths: {
      "/upscales/{id}": {
        get: {
          "x-source": source,
          operationId: "getUpscale",
          summary: "Get an upscale.",
          description: "Returns one upscale by its id.",
          tags: ["upscale"],
          parameters: [
            {
              "x-source": source,
              name: "id",
              in: "path",
              required: true,
              description: "The upscale's id.",
              schema: { type: "string" },
            },
          ],
          responses: {
            "200": {
              "x-source": source,
              description: "The upscale.",
              headers: {
                "X-Request-Id": { ...inferred, description: "The request's id.", schema: { type: "string" } },
              },
              content: {
                "application/json": {
                  schema: { $ref: "#/components/schemas/Upscale" },
                  example: { id: "u1", url: "https://cdn.example.invalid/u1.png" },
                },
              },
            },
            "404": { $ref: "#/components/responses/NotFound" },
          },
        },
      },
    },
    components: {
      securitySchemes: {
        apiKey: { "x-source": source, type: "apiKey", in: "header", name: "X-Key", description: "API key." },
      },
      responses: {
        NotFound: {
          ...inferred,
          description: "No upscale with this id.",
          content: {
            "application/json": {
              schema: { $ref: "#/components/schemas/Error" },
              example: { message: "Not found" },
            },
          },
        },
      },
      schemas: {
        Upscale: {
          "x-source": source,
          type: "object",
          description: "One upscale.",
          required: ["id"],
          properties: {
            id: { "x-source": source, type: "string", description: "Its id." },
            url: { ...inferred, type: "string", format: "uri", description: "Where the result is." },
          },
        },
        Error: {
          ...inferred,
          type: "object",
          description: "An error body.",
          required: ["message"],
          properties: { message: { ...inferred, type: "string", description: "What went wrong." } },
        },
      },
    },
  };
}

/** rule → the element paths it must report in the faulty copy, and no others. */
const expected: Record<string, string[]> = {
  "element-has-source": [
    "servers.0",
    "paths./upscales/{id}.get",
    "paths./upscales/{id}.get.parameters.0",
    "paths./upscales/{id}.get.responses.200",
    "paths./upscales/{id}.get.responses.200.headers.X-Request-Id",
    "components.securitySchemes.apiKey",
    "components.responses.NotFound",
    "components.schemas.Upscale",
    "components.schemas.Upscale.properties.id",
  ],
  "source-is-https-url": ["components.schemas.Error.properties.message.x-source"],
  "inferred-is-true": ["components.schemas.Upscale.properties.url.x-inferred"],
  "inferred-reason-is-text": ["components.schemas.Error.x-inferred-reason"],
};

/** The same document with one fault per expected report. */
function faultyDocument() {
  const doc = sourcedDocument();
  const get = doc.paths["/upscales/{id}"].get as Record<string, unknown>;
  const { "x-source": _server, ...server } = doc.servers[0]!;
  doc.servers[0] = server as (typeof doc.servers)[0];
  delete get["x-source"];
  delete (doc.paths["/upscales/{id}"].get.parameters[0] as Record<string, unknown>)["x-source"];
  const ok = doc.paths["/upscales/{id}"].get.responses["200"] as Record<string, unknown>;
  delete ok["x-source"];
  // x-inferred without its reason does not count as a source.
  delete (ok.headers as Record<string, Record<string, unknown>>)["X-Request-Id"]!["x-inferred-reason"];
  delete (doc.components.securitySchemes.apiKey as Record<string, unknown>)["x-source"];
  delete (doc.components.responses.NotFound as Record<string, unknown>)["x-inferred"];
  delete (doc.components.schemas.Upscale as Record<string, unknown>)["x-source"];
  delete (doc.components.schemas.Upscale.properties.id as Record<string, unknown>)["x-source"];
  // Present but malformed: each is an element with a source, caught by the value rules.
  Object.assign(doc.components.schemas.Error.properties.message, {
    "x-source": "http://docs.example.invalid/e",
  });
  Object.assign(doc.components.schemas.Upscale.properties.url, { "x-inferred": false });
  Object.assign(doc.components.schemas.Error, { "x-inferred-reason": "" });
  return doc;
}

interface SpectralResult {
  code: string;
  path: (string | number)[];
  source: string;
}

let dir: string;
let results: SpectralResult[];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "source-rule-"));
  writeFileSync(join(dir, "sourced.json"), JSON.stringify(sourcedDocument(), null, 2));
  writeFileSync(join(dir, "faulty.json"), JSON.stringify(faultyDocument(), null, 2));
  const run = spawnSync(
    process.execPath,
    [
      join(packageRoot, "node_modules/@stoplight/spectral-cli/dist/index.js"),
      "lint",
      "--ruleset",
      join(packageRoot, ".spectral.yaml"),
      "--format",
      "json",
      "--quiet",
      join(dir, "sourced.json"),
      join(dir, "faulty.json"),
    ],
    { cwd: dir, encoding: "utf8" },
  );
  results = JSON.parse(run.stdout) as SpectralResult[];
  // The same exit status `npm run lint:specs` fails on.
  expect(run.status, run.stderr).not.toBe(0);
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const reportsFor = (file: string) => results.filter((r) => r.source.endsWith(file));

describe("the source rules", () => {
  it("pass a document whose every element carries x-source or x-inferred", () => {
    expect(reportsFor("sourced.json")).toEqual([]);
  });

  for (const [rule, paths] of Object.entries(expected)) {
    it(`${rule} reports exactly the faulty elements`, () => {
      const found = reportsFor("faulty.json")
        .filter((r) => r.code === rule)
        .map((r) => r.path.join("."));
      expect(found.sort()).toEqual([...paths].sort());
    });
  }

  it("reports nothing else in the faulty document", () => {
    const rules = new Set(Object.keys(expected));
    expect(reportsFor("faulty.json").filter((r) => !rules.has(r.code))).toEqual([]);
  });
});
