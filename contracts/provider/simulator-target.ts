/**
 * A standalone simulator server as a verification target: its base URLs, its admin API (scenarios,
 * forced task states), and real submits through the unified client, so every provider state is
 * reached the way a user's traffic would reach it.
 */
import { namespaceHeader } from "../../mocks/provider-hosts.ts";
import { VirtualClock } from "../../src/core/clock.ts";
import {
  createUpscaler,
  type OperationHandle,
  type ProviderId,
  type UpscaleOptions,
  type UpscalerConfig,
} from "../../src/index.ts";
import { exampleKeys, inputPng, upscaleOptions } from "../consumer/support.ts";

export { namespaceHeader };

export class SimulatorTarget {
  readonly url: string;
  readonly #adminToken: string | undefined;

  constructor(serverUrl: string, adminToken?: string) {
    this.url = serverUrl.replace(/\/+$/, "");
    this.#adminToken = adminToken;
  }

  /** Where a provider's pact is replayed: fal's hosts by name under /fal, the others' API host. */
  baseUrl(provider: ProviderId): string {
    return `${this.url}/${provider}`;
  }

  /** True when `url` answers the admin API (so provider states can be set there). */
  static async detect(url: string, adminToken?: string): Promise<boolean> {
    try {
      const response = await fetch(`${new URL(url).origin}/__admin/health`, {
        headers: adminToken ? { "x-admin-token": adminToken } : {},
        signal: AbortSignal.timeout(2_000),
      });
      const body = (await response.json().catch(() => undefined)) as { providers?: unknown } | undefined;
      return response.ok && Array.isArray(body?.providers);
    } catch {
      return false;
    }
  }

  async admin(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${this.url}/__admin/${path}`, {
      method,
      headers: {
        "content-type": "application/json",
        ...(this.#adminToken ? { "x-admin-token": this.#adminToken } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const answer = (await response.json().catch(() => ({}))) as { error?: string };
    if (!response.ok)
      throw new Error(
        `Failed to ${method} /__admin/${path}: ${response.status} ${answer.error ?? ""}`.trim(),
      );
    return answer;
  }

  setScenario(namespace: string, provider: ProviderId, scenario: string): Promise<unknown> {
    return this.admin("PUT", "scenarios", { namespace, provider, scenario });
  }

  forceState(namespace: string, id: string, state: string, extra: Record<string, unknown> = {}) {
    return this.admin("POST", `tasks/${encodeURIComponent(id)}/state`, { namespace, state, ...extra });
  }

  /** The unified client aimed at this server, in one namespace (and, optionally, one scenario). */
  client(provider: ProviderId, namespace: string, extra: Partial<UpscalerConfig> = {}) {
    const base = this.url;
    return createUpscaler({
      provider,
      apiKeys: { [provider]: exampleKeys[provider] },
      baseUrls: {
        ideogram: `${base}/ideogram`,
        chainhub: `${base}/chainhub`,
        fal: `${base}/fal`,
        onemin: { api: `${base}/onemin`, asset: `${base}/onemin/asset` },
        freepik: `${base}/freepik`,
      },
      clock: new VirtualClock({ autoAdvance: true }),
      retry: { maxAttempts: 1 },
      circuitBreaker: false,
      env: {},
      ...extra,
      headers: { [namespaceHeader]: namespace, ...extra.headers },
    });
  }

  /** A real submit: the task exists in `namespace` as the provider's own answer created it. */
  async submit(
    provider: ProviderId,
    namespace: string,
    options: UpscaleOptions = {},
    headers: Record<string, string> = {},
  ): Promise<OperationHandle> {
    return this.client(provider, namespace, { headers }).start(inputPng, { ...upscaleOptions, ...options });
  }
}
