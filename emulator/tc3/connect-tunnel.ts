// The API 3.0 SDK's `httpProfile.proxy` (and env http_proxy) always opens a CONNECT tunnel, even for http://.
// Accepting CONNECT and feeding the tunnelled socket back into the same server lets such a client reach the double
// with its Host header and signature untouched.
import type { Server } from "node:http";
import type { Duplex } from "node:stream";

export function acceptConnectTunnel(server: Server): void {
  server.on("connect", (_req, socket: Duplex, head: Buffer) => {
    socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
    if (head.length > 0) socket.unshift(head);
    server.emit("connection", socket);
  });
}
