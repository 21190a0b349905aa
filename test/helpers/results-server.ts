import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Relay } from "../../src/app.js";

/** Serves the relay's results endpoint on 127.0.0.1 as Probot's server would. */
export async function startResultsServer(relay: Relay): Promise<{ base: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    void relay.resultsHandler(req, res).then((handled) => {
      if (!handled) res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
