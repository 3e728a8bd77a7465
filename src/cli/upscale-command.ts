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
import type { FetchLike, OutputFormat, ProgressEvent } from "../core/types.ts";
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

export async function runUpscale(args: string[], io: CliIo = defaultIo()): Promise<number> {
  let values: Record<string, string | boolean | string[] | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
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
      },
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

  let providers: ProviderId[];
  let options: UpscaleOptions;
  try {
    providers = providerList(values as { provider?: string; providers?: string });
    const format = values.format as string | undefined;
    if (format !== undefined && !["png", "jpeg", "webp"].includes(format))
      throw new UsageError(`Failed to read --format "${format}": use png, jpeg or webp.`);
    const scale = number("scale", values.scale as string | undefined);
    const resemblance = number("resemblance", values.resemblance as string | undefined);
    const detail = number("detail", values.detail as string | undefined);
    const seed = number("seed", values.seed as string | undefined);
    const numImages = number("num-images", values["num-images"] as string | undefined);
    options = {
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

  let clock: Clock = new RealClock();
  let simulatedFetch: FetchLike | undefined;
  let apiKeys: Partial<Record<ProviderId, string>> = {};
  if (simulate) {
    const virtual = new VirtualClock({ start: Date.now(), autoAdvance: true });
    clock = virtual;
    // The simulators answer through a fetch of their own: no interception library to install.
    const { createSimulator, createSimulatorFetch } = await import("../../mocks/simulator.ts");
    const scenario = values.scenario as string | undefined;
    const simulator = createSimulator({
      clock: virtual,
      latency: "realistic",
      ...(scenario ? { scenarios: Object.fromEntries(providers.map((p) => [p, scenario])) } : {}),
    });
    simulatedFetch = createSimulatorFetch(simulator);
    apiKeys = Object.fromEntries(providers.map((p) => [p, "simulator-key"]));
    io.stderr(
      `No API key for ${providers.join(", ")} (${providers.map((p) => envKeyOf(p)).join(", ")}): running against the in-process simulator on a virtual clock. Set the key to call the real provider.\n`,
    );
  } else {
    apiKeys = Object.fromEntries(providers.map((p) => [p, io.env[envKeyOf(p)]!]));
  }

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
    if (values.json) {
      const { images, ...rest } = result;
      const shown = {
        ...rest,
        images: images.map(({ bytes: _bytes, ...image }, i) => ({ ...image, file: paths[i] })),
        simulated: simulate,
      };
      io.stdout(`${JSON.stringify(shown, null, 2)}\n`);
    } else {
      for (const [index, image] of result.images.entries()) {
        io.stdout(
          `${paths[index]}: ${image.width}x${image.height} ${image.contentType} from ${result.provider}${simulate ? " (simulated)" : ""}\n`,
        );
      }
    }
    return 0;
  } catch (error) {
    status.stop();
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`${error instanceof UpscaleError ? "" : "Unexpected error: "}${message}\n`);
    return 1;
  }
}
