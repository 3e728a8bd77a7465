/** `upscale-harness mock`: parses flags, starts the server, prints where everything is. */
import cluster from "node:cluster";
import { parseArgs } from "node:util";
import { presetNames } from "../../mocks/engine/faults.ts";
import { remoteImagesModes } from "../../mocks/engine/remote-inputs.ts";
import { storeEnvVar } from "../../mocks/engine/store/open-store.ts";
import { redactUrl } from "../../mocks/engine/store/state-store.ts";
import { defaultCaDir, loadOrCreateCa } from "../../mocks/proxy/ca.ts";
import type { AllowedHosts } from "../../mocks/server/host-check.ts";
import { type MockServer, type ProviderPort, startMockServer } from "../../mocks/server/server.ts";
import { RealClock, VirtualClock } from "../core/clock.ts";
import { type ProviderId, providerIds } from "../providers/ids.ts";
import {
  leaveCluster,
  parseWorkers,
  requireSharedStore,
  runWorkers,
  virtualStart,
  workerSlot,
} from "./mock-workers.ts";
import { proxyBanner, proxyOptions } from "./proxy-flags.ts";

export const mockHelp = `upscale-harness mock: the simulator server (no API keys needed)

Options:
  --port N                  Port for all providers (default 4010; 0 picks a free one)
  --host H                  Address to bind (default 127.0.0.1; anything else needs --admin-token)
  --ports p=N[,p.host=N]    Extra ports serving one provider's real paths at the root,
                            e.g. --ports ideogram=4011,freepik=4015,fal.run=4014
  --clock real|virtual      Time source (default real). virtual: time moves only through
                            POST /__admin/clock/advance
  --scenario p=preset       Start a provider (or *) in a scenario; repeatable.
                            Presets: ${presetNames.join(", ")}
  --seed N                  Seed for everything random (default 1)
  --latency realistic|none  Provider-like durations (default), or as fast as each lifecycle
                            allows: every poll shows the next state, and unpolled tasks
                            move on by themselves every second (webhooks arrive unpolled)
  --images eager|lazy       Upscale at submit (default), or only when a result is fetched
  --remote-images stand-in|fetch|refuse
                            Inputs named by a URL the simulators do not serve (fal image_url,
                            Freepik precision-v2 image, a 1min.ai path never uploaded):
                            stand-in (default) draws a deterministic image from the URL, no
                            network; fetch downloads it (https, public addresses only, 10 MB,
                            15 s); refuse answers the provider's own download error
                            (or UPSCALE_HARNESS_REMOTE_IMAGES). The answer's x-mock-input
                            header and the journal say which was used
  --fixtures DIR            Your images for such inputs, in any mode: DIR/fixtures.json maps
                            URLs to file names, else a file named like the URL's last path
                            segment is used (or UPSCALE_HARNESS_FIXTURES)
  --webhook-secret S        Freepik webhook signing secret (or UPSCALE_HARNESS_WEBHOOK_SECRET;
                            a random one is generated and printed when unset)
  --admin-token T           Token for /__admin (or UPSCALE_HARNESS_ADMIN_TOKEN)
  --allowed-hosts a,b       Host names served besides localhost, IP addresses and --host,
                            e.g. a docker-compose service name (.example.test: a domain and
                            its subdomains; all: any name). Others get 403 (DNS rebinding)
  --public-url URL          The origin clients reach this server at, e.g. a load balancer's
                            (http://lb.internal:8080): URLs handed back use it
  --proxy-port N            Also run the HTTPS proxy on 127.0.0.1:N: any client reaches the
                            simulators at the real hosts with HTTPS_PROXY and the local CA
  --ca-dir DIR              Where the proxy's CA is kept (default: your configuration directory)
  --proxy-passthrough H,…   Hosts (host or host:port) the proxy tunnels untouched; every other
                            host that is not simulated is refused
  --store memory|URL        Where state lives (or UPSCALE_HARNESS_STORE): memory (default) or
                            redis://host:port/db, shared by every replica on it
                            (scenarios, attempt counts, resets; see docs/deployment.md)
  --workers N|auto          Run N server processes sharing the ports, to use every core
                            (auto: one per CPU; default 1). N > 1 needs --store redis://…;
                            a worker that crashes is restarted, SIGINT/SIGTERM stops all
  --quiet                   No per-request log lines
  -h, --help                This help`;

/** An 8×8 PNG, so the printed curl command works as pasted. */
const samplePng =
  "iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAACXBIWXMAAAPoAAAD6AG1e1JrAAAAmUlEQVQImR2OwQmDQBBFf3RdjSwaRMGAyIA5eUsHU8qUMp1MKVPKtBI218/nvQcABDAggAIGOBD4z0QPpkaoVUpGnVMO6uuZuGFOwll5MB6dS/BUESQtSxZ5qhST2WUJ2SqYNLEOokX1Zbq67qFH1ZF1bKPYrLaavd3OsKtGkGf2Ir6o7+an+yf8rmkUPccksWkcFpfHHfH9AQgeOuH9rRgEAAAAAElFTkSuQmCC";

function parsePorts(spec: string | undefined): ProviderPort[] {
  if (!spec) return [];
  return spec.split(",").map((entry) => {
    const [name, port] = entry.split("=");
    const [provider, host] = (name ?? "").split(".");
    if (!providerIds.includes(provider as ProviderId) || !port || !/^\d+$/.test(port)) {
      throw new Error(
        `Failed to read --ports entry "${entry}": use <provider>[.<host>]=<port>, e.g. ideogram=4011.`,
      );
    }
    return { provider: provider as ProviderId, port: Number(port), ...(host ? { host } : {}) };
  });
}

function parseAllowedHosts(spec: string): AllowedHosts {
  if (spec.trim() === "all") return "all";
  const names = spec.split(",").map((name) => name.trim());
  const bad = names.find((name) => !/^\.?[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/i.test(name));
  if (bad !== undefined)
    throw new Error(
      `Failed to read --allowed-hosts entry "${bad}": use host names separated by commas, e.g. --allowed-hosts mock,.example.test.`,
    );
  return names;
}

const mockFlags = {
  port: { type: "string", default: "4010" },
  host: { type: "string", default: "127.0.0.1" },
  ports: { type: "string" },
  clock: { type: "string", default: "real" },
  scenario: { type: "string", multiple: true },
  seed: { type: "string", default: "1" },
  latency: { type: "string", default: "realistic" },
  images: { type: "string", default: "eager" },
  "remote-images": { type: "string" },
  fixtures: { type: "string" },
  "webhook-secret": { type: "string" },
  "admin-token": { type: "string" },
  "allowed-hosts": { type: "string" },
  "public-url": { type: "string" },
  "proxy-port": { type: "string" },
  "ca-dir": { type: "string" },
  "proxy-passthrough": { type: "string" },
  store: { type: "string" },
  workers: { type: "string" },
  quiet: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;

/** A flag's value when it is one of `allowed`; otherwise an error naming them. */
function choice<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if (!allowed.includes(value as T))
    throw new Error(`Failed to read --${name} "${value}": use one of ${allowed.join(", ")}.`);
  return value as T;
}

/** `--scenario p=preset[,preset]` entries, by provider (or `*` for all). */
function parseScenarios(entries: string[]): Partial<Record<ProviderId | "*", string>> {
  const scenarios: Partial<Record<ProviderId | "*", string>> = {};
  for (const entry of entries) {
    const [provider, preset] = entry.split("=");
    if (!preset || !(provider === "*" || providerIds.includes(provider as ProviderId))) {
      throw new Error(`Failed to read --scenario "${entry}": use <provider|*>=<preset>, e.g. fal=outage.`);
    }
    for (const name of preset.split(",")) choice("scenario", name, presetNames);
    scenarios[provider as ProviderId | "*"] = preset;
  }
  return scenarios;
}

export async function runMock(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: mockFlags, strict: true });
  if (values.help) {
    console.log(mockHelp);
    return 0;
  }
  const scenarios = parseScenarios(values.scenario ?? []);
  const clockMode = choice("clock", values.clock, ["real", "virtual"] as const);
  if (!/^\d+$/.test(values.port) || Number(values.port) > 65_535) {
    throw new Error(
      `Failed to read --port "${values.port}": use a number from 0 to 65535 (0 picks a free port).`,
    );
  }
  const proxy = proxyOptions(values["proxy-port"], values["ca-dir"], values["proxy-passthrough"]);
  const store = values.store ?? (process.env[storeEnvVar] || "memory");
  const workers = parseWorkers(values.workers);
  if (workers > 1 && cluster.isPrimary) {
    requireSharedStore(workers, store);
    // The primary makes the proxy's CA (when there is none), so the workers all load that one.
    if (proxy) await loadOrCreateCa(proxy.caDir ?? defaultCaDir());
    return runWorkers(workers, store);
  }
  const slot = workerSlot();
  const secretFromEnv = process.env.UPSCALE_HARNESS_WEBHOOK_SECRET;
  const webhookSecret = values["webhook-secret"] ?? secretFromEnv;
  const remoteImages = values["remote-images"] ?? process.env.UPSCALE_HARNESS_REMOTE_IMAGES ?? "stand-in";
  const fixtures = values.fixtures ?? process.env.UPSCALE_HARNESS_FIXTURES;
  const server = await startMockServer({
    port: Number(values.port),
    hostname: values.host,
    ports: parsePorts(values.ports),
    clock: clockMode === "virtual" ? new VirtualClock({ start: virtualStart() }) : new RealClock(),
    scenarios,
    seed: Number(values.seed),
    latency: choice("latency", values.latency, ["realistic", "none"] as const),
    images: choice("images", values.images, ["eager", "lazy"] as const),
    remoteImages: choice("remote-images", remoteImages, remoteImagesModes),
    ...(fixtures ? { fixtures } : {}),
    ...(webhookSecret ? { webhookSecret } : {}),
    ...((values["admin-token"] ?? process.env.UPSCALE_HARNESS_ADMIN_TOKEN)
      ? { adminToken: values["admin-token"] ?? process.env.UPSCALE_HARNESS_ADMIN_TOKEN }
      : {}),
    ...(values["allowed-hosts"] ? { allowedHosts: parseAllowedHosts(values["allowed-hosts"]) } : {}),
    ...(values["public-url"] ? { publicUrl: values["public-url"] } : {}),
    ...(values.quiet ? {} : { log: (line: string) => console.log(line) }),
    ...(proxy ? { proxy } : {}),
    store,
  });

  const summary = `clock ${clockMode}, latency ${values.latency}, images ${values.images}, remote images ${remoteImages}${fixtures ? ` + fixtures ${fixtures}` : ""}, store ${server.simulator.store ? redactUrl(store) : "memory"}`;
  // Under --workers, the first worker prints the whole banner and the others a line each.
  if (slot === undefined || slot === 1)
    console.log(banner(server, `${summary}${slot ? `, worker 1 pid ${process.pid}` : ""}`, !webhookSecret));
  else console.log(`worker ${slot} (pid ${process.pid}) serving on ${server.url}`);

  await untilStopped(server, slot);
  return 0;
}

/** Serves until SIGINT or SIGTERM, then lets in-flight requests finish and stops. */
function untilStopped(server: MockServer, slot: number | undefined): Promise<void> {
  return new Promise<void>((resolve) => {
    let stopping = false;
    const stop = async (signal: string) => {
      // A second signal alone ends a lone server at once; a worker gets one from the terminal
      // (Ctrl-C) and one from its primary, and finishes its requests either way.
      if (stopping) return;
      stopping = true;
      if (slot === undefined) {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
      }
      console.log(`${signal}: finishing in-flight requests…`);
      const { pendingWebhooks } = await server.close();
      console.log(
        pendingWebhooks > 0
          ? `Stopped. ${pendingWebhooks} webhook deliveries were still pending and are dropped.`
          : "Stopped.",
      );
      leaveCluster();
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}

/** Where everything is, and a request to paste. */
function banner(server: MockServer, summary: string, secretGenerated: boolean): string {
  const lines = [`upscale-harness simulators on ${server.url} (${summary})`, ""];
  for (const [key, url] of Object.entries(server.urls)) lines.push(`  ${key.padEnd(18)} ${url}`);
  for (const extra of server.providerPorts)
    lines.push(
      `  ${`${extra.provider}${extra.host ? `.${extra.host}` : ""} (own port)`.padEnd(18)} ${extra.url}`,
    );
  lines.push(
    "",
    `  dashboard          ${server.url}/__admin/ui`,
    `  admin API          ${server.url}/__admin/health`,
  );
  if (secretGenerated)
    lines.push("", `  freepik webhook secret (generated): ${server.simulator.services.webhookSecret}`);
  lines.push(`  fal webhook JWKS   ${server.url}/fal/rest/.well-known/jwks.json`);
  if (server.proxy) lines.push("", ...proxyBanner(server.proxy));
  lines.push(
    "",
    "Try it:",
    `  curl -s ${server.urls["freepik.api"] ?? `${server.url}/freepik`}/v1/ai/image-upscaler -H 'x-freepik-api-key: any' \\`,
    `    -H 'content-type: application/json' -d '{"image": "${samplePng}", "scale_factor": "4x"}'`,
    "",
  );
  return lines.join("\n");
}
