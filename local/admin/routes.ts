// The admin API of a running local cloud (JSON over HTTP on 127.0.0.1, under /api): room control, recordings
// (start through the real route, status, files, contact sheet), log query and the live event stream. The console
// page and `npm run room` are its clients; tests drive it with plain fetch.
//
//   GET    /api/stack                           the deployed stack
//   GET    /api/state                           rooms + recordings (one snapshot); GET /api/events streams it (SSE)
//   GET    /api/rooms/{room}                    room label: 1234 or str:<StrRoomId> (URL-encoded)
//   POST   /api/rooms/{room}/join               {userId, color?, tone?, role?}
//   POST   /api/rooms/{room}/leave | rejoin     {userId}
//   POST   /api/rooms/{room}/role               {userId, role: "anchor" | "audience"}
//   POST   /api/rooms/{room}/dismiss
//   GET    /api/recordings[/{id}]               views with live status, roster as applied, files, callback
//   POST   /api/recordings[?force=1]            the console form → POST /record; 400 {errors} as the API words them
//   POST   /api/recordings/validate             {errors} for a form, without sending it
//   DELETE /api/recordings/{id}                 DELETE /recordings/{id}
//   GET    /api/recordings/{id}/files/{n}       the delivered file (Range supported)
//   GET    /api/recordings/{id}/contact-sheet.png
//   GET    /api/logs?recordingId=&function=&consoleReads=1&limit=
import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { readBody } from "../../emulator/tc3/read-body";
import type { LocalCloud } from "../cloud";
import type { LiveState } from "./live-state";
import type { LogQueryService } from "./logs";
import { formDefaults, validateForm, type RecordingForm, type Recordings } from "./recordings";
import { AdminError, parseRoomLabel, type RoomControl } from "./room-control";
import { stackView } from "./stack-view";

export interface AdminDeps {
  cloud: LocalCloud;
  rooms: RoomControl;
  recordings: Recordings;
  logs: LogQueryService;
  live: LiveState;
}

/** Answers JSON; true, so a route can `return sendJson(…)`. */
export function sendJson(res: ServerResponse, status: number, value: unknown): true {
  const text = JSON.stringify(value);
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(text), "Cache-Control": "no-store" });
  res.end(text);
  return true;
}

async function jsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const raw = (await readBody(req)).toString("utf8");
  if (raw.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new AdminError(400, { field: "(body)", message: `expected a JSON object, got text that is not JSON (${Buffer.byteLength(raw)} bytes)` });
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new AdminError(400, { field: "(body)", message: "expected a JSON object" });
  return value as Record<string, unknown>;
}

/** Serves bytes honouring a single `Range: bytes=a-b`, so a <video> element can read the index and seek. */
function sendMedia(req: IncomingMessage, res: ServerResponse, data: Buffer, type: string): void {
  const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? "");
  const headers = { "Content-Type": type, "Accept-Ranges": "bytes", "Cache-Control": "no-store" };
  if (!range || (range[1] === "" && range[2] === "")) {
    res.writeHead(200, { ...headers, "Content-Length": data.length });
    res.end(data);
    return;
  }
  let start = range[1] === "" ? data.length - Number(range[2]) : Number(range[1]);
  let end = range[1] === "" || range[2] === "" ? data.length - 1 : Number(range[2]);
  start = Math.max(0, start);
  end = Math.min(end, data.length - 1);
  if (start > end || start >= data.length) {
    res.writeHead(416, { ...headers, "Content-Range": `bytes */${data.length}` });
    res.end();
    return;
  }
  res.writeHead(206, { ...headers, "Content-Length": end - start + 1, "Content-Range": `bytes ${start}-${end}/${data.length}` });
  res.end(data.subarray(start, end + 1));
}

function notFound(what: string): AdminError {
  return new AdminError(404, { field: "path", message: what });
}

/** Handles /api/*; false when the path is not an admin route. */
export async function handleAdmin(deps: AdminDeps, req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
  const { rooms, recordings, logs, live } = deps;
  const path = url.pathname;
  if (!path.startsWith("/api/")) return false;
  const method = req.method ?? "GET";
  try {
    if (method === "GET" && path === "/api/stack") return sendJson(res, 200, stackView(deps.cloud));
    if (method === "GET" && path === "/api/state") return sendJson(res, 200, await live.snapshot());
    if (method === "GET" && path === "/api/events") {
      await live.subscribe(res);
      return true;
    }
    if (method === "GET" && path === "/api/form-defaults") return sendJson(res, 200, formDefaults(deps.cloud, rooms.defaultRoom));
    if (method === "GET" && path === "/api/rooms") return sendJson(res, 200, { rooms: rooms.knownRooms().map((a) => rooms.view(a)) });

    const room = /^\/api\/rooms\/([^/]+)(?:\/(join|leave|rejoin|role|dismiss))?$/.exec(path);
    if (room) {
      let label: string;
      try {
        label = decodeURIComponent(room[1]);
      } catch {
        throw new AdminError(400, { field: "room", message: "the room in the path is not valid URL encoding" });
      }
      const address = parseRoomLabel(label);
      const action = room[2];
      if (!action && method === "GET") {
        // A room someone looked at stays in the live snapshot, so the page keeps showing it as it changes.
        rooms.remember(address);
        return sendJson(res, 200, rooms.view(address));
      }
      if (!action || method !== "POST") throw new AdminError(404, { field: "path", message: `use GET /api/rooms/{room} or POST /api/rooms/{room}/join|leave|rejoin|role|dismiss` });
      const body = await jsonBody(req);
      const view =
        action === "join"
          ? rooms.join(address, { userId: body.userId, color: body.color, tone: body.tone, role: body.role })
          : action === "leave"
            ? rooms.leave(address, { userId: body.userId })
            : action === "rejoin"
              ? rooms.rejoin(address, { userId: body.userId, role: body.role })
              : action === "role"
                ? rooms.setRole(address, { userId: body.userId, role: body.role })
                : rooms.dismiss(address);
      live.touch();
      return sendJson(res, 200, view);
    }

    if (path === "/api/recordings" && method === "GET") {
      await live.snapshot();
      return sendJson(res, 200, { recordings: recordings.views() });
    }
    if (path === "/api/recordings/validate" && method === "POST") {
      return sendJson(res, 200, { errors: validateForm(deps.cloud, (await jsonBody(req)) as RecordingForm) });
    }
    if (path === "/api/recordings" && method === "POST") {
      const body = await jsonBody(req);
      const force = url.searchParams.get("force") === "1" || body.force === true;
      const started = await recordings.start(body as RecordingForm, force);
      if (started.ok) {
        const roomLabel = typeof body.StrRoomId === "string" && body.StrRoomId ? `str:${body.StrRoomId}` : String(body.RoomId ?? "");
        try {
          rooms.remember(parseRoomLabel(roomLabel));
        } catch {
          // A room the contract refuses was reported in the recording's errors; nothing to show for it.
        }
      }
      live.touch();
      return sendJson(res, started.ok ? 202 : 400, started);
    }

    const rec = /^\/api\/recordings\/([^/]+)(?:\/(files\/(\d+)|contact-sheet\.png))?$/.exec(path);
    if (rec) {
      const id = decodeURIComponent(rec[1]);
      if (!recordings.has(id)) throw notFound(`no recording ${JSON.stringify(id)} in this local cloud`);
      if (!rec[2] && method === "GET") {
        await recordings.refresh(id);
        return sendJson(res, 200, recordings.view(id));
      }
      if (!rec[2] && method === "DELETE") {
        const stopped = await recordings.stop(id);
        live.touch();
        return sendJson(res, stopped.httpStatus, stopped.body);
      }
      if (rec[3] !== undefined && method === "GET") {
        const got = recordings.fileBytes(id, Number(rec[3]));
        if (!got) throw notFound(`recording ${id} has no delivered file #${rec[3]} (yet)`);
        sendMedia(req, res, got.data, got.file.kind === "audio" ? "audio/mpeg" : "video/mp4");
        return true;
      }
      if (rec[2] === "contact-sheet.png" && method === "GET") {
        const sheet = recordings.contactSheet(id);
        if (!sheet) throw notFound(`recording ${id} has no delivered file (yet)`);
        const png = await readFile(await sheet);
        res.writeHead(200, { "Content-Type": "image/png", "Content-Length": png.length, "Cache-Control": "no-store" });
        res.end(png);
        return true;
      }
    }

    if (path === "/api/logs" && method === "GET") {
      const q = {
        recordingId: url.searchParams.get("recordingId") || undefined,
        functionName: url.searchParams.get("function") || undefined,
        consoleReads: url.searchParams.get("consoleReads") === "1",
        limit: url.searchParams.has("limit") ? Math.max(1, Math.min(5000, Number(url.searchParams.get("limit")) || 500)) : undefined,
      };
      return sendJson(res, 200, { lines: logs.lines(q), invocations: logs.invocations(q) });
    }
    throw notFound(`no admin route ${method} ${path}`);
  } catch (err) {
    if (res.headersSent) {
      res.end();
      return true;
    }
    if (err instanceof AdminError) return sendJson(res, err.status, { error: err.error });
    return sendJson(res, 500, { error: { field: "(server)", message: logs.masker.scrubText(err instanceof Error ? err.message : String(err)) } });
  }
}
