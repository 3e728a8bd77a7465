/**
 * `upscale-harness upscale <image>`: one upscale through the unified client. With the provider's
 * key in the environment it calls the real provider; without one it runs against the in-process
 * simulators (MSW on the real hosts, realistic latency on a virtual clock that jumps while idle,
 * so minutes of provider time pass in a moment) and says so.
 */
import { writeFile } from "node:fs/promises";
import { basename, extname } from "node:path";
import { parseArgs } from "node:util";
import { createUpscaler } from "../client.ts";
import { type Clock, RealClock, VirtualClock } from "../core/clock.ts";
import { UpscaleError } from "../core/errors.ts";
import { formatFromContentType } from "../core/image-size.ts";
import type { FetchLike, OutputFormat, ProgressEvent, UpscaleResult } from "../core/types.ts";
import { type ProviderId, providerIds } from "../providers/ids.ts";
import { providerModules } from "../providers/index.ts";
import type { ProviderOptions, UpscaleOptions } from "../providers/options.ts";

const envKeyOf = (provider: ProviderId) => providerModules[provider].envKey;

export const upscaleHelp = `upscale-harness upscale <image>: upscale one image through the unified client

  <image>                  A file path, an http(s) URL or a data: URI
  --provider P             ${providerIds.join(" | ")} (default freepik)
  --providers P,Q          Several, tried in order (failover)
  --scale N                Enlargement factor (default 2; Ideogram-family providers only double)
  --prompt TEXT            Prompt guiding the upscale
  --resemblance N          0–100 (default 50), mapped to each provider's range
  --detail N               0–100 (default 50), mapped to each provider's range
  --seed N                 Seed, where the provider takes one
  --num-images N           Images to make, where the provider can
  --format png|jpeg|webp   Format wanted (a warning says when the provider returns another)
  --option p.key=value     A provider option, e.g. freepik.endpoint=precision-v2, fal.mode=sync,
                           freepik.engine=magnific_sparkle, chainhub.mode=task (repeatable)
  --out FILE               Where to write the image (default <image>-upscaled.<ext>; with several
                           images, -1, -2, … are added before the extension)
  --json                   Print the normalized result as JSON on stdout
  --timeout SECONDS        Overall limit (default 600)
  --simulate               Use the in-process simulators even when a key is set
  --scenario PRESET        Simulator only: a fault preset for the providers (outage, rate-limited, …)
  -h, --help               This help

Keys: ${providerIds.map(envKeyOf).join(", ")}. Without the key of any chosen provider, the
command runs against the in-process simulators and says so; nothing leaves the machine.
Progress goes to stderr (a spinner on a terminal); results to stdout.`;

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
  isTTY: boolean;
}

const defaultIo = (): CliIo => ({
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  isTTY: Boolean(process.stderr.isTTY),
});

class UsageError extends Error {}

function number(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) throw new UsageError(`Failed to read --${name} "${value}": use a number.`);
  return parsed;
}

function providerList(values: {
  provider?: string | undefined;
  providers?: string | undefined;
}): ProviderId[] {
  const names = values.providers ? values.providers.split(",") : [values.provider ?? "freepik"];
  return names.map((name) => {
    const id = name.trim() as ProviderId;
    if (!providerIds.includes(id))
      throw new UsageError(`Failed to read the provider "${name}": use one of ${providerIds.join(", ")}.`);
    return id;
  });
}

function providerOptions(entries: string[]): ProviderOptions {
  const options: Record<string, Record<string, unknown>> = {};
  for (const entry of entries) {
    const match = /^([a-z]+)\.([A-Za-z_]+)=(.*)$/.exec(entry);
    if (!match || !providerIds.includes(match[1] as ProviderId))
      throw new UsageError(
        `Failed to read --option "${entry}": use <provider>.<key>=<value>, e.g. fal.mode=sync.`,
      );
    const [, provider, key, raw] = match as unknown as [string, string, string, string];
    let value: unknown = raw;
    if (raw === "true" || raw === "false") value = raw === "true";
    else if (raw !== "" && Number.isFinite(Number(raw))) value = Number(raw);
    options[provider] = { ...options[provider], [key]: value };
  }
  return options as ProviderOptions;
}

function outPaths(out: string | undefined, input: string, count: number, format: OutputFormat): string[] {
  const ext = format === "jpeg" ? ".jpg" : `.${format}`;
  const base =
    out ??
    `${basename(input.startsWith("data:") || /^https?:/i.test(input) ? "image" : input, extname(input))}-upscaled${ext}`;
  if (count === 1) return [base];
  const dot = extname(base);
  return Array.from({ length: count }, (_, i) => `${base.slice(0, base.length - dot.length)}-${i + 1}${dot}`);
}

/** A one-line status on stderr: a spinner on a terminal, nothing otherwise. */
function spinner(io: CliIo, clock: Clock) {
  const frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
  const started = clock.now();
  let text = "starting";
  let frame = 0;
  const render = () => {
    const seconds = ((clock.now() - started) / 1000).toFixed(1);
    io.stderr(`\r\x1b[2K${frames[frame++ % frames.length]} ${text} · ${seconds} s`);
  };
  const timer = io.isTTY ? setInterval(render, 100) : undefined;
  timer?.unref?.();
  return {
    update(event: ProgressEvent) {
      if (event.type === "submitted") text = `${event.provider}: submitted ${event.id}`;
      else if (event.type === "queued")
        text = `${event.provider}: queued${event.position !== undefined ? ` (position ${event.position})` : ""}`;
      else if (event.type === "running")
        text = `${event.provider}: running${event.logs.at(-1) ? ` – ${event.logs.at(-1)!.message}` : ""}`;
      else if (event.type === "retry")
        text = `${event.provider}: retrying ${event.operation} in ${event.delayMs} ms`;
      else if (event.type === "failover") text = `${event.from} failed; trying ${event.to}`;
      else if (event.type === "done") text = `${event.provider}: ${event.state}`;
      if (io.isTTY) render();
    },
    stop() {
      if (timer) clearInterval(timer);
      if (io.isTTY) io.stderr("\r\x1b[2K");
    },
  };
}

type FlagValues = Record<string, string | boolean | string[] | undefined>;

const upscaleFlags = {
  provider: { type: "string" },
  providers: { type: "string" },
  scale: { type: "string" },
  prompt: { type: "string" },
  resemblance: { type: "string" },
  detail: { type: "string" },
  seed: { type: "string" },
  "num-images": { type: "string" },
  format: { type: "string" },
  option: { type: "string", multiple: true },
  out: { type: "string" },
  json: { type: "boolean", default: false },
  timeout: { type: "string", default: "600" },
  simulate: { type: "boolean", default: false },
  scenario: { type: "string" },
  help: { type: "boolean", short: "h", default: false },
} as const;

export async function runUpscale(args: string[], io: CliIo = defaultIo()): Promise<number> {
  const parsed = parseUpscaleArgs(args, io);
  if (typeof parsed === "number") return parsed;
  const { values, input } = parsed;
  let providers: ProviderId[];
  let options: UpscaleOptions;
  try {
    providers = providerList(values as { provider?: string; providers?: string });
    options = upscaleOptions(values);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`${error.message}\n`);
      return 2;
    }
    throw error;
  }

  const withKeys = providers.filter((p) => io.env[envKeyOf(p)]);
  const simulate = Boolean(values.simulate) || withKeys.length === 0;
  if (!simulate && withKeys.length < providers.length) {
    io.stderr(`No key for ${providers.filter((p) => !withKeys.includes(p)).join(", ")}: left out.\n`);
    providers = withKeys;
  }
  if (!simulate && values.scenario) {
    io.stderr("--scenario only applies to the simulators (add --simulate).\n");
    return 2;
  }
  const backend = simulate
    ? await simulatedBackend(providers, values.scenario as string | undefined, io)
    : realBackend(providers, io);
  return upscaleAndReport(io, backend, { providers, input, options, values, simulate });
}

/** The flags and the image, or the exit code when there is nothing to run (help, bad usage). */
function parseUpscaleArgs(args: string[], io: CliIo): { values: FlagValues; input: string } | number {
  let values: FlagValues;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: upscaleFlags,
      strict: true,
    }));
  } catch (error) {
    io.stderr(`${(error as Error).message}\n\n${upscaleHelp}\n`);
    return 2;
  }
  if (values.help) {
    io.stdout(`${upscaleHelp}\n`);
    return 0;
  }
  const input = positionals[0];
  if (!input) {
    io.stderr(`Missing <image>.\n\n${upscaleHelp}\n`);
    return 2;
  }
  return { values, input };
}

/** The client's options from the flags; a UsageError names the first bad one. */
function upscaleOptions(values: FlagValues): UpscaleOptions {
  const format = values.format as string | undefined;
  if (format !== undefined && !["png", "jpeg", "webp"].includes(format))
    throw new UsageError(`Failed to read --format "${format}": use png, jpeg or webp.`);
  const scale = number("scale", values.scale as string | undefined);
  const resemblance = number("resemblance", values.resemblance as string | undefined);
  const detail = number("detail", values.detail as string | undefined);
  const seed = number("seed", values.seed as string | undefined);
  const numImages = number("num-images", values["num-images"] as string | undefined);
  return {
    ...(scale !== undefined ? { scale } : {}),
    ...(values.prompt ? { prompt: values.prompt as string } : {}),
    ...(resemblance !== undefined ? { resemblance } : {}),
    ...(detail !== undefined ? { detail } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(numImages !== undefined ? { numImages } : {}),
    ...(format ? { format: format as OutputFormat } : {}),
    timeoutMs: (number("timeout", values.timeout as string) ?? 600) * 1000,
    providerOptions: providerOptions((values.option as string[] | undefined) ?? []),
  };
}

/** Where the client's requests go and on which clock: the real providers or the simulators. */
interface Backend {
  clock: Clock;
  apiKeys: Partial<Record<ProviderId, string>>;
  simulatedFetch?: FetchLike;
}

function realBackend(providers: ProviderId[], io: CliIo): Backend {
  return {
    clock: new RealClock(),
    apiKeys: Object.fromEntries(providers.map((p) => [p, io.env[envKeyOf(p)]!])),
  };
}

/** The in-process simulators on a virtual clock, so minutes of provider time pass in a moment. */
async function simulatedBackend(
  providers: ProviderId[],
  scenario: string | undefined,
  io: CliIo,
): Promise<Backend> {
  const virtual = new VirtualClock({ start: Date.now(), autoAdvance: true });
  // The simulators answer through a fetch of their own: no interception library to install.
  const { createSimulator, createSimulatorFetch } = await import("../../mocks/simulator.ts");
  const simulator = createSimulator({
    clock: virtual,
    latency: "realistic",
    ...(scenario ? { scenarios: Object.fromEntries(providers.map((p) => [p, scenario])) } : {}),
  });
  io.stderr(
    `No API key for ${providers.join(", ")} (${providers.map((p) => envKeyOf(p)).join(", ")}): running against the in-process simulator on a virtual clock. Set the key to call the real provider.\n`,
  );
  return {
    clock: virtual,
    simulatedFetch: createSimulatorFetch(simulator),
    apiKeys: Object.fromEntries(providers.map((p) => [p, "simulator-key"])),
  };
}

interface UpscaleRun {
  providers: ProviderId[];
  input: string;
  options: UpscaleOptions;
  values: FlagValues;
  simulate: boolean;
}

/** Runs the upscale, writes the images and reports them; the exit code. */
async function upscaleAndReport(io: CliIo, backend: Backend, run: UpscaleRun): Promise<number> {
  const { clock, apiKeys, simulatedFetch } = backend;
  const { providers, input, options, values } = run;
  const status = spinner(io, clock);
  try {
    const upscaler = createUpscaler({
      providers,
      apiKeys,
      clock,
      env: {},
      onProgress: (event) => status.update(event),
      ...(simulatedFetch ? { fetch: simulatedFetch } : {}),
    });
    const result = await upscaler.upscale(input, options);
    const paths = outPaths(
      values.out as string | undefined,
      input,
      result.images.length,
      formatFromContentType(result.images[0]?.contentType) ?? "png",
    );
    for (const [index, path] of paths.entries()) await writeFile(path, await result.download(index));
    status.stop();
    for (const warning of result.warnings) io.stderr(`warning: ${warning}\n`);
    report(io, result, paths, Boolean(values.json), run.simulate);
    return 0;
  } catch (error) {
    status.stop();
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`${error instanceof UpscaleError ? "" : "Unexpected error: "}${message}\n`);
    return 1;
  }
}

/** The result on stdout: the normalized result as JSON, or a line per image written. */
function report(io: CliIo, result: UpscaleResult, paths: string[], json: boolean, simulate: boolean): void {
  if (json) {
    const { images, ...rest } = result;
    const shown = {
      ...rest,
      images: images.map(({ bytes: _bytes, ...image }, i) => ({ ...image, file: paths[i] })),
      simulated: simulate,
    };
    io.stdout(`${JSON.stringify(shown, null, 2)}\n`);
    return;
  }
  for (const [index, image] of result.images.entries()) {
    io.stdout(
      `${paths[index]}: ${image.width}x${image.height} ${image.contentType} from ${result.provider}${simulate ? " (simulated)" : ""}\n`,
    );
  }
}
