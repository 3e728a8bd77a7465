/**
 * `node --import upscale-harness/proxy app.js`: Node's own fetch ignores HTTPS_PROXY on Node 20,
 * so this installs undici's EnvHttpProxyAgent as the global dispatcher, which reads HTTPS_PROXY,
 * HTTP_PROXY and NO_PROXY like other tools. Then the app, and SDKs such as @fal-ai/client that use
 * the global fetch, go through the proxy unchanged. Trust in the proxy's CA comes from
 * NODE_EXTRA_CA_CERTS, which Node reads at start-up. Without a proxy variable it does nothing.
 */
import { EnvHttpProxyAgent, setGlobalDispatcher } from "undici";

const names = ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"];
if (names.some((name) => process.env[name])) setGlobalDispatcher(new EnvHttpProxyAgent());
