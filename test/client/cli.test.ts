/**
 * `upscale-harness upscale` in-process: without keys it runs against the in-process simulators
 * (and says so), writes real upscaled files, prints the normalized result with --json, and turns
 * failures into one "Failed to …" line and exit code 1.
 */
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dimensionsOf, makeImage } from "../../scripts/lib/images.ts";
import { type CliIo, runUpscale, upscaleHelp } from "../../src/cli/upscale-command.ts";

function io(env: Record<string, string | undefined> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const value: CliIo = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env, isTTY: false };
  return { io: value, out: () => out.join(""), err: () => err.join("") };
}

async function inputFile(): Promise<{ dir: string; path: string }> {
  const dir = await mkdtemp(join(tmpdir(), "upscale-cli-"));
  const path = join(dir, "photo.png");
  await writeFile(path, await makeImage(30, 20));
  return { dir, path };
}

describe("upscale-harness upscale", () => {
  it("--help lists every option", async () => {
    const run = io();
    expect(await runUpscale(["--help"], run.io)).toBe(0);
    for (const flag of [
      "--provider",
      "--providers",
      "--scale",
      "--prompt",
      "--out",
      "--json",
      "--option",
      "--simulate",
    ])
      expect(run.out()).toContain(flag);
    expect(upscaleHelp).toContain("FREEPIK_API_KEY");
  });

  it("without a key: the simulator, a real 4x file, and the normalized result as JSON", async () => {
    const { dir, path } = await inputFile();
    const out = join(dir, "big.png");
    const run = io();
    const code = await runUpscale(
      [path, "--provider", "freepik", "--scale", "4", "--prompt", "sky", "--out", out, "--json"],
      run.io,
    );
    expect(code, run.err()).toBe(0);
    expect(run.err()).toMatch(/running against the in-process simulator/);
    const printed = JSON.parse(run.out()) as {
      provider: string;
      simulated: boolean;
      images: Array<{ width: number; file: string }>;
    };
    expect(printed).toMatchObject({
      provider: "freepik",
      simulated: true,
      images: [{ width: 120, file: out }],
    });
    expect(await dimensionsOf(await readFile(out))).toMatchObject({ width: 120, height: 80 });
  });

  it("fal in sync mode through --option, with a plain summary line", async () => {
    const { dir, path } = await inputFile();
    const out = join(dir, "fal.png");
    const run = io();
    expect(
      await runUpscale([path, "--provider", "fal", "--option", "fal.mode=sync", "--out", out], run.io),
    ).toBe(0);
    expect(run.out()).toMatch(/fal\.png: 60x40 image\/png from fal \(simulated\)/);
  });

  it("a fault preset ends in one 'Failed to …' line and exit code 1", async () => {
    const { path } = await inputFile();
    const run = io();
    expect(await runUpscale([path, "--provider", "ideogram", "--scenario", "auth-failure"], run.io)).toBe(1);
    expect(run.err()).toMatch(/Failed to submit the upscale on ideogram: the API key was refused/);
  });

  it("usage errors exit 2", async () => {
    expect(await runUpscale([], io().io)).toBe(2);
    expect(await runUpscale(["x.png", "--provider", "nope"], io().io)).toBe(2);
    expect(await runUpscale(["x.png", "--bogus"], io().io)).toBe(2);
    expect(await runUpscale(["x.png", "--option", "nonsense"], io().io)).toBe(2);
  });
});
