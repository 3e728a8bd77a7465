/**
 * aimock (@copilotkit/aimock) serving a fal.ai queue for `fal-ai/ideogram/upscale`, as a child:
 * `node --import tsx bench/aimock-server.ts <port>`. aimock's general fal handler answers only
 * requests under `/fal/…` that carry `x-fal-target-host: queue.fal.run` (the @fal-ai/client
 * proxy convention), so the status poll is `GET /fal/fal-ai/ideogram/requests/<id>/status` with
 * that header. Jobs walk IN_QUEUE → IN_PROGRESS → COMPLETED over two polls, like ours.
 */
import { LLMock } from "@copilotkit/aimock";

const mock = new LLMock({
  port: Number(process.argv[2] ?? 0),
  host: "127.0.0.1",
  logLevel: "silent",
  falQueue: { pollsBeforeInProgress: 1, pollsBeforeCompleted: 2 },
});
mock.onFalImage("fal-ai/ideogram/upscale", {
  image: { url: "https://v3.fal.media/files/bench/upscaled.png" },
});
await mock.start();
console.log(`listening ${mock.port}`);

process.once("SIGTERM", () => {
  void mock.stop().then(() => process.exit(0));
});
