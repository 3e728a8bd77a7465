/**
 * `upscale-harness verify --provider <p>`: replays the provider's pact (contracts/pacts) with
 * Pact's Verifier and prints a drift report. Targets: a simulator it starts (default, no key
 * needed), a running simulator server (`--base-url` answering /__admin), or the real provider
 * (its key in the environment; the real host by default, or `--base-url`). On a real provider
 * only interactions that need no forced state run, and upscales that cost credits only with
 * `--allow-spend`; everything skipped is listed with the reason.
 */
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { realHosts } from "../../contracts/provider/real-target.ts";
import { formatReport } from "../../contracts/provider/report.ts";
import { SimulatorTarget } from "../../contracts/provider/simulator-target.ts";
import { pactFileOf, type VerificationReport, verifyPact } from "../../contracts/provider/verify.ts";
import { isLoopbackUrl } from "../../mocks/engine/webhooks.ts";
import { startMockServer } from "../../mocks/server/server.ts";
import { type ProviderId, providerIds } from "../providers/ids.ts";
import { providerModules } from "../providers/index.ts";

export const verifyHelp = `upscale-harness verify --provider <p>: check a provider against its contract (Pact)

  --provider P      ${providerIds.join(" | ")}
  --base-url URL    What to verify: a running simulator server (e.g. http://127.0.0.1:4010) or
                    the real provider's API (e.g. https://api.freepik.com; for fal, a base with
                    /run, /queue and /rest below it)
  --allow-spend     On a real provider, also run the interactions that start upscales (they
                    cost credits)
  --pact FILE       The pact to verify (default contracts/pacts/upscale-harness-<p>.json)
  --admin-token T   The simulator server's admin token, if it has one
  --json            Print the report as JSON
  -h, --help        This help

Without --base-url: with the provider's key (${providerIds.map((p) => providerModules[p].envKey).join(", ")}) the real
host is verified; without it a simulator is started and every interaction is verified.
Provider states ("task T is IN_PROGRESS", "the provider is down", …) are forced through a
simulator's admin API; on a real provider they cannot be, so those interactions are skipped and
listed, as are webhook messages. Exit code: 0 when nothing failed (skipped is not failed).`;

export interface VerifyIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
}

const defaultIo = (): VerifyIo => ({
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
});

async function skippedForNoKey(
  provider: ProviderId,
  pactFile: string,
  url: string,
): Promise<VerificationReport> {
  const pact = JSON.parse(await readFile(pactFile, "utf8")) as {
    interactions: Array<{ description: string; providerStates?: Array<{ name: string }> }>;
  };
  return {
    provider,
    target: `real provider at ${url}`,
    ok: true,
    outcomes: pact.interactions.map((i) => ({
      description: i.description,
      states: (i.providerStates ?? []).map((s) => s.name),
      status: "skipped" as const,
      reason: `no ${providerModules[provider].envKey} in the environment`,
    })),
  };
}

export async function runVerify(args: string[], io: VerifyIo = defaultIo()): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        provider: { type: "string" },
        "base-url": { type: "string" },
        "allow-spend": { type: "boolean", default: false },
        pact: { type: "string" },
        "admin-token": { type: "string" },
        json: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (error) {
    io.stderr(`${(error as Error).message}\n\n${verifyHelp}\n`);
    return 2;
  }
  if (values.help) {
    io.stdout(`${verifyHelp}\n`);
    return 0;
  }
  const provider = values.provider as ProviderId | undefined;
  if (!provider || !providerIds.includes(provider)) {
    io.stderr(
      `Failed to read --provider "${provider ?? ""}": use one of ${providerIds.join(", ")}.\n\n${verifyHelp}\n`,
    );
    return 2;
  }
  const pactFile = (values.pact as string | undefined) ?? pactFileOf(provider);
  const baseUrl = values["base-url"] as string | undefined;
  const adminToken = values["admin-token"] as string | undefined;
  const { envKey } = providerModules[provider];
  const key = io.env[envKey];
  const print = (report: VerificationReport) =>
    io.stdout(values.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatReport(report)}\n`);

  let report: VerificationReport;
  if (baseUrl && !URL.canParse(baseUrl)) {
    io.stderr(`Failed to read --base-url "${baseUrl}": use an absolute URL such as http://127.0.0.1:4010.\n`);
    return 2;
  }
  const loopback = baseUrl ? isLoopbackUrl(new URL(baseUrl)) : false;
  if (baseUrl && loopback && (await SimulatorTarget.detect(baseUrl, adminToken))) {
    io.stderr(`Verifying ${provider} against the simulator server at ${new URL(baseUrl).origin}.\n`);
    const target = new SimulatorTarget(new URL(baseUrl).origin, adminToken);
    report = await verifyPact({ provider, pactFile, target: { kind: "simulator", target } });
  } else if (baseUrl || key) {
    const url = baseUrl ?? realHosts[provider];
    if (!key) {
      io.stderr(
        `No ${envKey} in the environment: nothing was sent to ${url}, every interaction is skipped. Set ${envKey} to verify the real provider, or leave out --base-url to verify a local simulator.\n`,
      );
      print(await skippedForNoKey(provider, pactFile, url));
      return 0;
    }
    io.stderr(
      `Verifying ${provider} against the real provider at ${url}${values["allow-spend"] ? " (spending credits)" : " (no upscales: add --allow-spend to run them)"}.\n`,
    );
    report = await verifyPact({
      provider,
      pactFile,
      target: {
        kind: "real",
        ...(baseUrl ? { baseUrl } : {}),
        apiKey: key,
        allowSpend: Boolean(values["allow-spend"]),
      },
    });
  } else {
    io.stderr(`No ${envKey} in the environment: verifying ${provider} against a local simulator.\n`);
    const server = await startMockServer({ port: 0, hostname: "127.0.0.1", latency: "none" });
    try {
      report = await verifyPact({
        provider,
        pactFile,
        target: { kind: "simulator", target: new SimulatorTarget(server.url) },
      });
    } finally {
      await server.close(100);
    }
  }
  print(report);
  return report.ok ? 0 : 1;
}
