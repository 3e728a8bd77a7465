/**
 * A simulator server holding one finished upload (a Freepik task, its input and its output), for
 * tests of what a foreign page can and cannot do to it, and a snapshot of everything such a page
 * could change.
 */
import { expect, vi } from "vitest";
import { type MockServer, startMockServer } from "../../mocks/server/server.ts";
import { makeImage, toBase64 } from "../../scripts/lib/images.ts";
import { VirtualClock } from "../../src/core/clock.ts";

export interface UpscaledServer {
  server: MockServer;
  taskId: string;
  /** The uploaded input image. */
  fileId: string;
  /** Tasks, the task's forced state, the clock, scenarios, settings and stored files. */
  snapshot(): Record<string, unknown>;
}

export async function startUpscaledServer(): Promise<UpscaledServer> {
  const server = await startMockServer({
    port: 0,
    latency: "none",
    clock: new VirtualClock({ start: Date.UTC(2026, 5, 1) }),
  });
  const created = await fetch(`${server.urls["freepik.api"]}/v1/ai/image-upscaler`, {
    method: "POST",
    headers: { "x-freepik-api-key": "k", "content-type": "application/json" },
    body: JSON.stringify({ image: toBase64(await makeImage(16, 16)) }),
  });
  const taskId = ((await created.json()) as { data: { task_id: string } }).data.task_id;
  // The upscaled output is rendered in the background; wait for it, so the store holds still.
  await vi.waitFor(() => expect(server.simulator.services.files.list().some((f) => f.sourceId)).toBe(true));
  const snapshot = () => {
    const ns = server.simulator.namespace();
    return {
      tasks: ns.tasks.list().map((t) => t.id),
      forced: ns.tasks.get(taskId)?.forced,
      now: ns.clock.now(),
      scenarios: Object.fromEntries(ns.scenarios),
      settings: Object.fromEntries(ns.settings),
      files: server.simulator.services.files.size,
    };
  };
  return { server, taskId, fileId: server.simulator.services.files.list()[0]!.id, snapshot };
}
