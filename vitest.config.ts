import { defineConfig } from "vitest/config";

/** Simulator tests run a second time with their state in Redis, to hold both stores to one behaviour. */
const onBothStores = [
  "test/mocks/freepik.test.ts",
  "test/mocks/ideogram.test.ts",
  "test/mocks/chainhub.test.ts",
  "test/mocks/onemin.test.ts",
  "test/mocks/fal-faults.test.ts",
  "test/mocks/onemin-faults.test.ts",
  "test/mocks/fal.test.ts",
  "test/mocks/fal-webhook.test.ts",
  "test/mocks/fal-client.test.ts",
  "test/mocks/remote-inputs.test.ts",
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    projects: [
      {
        extends: true,
        test: {
          name: "memory",
          include: ["test/**/*.test.ts"],
          // Type-level tests (`expectTypeOf`) run through tsc, so a mismatch fails `vitest run`.
          typecheck: { enabled: true, include: ["test/**/*.test-d.ts"], tsconfig: "tsconfig.json" },
        },
      },
      {
        extends: true,
        test: {
          name: "redis-store",
          include: onBothStores,
          // Starts a redis-server on a free loopback port; test/helpers/test-store.ts uses it.
          globalSetup: ["test/helpers/redis-global-setup.ts"],
        },
      },
    ],
  },
});
