/**
 * The floor: a bare node:http server answering every request with one fixed JSON body, shaped
 * like a Freepik task status. Run as a child: `node --import tsx bench/bare-server.ts <port>`;
 * prints `listening <port>` once it accepts connections, stops on SIGTERM.
 */
import { createServer } from "node:http";

const body = Buffer.from(
  JSON.stringify({
    data: {
      task_id: "8d5e6b3a-2f4c-4a1b-9c7d-0e1f2a3b4c5d",
      status: "COMPLETED",
      generated: ["http://127.0.0.1/freepik/cdn/content/mg-upscaler/abcdefghijklmnop.png"],
    },
  }),
);

const server = createServer({ keepAliveTimeout: 5_000 }, (req, res) => {
  // Drain any request body before answering, as a real server must.
  req.resume();
  req.once("end", () => {
    res.writeHead(200, { "content-type": "application/json", "content-length": String(body.length) });
    res.end(body);
  });
});

server.listen(Number(process.argv[2] ?? 0), "127.0.0.1", () => {
  const address = server.address();
  console.log(`listening ${typeof address === "object" && address ? address.port : ""}`);
});

process.once("SIGTERM", () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
