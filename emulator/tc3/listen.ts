// Every double binds 127.0.0.1 on a random port and must close completely: keep-alive agents and CONNECT tunnels
// hold sockets open, so close() destroys the ones still alive instead of waiting for clients to hang up.
import type { Server } from "node:http";
import type { Socket } from "node:net";

export interface Listening {
  port: number;
  /** "127.0.0.1:<port>", the form RECORDER_API_ENDPOINT_OVERRIDE / RECORDER_COS_IP_OVERRIDE take. */
  hostPort: string;
  close(): Promise<void>;
}

/** Binds 127.0.0.1:`port` (0 = a free port chosen by the system). */
export async function listenLocal(server: Server, port = 0): Promise<Listening> {
  const sockets = new Set<Socket>();
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("listenLocal: server has no TCP address");
  const bound = address.port;
  return {
    port: bound,
    hostPort: `127.0.0.1:${bound}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        for (const s of sockets) s.destroy();
      }),
  };
}
