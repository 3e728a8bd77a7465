/** `upscale-harness ca`: where the HTTPS proxy's CA certificate is (made on first use), or the PEM itself. */
import { parseArgs } from "node:util";
import { defaultCaDir, loadOrCreateCa } from "../../mocks/proxy/ca.ts";

export const caHelp = `upscale-harness ca: the local CA the HTTPS proxy (mock --proxy-port) signs with

Prints the path of the CA certificate, making the CA first when there is none. Trust that file
in the client (SSL_CERT_FILE, REQUESTS_CA_BUNDLE, CURL_CA_BUNDLE, NODE_EXTRA_CA_CERTS).

Options:
  --ca-dir DIR   Where the CA is kept (default ${defaultCaDir()})
  --pem          Print the certificate (PEM) instead of its path
  -h, --help     This help`;

export async function runCa(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      "ca-dir": { type: "string" },
      pem: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(caHelp);
    return 0;
  }
  const ca = await loadOrCreateCa(values["ca-dir"] ?? defaultCaDir());
  process.stdout.write(values.pem ? ca.certPem : `${ca.certPath}\n`);
  return 0;
}
