/**
 * The layer rule, checked by `npm run lint:deps`. Layers point one way:
 *   src/ (the library) ← mocks/ (simulators) ← the composition roots (src/cli/, mocks/server start-up)
 * and test code is imported by nothing but tests. Each rule is one sentence of docs/decisions/.
 */
module.exports = {
  forbidden: [
    {
      name: "library-imports-no-simulator",
      comment:
        "src/ is the client library: outside the CLI (a composition root) it never imports the " +
        "simulators, the contracts, the tests, the scripts or the benchmarks.",
      severity: "error",
      from: { path: "^src/", pathNot: "^src/cli/" },
      to: { path: "^(mocks|contracts|test|scripts|bench)/" },
    },
    {
      name: "simulators-read-only-facts",
      comment:
        "mocks/ takes from src/ only the provider id list, provider facts and wire schemas and the shared " +
        "utilities (clock, image sniffing, bounded downloads, package root, optional peers); the client's logic stays out of the simulators.",
      severity: "error",
      from: { path: "^mocks/" },
      to: {
        path: "^src/",
        pathNot: [
          "^src/providers/ids[.]ts$",
          "^src/providers/[^/]+/(facts|schemas)[.]ts$",
          "^src/core/(clock|image-size|bounded-download)[.]ts$",
          "^src/(package-root|optional-peer)[.]ts$",
        ],
      },
    },
    {
      name: "only-tests-import-tests",
      comment: "Nothing outside test/ imports test/; code that runners share lives in scripts/lib/.",
      severity: "error",
      from: { pathNot: "^test/" },
      to: { path: "^test/" },
    },
    {
      name: "core-names-no-provider",
      comment:
        "src/core/ is shared by every provider, so it imports none of them: only the id list " +
        "(src/providers/ids.ts), which imports nothing and says nothing about any provider.",
      severity: "error",
      from: { path: "^src/core/" },
      to: { path: "^src/providers/", pathNot: "^src/providers/ids[.]ts$" },
    },
    {
      name: "engine-names-no-provider",
      comment:
        "The simulator engine is shared by every provider's route table, so it imports none of them, " +
        "nor any provider's facts or the id list: a provider id is an opaque string to it.",
      severity: "error",
      from: { path: "^mocks/engine/" },
      to: { path: "^(mocks|src)/providers/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(node_modules|dist|generated)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".js", ".mjs", ".json"] },
  },
};
