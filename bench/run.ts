/**
 * The benchmark runner: `npm run bench [-- <suite>…] [--quick] [--duration S] [--rounds N] [--no-write]`.
 * Prints one markdown table per suite (ratios against anchors measured in the same run, goals,
 * met/missed) and writes them into bench/RESULTS.md, replacing only the sections it ran.
 * `npm run bench` runs it compiled (scripts/bench.ts), as an app runs the library.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { stopAll } from "../scripts/lib/child.ts";
import { packageRoot } from "../src/package-root.ts";
import { renderTable, type SuiteResult, summarize } from "./lib/report.ts";
import { runClientSuite } from "./suites/client.ts";
import { runPackageSuite } from "./suites/package.ts";
import { runProxySuite } from "./suites/proxy.ts";
import { runServerSuite } from "./suites/server.ts";
import { runSimSuite } from "./suites/sim.ts";
import { runStoreSuite } from "./suites/store.ts";

const usage = `npm run bench -- [suite…] [--quick] [--duration S] [--rounds N] [--no-write]

Suites: sim (in-process simulators), client (unified client overhead), server (standalone server vs Prism, bare node:http, aimock),
        package (install size and import time of the packed package),
        proxy (status polls through the HTTPS proxy vs direct),
        store (memory vs Redis polls, one Redis replica vs two upscaling; starts redis-server).
  --quick        smoke run: 1 s per load, 1 round, few repetitions
  --duration S   seconds per load run (default 10)
  --rounds N     interleaved rounds per scenario (default 3)
  --no-write     do not update bench/RESULTS.md`;

interface Settings {
  quick: boolean;
  seconds: number;
  rounds: number;
}

const suites: Record<string, (s: Settings, log: (line: string) => void) => Promise<SuiteResult>> = {
  sim: (s, log) =>
    runSimSuite(
      {
        runs: s.quick ? 2 : 5 * s.rounds,
        firstCalls: s.quick ? 1 : s.rounds + 2,
        hits: s.quick ? 20 : 100 * s.rounds,
        imageSize: 512,
      },
      log,
    ),
  client: (s, log) =>
    runClientSuite(
      { blocks: s.quick ? 2 : 8 * s.rounds, perBlock: s.quick ? 3 : 20, warmup: s.quick ? 3 : 100 },
      log,
    ),
  server: (s, log) =>
    runServerSuite(
      {
        seconds: s.seconds,
        rounds: s.rounds,
        connections: 10,
        starts: s.quick ? 1 : 5,
        warmupSeconds: s.quick ? 0 : 1,
      },
      log,
    ),
  package: (s, log) => runPackageSuite({ imports: s.quick ? 2 : 10 }, log),
  proxy: (s, log) => runProxySuite({ seconds: s.seconds, rounds: s.rounds, connections: 10 }, log),
  store: (s, log) =>
    runStoreSuite(
      {
        seconds: s.seconds,
        rounds: s.rounds,
        connections: 10,
        upscales: s.quick ? 4 : 24,
        concurrency: 4,
        imageSize: s.quick ? 256 : 512,
      },
      log,
    ),
};

const resultsPath = join(packageRoot, "bench", "RESULTS.md");

function describeSettings(name: string, s: Settings): string {
  const cpu = cpus();
  const when = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  const load = ["server", "proxy", "store"].includes(name)
    ? `, ${s.seconds} s × ${s.rounds} rounds, 10 connections`
    : "";
  return `${when} · node ${process.version} · ${cpu.length} cores (${cpu[0]?.model.trim() ?? "unknown"}) · ${process.platform}/${process.arch}${load}${s.quick ? " · **--quick (smoke run, not a measurement)**" : ""}`;
}

function writeResults(sections: Map<string, string>): void {
  const order = Object.keys(suites);
  const existing = existsSync(resultsPath) ? readFileSync(resultsPath, "utf8") : "";
  for (const name of order) {
    if (sections.has(name)) continue;
    const kept = new RegExp(`<!-- suite:${name} -->[\\s\\S]*?<!-- /suite:${name} -->`).exec(existing);
    if (kept) sections.set(name, kept[0]);
  }
  const body = order.filter((name) => sections.has(name)).map((name) => sections.get(name)!);
  writeFileSync(
    resultsPath,
    [
      "# Benchmark results",
      "",
      "Written by `npm run bench` (bench/run.ts, compiled and run by scripts/bench.ts); each suite's section is replaced when that suite runs.",
      "Ratios compare measurements taken in the same run, interleaved; read them, not the absolute numbers.",
      "",
      ...body.flatMap((section) => [section, ""]),
    ].join("\n"),
  );
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      quick: { type: "boolean", default: false },
      duration: { type: "string" },
      rounds: { type: "string" },
      "no-write": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const unknown = positionals.filter((name) => !suites[name]);
  if (unknown.length > 0) {
    console.error(`Unknown suite(s): ${unknown.join(", ")}.\n\n${usage}`);
    return 2;
  }
  const number = (text: string | undefined, fallback: number, flag: string) => {
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!Number.isFinite(value) || value <= 0)
      throw new Error(`Failed to read --${flag} "${text}": use a positive number.`);
    return value;
  };
  const settings: Settings = {
    quick: values.quick,
    seconds: number(values.duration, values.quick ? 1 : 10, "duration"),
    rounds: Math.round(number(values.rounds, values.quick ? 1 : 3, "rounds")),
  };
  const selected = positionals.length > 0 ? positionals : Object.keys(suites);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const results: SuiteResult[] = [];
  const sections = new Map<string, string>();
  for (const name of selected) {
    const result = await suites[name]!(settings, log);
    results.push(result);
    const header = `## ${result.title}\n\n${describeSettings(name, settings)}`;
    const table = renderTable(result);
    console.log(`\n${header}\n\n${table}\n`);
    sections.set(name, `<!-- suite:${name} -->\n${header}\n\n${table}\n<!-- /suite:${name} -->`);
  }
  console.log(summarize(results).join("\n"));
  if (!values["no-write"]) {
    writeResults(sections);
    log(`wrote ${resultsPath}`);
  }
  return 0;
}

process.once("SIGINT", () => {
  void stopAll().then(() => process.exit(130));
});

try {
  process.exitCode = await main();
} catch (error) {
  console.error((error as Error).stack ?? String(error));
  process.exitCode = 1;
} finally {
  await stopAll();
}
