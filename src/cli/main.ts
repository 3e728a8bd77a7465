/** `upscale-harness <command>`: the simulator server, Prism, and (with keys or without) upscaling. */
// Commands are loaded on demand: `mock` should not pay for the client, msw or Prism at start-up.
import { importPeer } from "../optional-peer.ts";

const usage = `upscale-harness: specs, simulators and contracts for AI image-upscale APIs

Usage:
  upscale-harness mock [options]            Start the simulator server (the default of \`npm start\`)
  upscale-harness prism <provider> [--proxy] [--port N] [--upstream URL]
                                            Prism's static mock of specs/<provider>.yaml, or its
                                            validation proxy in front of the simulator
  upscale-harness upscale <image> [--provider freepik] [--scale 4] [--prompt …] [--out out.png] [--json]
                                            Upscale an image through the unified client (the
                                            in-process simulator when no API key is set)
  upscale-harness verify --provider <p> [--base-url URL] [--allow-spend]
                                            Verify a provider against its Pact contract (a local
                                            simulator without a key) and print a drift report
  upscale-harness ca [--pem] [--ca-dir DIR]   Print the path of the HTTPS proxy's CA certificate
                                            (--pem: the certificate), making the CA when needed
  upscale-harness help [command]            Show help

Providers: ideogram, chainhub, fal (fal-sync for the sync host's spec), onemin, freepik.
Run \`upscale-harness <command> --help\` for a command's options.`;

const commands: Record<string, (args: string[]) => Promise<number>> = {
  mock: async (args) => (await import("./mock-command.ts")).runMock(args),
  prism: async (args) => (await import("./prism-command.ts")).runPrism(args),
  upscale: async (args) => (await import("./upscale-command.ts")).runUpscale(args),
  // Pact is an optional peer: without it, say how to install it rather than Node's module error.
  verify: async (args) =>
    (
      await importPeer("@pact-foundation/pact", "upscale-harness verify", () => import("./verify-command.ts"))
    ).runVerify(args),
  ca: async (args) => (await import("./ca-command.ts")).runCa(args),
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === "--help" || command === "-h" || command === "help") {
    if (command === "help" && rest[0] && commands[rest[0]]) return commands[rest[0]]!(["--help"]);
    console.log(usage);
    return 0;
  }
  const run = commands[command];
  if (!run) {
    console.error(`Unknown command "${command}".\n\n${usage}`);
    return 2;
  }
  return run(rest);
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  // Usage mistakes and start-up failures are messages for a person, not stack traces.
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 2;
}
