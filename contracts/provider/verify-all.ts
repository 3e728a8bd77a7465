/**
 * `npm run contracts:verify`: starts the standalone simulator server on a free loopback port
 * (no latency, so forced states are what a poll sees), verifies all five pacts against it with
 * Pact's Verifier, prints a drift report per provider, and exits non-zero on any failure.
 */
import { startMockServer } from "../../mocks/server/server.ts";
import { type ProviderId, providerIds } from "../../src/index.ts";
import { formatReport } from "./report.ts";
import { SimulatorTarget } from "./simulator-target.ts";
import { verifyPact } from "./verify.ts";

export async function verifyAllAgainstSimulators(
  providers: readonly ProviderId[] = providerIds,
  log: (text: string) => void = console.log,
): Promise<boolean> {
  const server = await startMockServer({ port: 0, hostname: "127.0.0.1", latency: "none", seed: 1 });
  let ok = true;
  try {
    const target = new SimulatorTarget(server.url);
    for (const provider of providers) {
      const report = await verifyPact({ provider, target: { kind: "simulator", target } });
      log(formatReport(report));
      ok &&= report.ok;
    }
  } finally {
    await server.close(100);
  }
  return ok;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const wanted = process.argv.slice(2) as ProviderId[];
  process.exitCode = (await verifyAllAgainstSimulators(wanted.length > 0 ? wanted : providerIds)) ? 0 : 1;
}
