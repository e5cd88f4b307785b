// The local console: one HTTP server on 127.0.0.1 serving the page (static HTML/CSS and a script bundled with
// esbuild at start, nothing from a CDN) and the admin API under /api. It only answers requests addressed to
// itself (Host check, against DNS rebinding) and refuses cross-site writes (Origin check), because the admin API
// can mint UserSigs and start recordings with the local customer's keys.
import { mkdtempSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import type { LocalCloud } from "../cloud";
import { mediaTools, type MediaTools } from "../media-tools";
import { removeDiscovery, writeDiscovery } from "../admin/discovery";
import { LiveState } from "../admin/live-state";
import { LogQueryService } from "../admin/logs";
import { Recordings } from "../admin/recordings";
import { handleAdmin, sendJson } from "../admin/routes";
import { parseRoomLabel, RoomControl } from "../admin/room-control";
import { deliveryBucket } from "../scenario/record-request";

export interface ConsoleOptions {
  /** Port to try first; when taken (or 0) any free port is used. @default 0 */
  port?: number;
  /** Write the discovery file (`npm run room` reads it) here; false for none. @default false */
  discoveryFile?: string | false;
  /** Media tools for contact sheets. @default mediaTools() */
  tools?: MediaTools;
  /** Room the page shows first. @default "1234" */
  defaultRoom?: string;
}

export interface LocalConsole {
  /** `http://127.0.0.1:<port>/` */
  url: string;
  /** `http://127.0.0.1:<port>/api` */
  adminUrl: string;
  port: number;
  rooms: RoomControl;
  recordings: Recordings;
  close(): Promise<void>;
}

const WEB = join(__dirname, "web");

async function bundleScript(): Promise<string> {
  const out = await build({ entryPoints: [join(WEB, "console.ts")], bundle: true, write: false, format: "iife", target: "es2022", minify: false, legalComments: "none", logLevel: "silent" });
  return out.outputFiles[0].text;
}

async function listen(server: Server, port: number): Promise<number> {
  const attempt = (p: number) =>
    new Promise<number>((resolve, reject) => {
      server.once("error", reject);
      server.listen(p, "127.0.0.1", () => {
        server.off("error", reject);
        const address = server.address();
        resolve(typeof address === "object" && address ? address.port : p);
      });
    });
  if (port === 0) return attempt(0);
  try {
    return await attempt(port);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EADDRINUSE") throw e;
    return attempt(0);
  }
}

export async function startConsole(cloud: LocalCloud, opts: ConsoleOptions = {}): Promise<LocalConsole> {
  const workDir = mkdtempSync(join(tmpdir(), "local-console-"));
  // The caller's bucket the form delivers to exists in the caller's account (as the scenario creates it).
  cloud.cos.createBucket(deliveryBucket(cloud), cloud.deployment.region);
  const rooms = new RoomControl(cloud);
  rooms.defaultRoom = parseRoomLabel(opts.defaultRoom ?? "1234");
  rooms.remember(rooms.defaultRoom);
  const logs = new LogQueryService(cloud);
  const recordings = new Recordings(cloud, opts.tools ?? mediaTools(), workDir, (secret) => logs.masker.register(secret, "secret"));
  const live = new LiveState(cloud, rooms, recordings, logs);
  const [script, html, css] = await Promise.all([bundleScript(), readFile(join(WEB, "index.html"), "utf8"), readFile(join(WEB, "console.css"), "utf8")]);
  const statics: Record<string, { type: string; body: string }> = {
    "/": { type: "text/html; charset=utf-8", body: html },
    "/console.js": { type: "text/javascript; charset=utf-8", body: script },
    "/console.css": { type: "text/css; charset=utf-8", body: css },
  };

  let port = 0;
  const ownHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", `http://127.0.0.1:${port}`);
    if (!ownHosts().has(req.headers.host ?? "")) return sendJson(res, 421, { error: { field: "Host", message: `this console answers only http://127.0.0.1:${port}` } });
    const method = req.method ?? "GET";
    if (method !== "GET" && method !== "HEAD") {
      const origin = req.headers.origin;
      if (origin !== undefined && !ownHosts().has(origin.replace(/^http:\/\//, ""))) return sendJson(res, 403, { error: { field: "Origin", message: "cross-site requests are refused" } });
    }
    if (await handleAdmin({ cloud, rooms, recordings, logs, live }, req, res, url)) return;
    if (url.pathname === "/favicon.ico") {
      res.writeHead(204);
      res.end();
      return;
    }
    const file = statics[url.pathname];
    if (!file || (method !== "GET" && method !== "HEAD")) return sendJson(res, 404, { error: { field: "path", message: `no page ${url.pathname}` } });
    res.writeHead(200, { "Content-Type": file.type, "Content-Length": Buffer.byteLength(file.body), "Cache-Control": "no-store", "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; media-src 'self'; style-src 'self'" });
    res.end(method === "HEAD" ? undefined : file.body);
  };
  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, { error: { field: "(server)", message: "internal error" } });
      else res.end();
    });
  });
  const sockets = new Set<Socket>();
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  port = await listen(server, opts.port ?? 0);
  const url = `http://127.0.0.1:${port}/`;
  const adminUrl = `${url}api`;
  if (opts.discoveryFile) {
    writeDiscovery(opts.discoveryFile, { pid: process.pid, consoleUrl: url, adminUrl, ingressUrl: cloud.ingressUrl, stackName: cloud.deployment.stackName, startedAt: new Date().toISOString() });
  }
  return {
    url,
    adminUrl,
    port,
    rooms,
    recordings,
    async close() {
      live.close();
      if (opts.discoveryFile) removeDiscovery(opts.discoveryFile);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}
