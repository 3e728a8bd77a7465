/** `upscale-harness prism`: Prism's static mock of a spec, or its validation proxy in front of the simulator. */
import { parseArgs } from "node:util";
import { startPrism } from "../../mocks/prism/run-prism.ts";
import { specNames, specPath } from "../../scripts/spec-files.ts";

export const prismHelp = `upscale-harness prism <provider>: Stoplight Prism over specs/<provider>.yaml

  (default)          Prism's static mock: answers with the spec's examples
  --proxy            Prism's validation proxy in front of a running simulator; every request and
                     answer is checked against the spec and violations are printed (sl-violations)
  --upstream URL     The simulator's base for this provider (default http://127.0.0.1:4010/<provider>)
  --port N           Prism's port (default 4020)

Specs: ${specNames().join(", ")}`;

export async function runPrism(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      proxy: { type: "boolean", default: false },
      upstream: { type: "string" },
      port: { type: "string", default: "4020" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const spec = positionals[0];
  if (values.help || !spec) {
    console.log(prismHelp);
    return values.help ? 0 : 2;
  }
  if (!specNames().includes(spec)) {
    console.error(`Unknown spec "${spec}". Use one of: ${specNames().join(", ")}.`);
    return 2;
  }
  const upstream =
    values.upstream ??
    `http://127.0.0.1:4010/${spec === "fal" ? "fal/queue" : spec === "fal-sync" ? "fal/run" : spec}`;
  const args2 = values.proxy ? ["proxy", specPath(spec), upstream] : ["mock", specPath(spec)];
  const prism = await startPrism(args2, { port: Number(values.port), level: "info", inherit: true });
  console.log(
    `Prism ${values.proxy ? `validation proxy → ${upstream}` : "static mock"} for specs/${spec}.yaml on ${prism.url}`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => void prism.stop().then(resolve);
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    prism.child.once("exit", () => resolve());
  });
  return 0;
}
