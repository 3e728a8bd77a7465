/**
 * Suite `package`: the packed package as an app installs it, with the optional peers left out.
 * - Install size of node_modules, without and with sharp's prebuilt binaries (optional
 *   dependencies of sharp, which `npm i` installs by default); goal ≤ 40 MB. Anchor: sharp with
 *   its binaries, the largest dependency, measured in the same install.
 * - `import()` of an entry in a fresh process (time inside the process, around the import),
 *   median of N; goal < 150 ms. Anchors: importing the entry's heaviest dependency alone (zod for
 *   the client, msw for `/msw`), in the same fresh-process way, interleaved.
 */
import { lstat, readdir } from "node:fs/promises";
import { loadavg } from "node:os";
import { join } from "node:path";
import { installConsumer, packPackage, run } from "../../scripts/lib/consumer.ts";
import type { Row, SuiteResult } from "../lib/report.ts";
import { median } from "../lib/stats.ts";

export interface PackageOptions {
  /** Fresh processes per import measurement. */
  imports: number;
}

const mb = 1024 * 1024;

/** Bytes of every file under `dir` (apparent sizes, links not followed). */
async function sizeOf(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += await sizeOf(path);
    else if (entry.isFile()) total += (await lstat(path)).size;
  }
  return total;
}

/** Milliseconds `import(specifier)` takes in a fresh node process, measured inside it. */
async function importMs(cwd: string, specifier: string): Promise<number> {
  const script = `const t = performance.now(); await import(${JSON.stringify(specifier)}); process.stdout.write(String(performance.now() - t));`;
  const result = await run(process.execPath, ["--input-type=module", "-e", script], { cwd });
  if (result.code !== 0) throw new Error(`Failed to import ${specifier}: ${result.stderr}`);
  return Number(result.stdout);
}

export async function runPackageSuite(
  options: PackageOptions,
  log: (line: string) => void,
): Promise<SuiteResult> {
  log("package: packing and installing the tarball");
  const consumer = await installConsumer(await packPackage(), ["--omit=peer", "--omit=optional"]);
  const rows: Row[] = [];
  try {
    const modules = join(consumer.dir, "node_modules");
    const lean = await sizeOf(modules);
    await consumer.install(["--omit=peer"]);
    const full = await sizeOf(modules);
    const sharp = (await sizeOf(join(modules, "sharp"))) + (await sizeOf(join(modules, "@img")));
    const scenario = "npm i <tarball>, optional peers left out";
    for (const [subject, bytes] of [
      ["--omit=peer --omit=optional", lean],
      ["--omit=peer (sharp's binaries included)", full],
    ] as const) {
      rows.push({
        scenario,
        subject,
        metric: "node_modules size",
        value: bytes / mb,
        unit: "MB",
        anchor: `sharp with its binaries (${(sharp / mb).toFixed(1)} MB)`,
        ratio: bytes / sharp,
        goal: { kind: "value-below", max: 40.01 },
      });
    }

    // msw as an app that uses the MSW entry has it (linked from this checkout).
    await consumer.link(["msw"]);
    const pairs = [
      { entry: "upscale-harness", anchor: "zod" },
      { entry: "upscale-harness/msw", anchor: "msw" },
    ];
    for (const { entry, anchor } of pairs) {
      const ours: number[] = [];
      const theirs: number[] = [];
      for (let i = 0; i < options.imports; i++) {
        // Alternate which goes first, so a busy moment does not land on one side only.
        if (i % 2 === 0) ours.push(await importMs(consumer.dir, entry));
        theirs.push(await importMs(consumer.dir, anchor));
        if (i % 2 === 1) ours.push(await importMs(consumer.dir, entry));
      }
      const value = median(ours);
      const anchorMs = median(theirs);
      log(`package: import("${entry}") ${value.toFixed(1)} ms, ${anchor} alone ${anchorMs.toFixed(1)} ms`);
      rows.push({
        scenario: "import() in a fresh process",
        subject: entry,
        metric: `median of ${options.imports}`,
        value,
        unit: "ms",
        anchor: `${anchor} alone ${anchorMs.toFixed(1)} ms`,
        ratio: value / anchorMs,
        goal: { kind: "value-below", max: 150 },
      });
    }
  } finally {
    await consumer.remove();
  }
  const load = loadavg().map((value) => value.toFixed(1));
  return {
    name: "package",
    title: "The installed package (tarball from npm pack, optional peers left out)",
    rows,
    notes: [
      "Sizes: apparent bytes of every file in the consumer's node_modules. Version 0.1.0 installed 159 MB here (Prism, Pact, tsx and esbuild were dependencies).",
      "`--omit=optional` also leaves out sharp's prebuilt libvips, so the simulators' image work needs the default install; the client needs neither.",
      "Imports: time around `await import()` inside a fresh `node` process (startup excluded); ratio = entry / its heaviest dependency imported alone, alternating which goes first.",
      `Load average when the suite ended: ${load.join(", ")} (1, 5, 15 min) on this machine's cores; the absolute import times scale with it, the ratios much less.`,
    ],
  };
}
