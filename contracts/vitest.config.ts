/**
 * The consumer pacts: `npm run contracts:consumer` (writes contracts/pacts, or PACT_DIR).
 * Files run one after another, so each pact file is written by one process at a time.
 */
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  root: fileURLToPath(new URL("..", import.meta.url)),
  test: {
    include: ["contracts/consumer/**/*.pact.test.ts"],
    globalSetup: ["contracts/consumer/global-setup.ts"],
    fileParallelism: false,
    testTimeout: 30_000,
    pool: "forks",
  },
});
