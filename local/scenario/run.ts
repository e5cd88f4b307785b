// Plays a scenario against a running local cloud: anchors join a TRTC room, the client POSTs the seed's request
// through the ingress, the room lives for `seconds` (with scripted joins and leaves), the class ends, and the
// callback arrives. Then the delivered file is copied out of the COS double, with a contact sheet beside it.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import type { ReceivedCallback } from "../../emulator/callback-sink";
import type { LocalCloud } from "../cloud";
import { writeContactSheet, type ContactSheet } from "../contact-sheet";
import type { MediaTools } from "../media-tools";
import { IngressClient } from "./ingress-client";
import type { ScenarioOptions } from "./options";
import type { Printer } from "./printer";
import { deliveryBucket, maskedRequest, recordRequest } from "./record-request";
import { watchCloud } from "./watch";

export interface DeliveredFile {
  url: string;
  bucket: string;
  key: string;
  localPath: string;
  bytes: number;
}

export interface ScenarioResult {
  recordingId: string;
  callback: ReceivedCallback;
  /** The callback body: the seed's result JSON. */
  result: unknown;
  /** GET /recordings/{id} after the callback. */
  status: unknown;
  files: DeliveredFile[];
  contactSheet?: ContactSheet;
  outDir: string;
  /** Epoch ms of the milestones. */
  marks: { posted: number; running: number; classEnded: number; callback: number };
  /** Init duration of the instance that served POST /record. */
  firstInitMs?: number;
}

export class ScenarioError extends Error {
  override name = "ScenarioError";
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** "https://<bucket>.cos.<region>.myqcloud.com/<key>" → bucket and decoded key. */
export function parseCosUrl(url: string): { bucket: string; key: string } {
  const u = new URL(url);
  const bucket = u.hostname.split(".cos.")[0];
  return { bucket, key: u.pathname.replace(/^\//, "").split("/").map(decodeURIComponent).join("/") };
}

function statusOf(reply: { json?: unknown }): string | undefined {
  const s = (reply.json as { status?: unknown } | undefined)?.status;
  return typeof s === "string" ? s : undefined;
}

export async function runScenario(cloud: LocalCloud, s: ScenarioOptions, printer: Printer, tools: MediaTools, verbose = false): Promise<ScenarioResult> {
  const client = new IngressClient(cloud);
  const bucket = deliveryBucket(cloud);
  cloud.cos.createBucket(bucket, cloud.deployment.region);
  const stopWatching = watchCloud(cloud, printer, { bucket, verbose });
  let lastStatus: string | undefined;
  const pollStatus = async (id: string) => {
    const reply = await client.status(id);
    const status = statusOf(reply);
    if (status && status !== lastStatus) {
      printer.line(`recording ${id.slice(0, 8)}… is ${status}`);
      lastStatus = status;
    }
    return reply;
  };
  try {
    const roomLabel = s.strRoomId ? `"${s.strRoomId}"` : String(s.roomId);
    const room = cloud.trtc.room(cloud.trtcApp.sdkAppId, s.strRoomId ?? s.roomId);
    const enter = (userId: string) => {
      room.join(userId);
      const media = room.history().filter((i) => i.userId === userId).pop()?.media;
      printer.line(`room ${roomLabel}: ${userId} joined as anchor (${media?.color ?? "?"}, ${media?.toneHz ?? "?"} Hz tone)`);
    };
    for (let i = 1; i <= s.anchors; i++) enter(`anchor_${i}`);

    const body = recordRequest(cloud, s);
    printer.line(`POST ${client.baseUrl}/record ${JSON.stringify(maskedRequest(body))}`);
    const posted = Date.now();
    const { reply, recordingId } = await client.startRecording(body);
    printer.line(`  → HTTP ${reply.status} ${JSON.stringify(reply.text.slice(0, 120))}${reply.headers.get("x-scf-reqid") ? `, x-scf-reqid: ${reply.headers.get("x-scf-reqid")}` : ""}`);
    if (!recordingId || reply.status >= 300) throw new ScenarioError(`POST /record was refused: HTTP ${reply.status} ${reply.text}`);

    // RUNNING means TRTC's recording robot is in the room; the scripted class starts then.
    const runningBy = Date.now() + 60_000;
    for (;;) {
      const status = statusOf(await pollStatus(recordingId));
      if (status === "RUNNING") break;
      if (status === "FAILED" || status === "FINISHED") throw new ScenarioError(`the recording is ${status} before the class started: ${JSON.stringify((await client.status(recordingId)).json)}`);
      if (Date.now() > runningBy) throw new ScenarioError("the recording was not RUNNING within 60 s");
      await sleep(500);
    }
    const running = Date.now();
    const firstInitMs = cloud.runtime.log.records.find((r) => r.requestId === recordingId)?.initMs;

    for (const e of s.events) {
      const wait = running + e.atSeconds * 1000 - Date.now();
      if (wait > 0) await sleep(wait);
      if (e.action === "join") enter(e.userId);
      else {
        room.leave(e.userId);
        printer.line(`room ${roomLabel}: ${e.userId} left`);
      }
    }
    const remaining = running + s.seconds * 1000 - Date.now();
    if (remaining > 0) await sleep(remaining);

    const classEnded = Date.now();
    if (s.stop === "dismiss") {
      room.dismiss();
      printer.line(`room ${roomLabel} dismissed: the class is over (everyone, the recording robot too, leaves)`);
    } else if (s.stop === "delete") {
      const del = await client.stop(recordingId);
      printer.line(`DELETE /recordings/${recordingId} → HTTP ${del.status} ${del.text}`);
      for (const id of room.anchorIds()) room.leave(id);
    } else {
      for (const id of room.anchorIds()) room.leave(id);
      printer.line(`every anchor left room ${roomLabel}; TRTC stops the recording after MaxIdleTime (300 s)`);
    }

    const deadline = Date.now() + s.callbackTimeoutSeconds * 1000 + (s.stop === "idle" ? 300_000 : 0);
    // Several scenarios may share the sink: ours is the accepted callback naming our room.
    const ours = (c: ReceivedCallback) => {
      const body = (c.json ?? {}) as { RoomId?: unknown; StrRoomId?: unknown };
      return c.status === 200 && (s.strRoomId ? body.StrRoomId === s.strRoomId : body.RoomId === String(s.roomId));
    };
    let callback: ReceivedCallback | undefined;
    while (!callback) {
      callback = cloud.callbackSink.received.find(ours);
      if (callback) break;
      if (Date.now() > deadline) throw new ScenarioError(`no callback within ${Math.round((deadline - classEnded) / 1000)} s of the class ending (status: ${lastStatus ?? "unknown"})`);
      await sleep(250);
      if (Math.floor(Date.now() / 3000) !== Math.floor((Date.now() - 250) / 3000)) await pollStatus(recordingId);
    }
    printer.line(`callback received at ${cloud.callbackSink.url} (HTTP 200 answered)`);
    const status = (await pollStatus(recordingId)).json;

    const outDir = s.outDir ?? mkdtempSync(join(tmpdir(), "trtc-local-recording-"));
    mkdirSync(outDir, { recursive: true });
    const result = callback.json;
    const files: DeliveredFile[] = [];
    const list = ((result as { Files?: Array<{ RecordFile?: string; Status?: number }> } | undefined)?.Files ?? []).filter((f) => f.Status === 1 && f.RecordFile);
    for (const f of list) {
      const { bucket: b, key } = parseCosUrl(f.RecordFile as string);
      const data = cloud.cos.getObjectDirect(b, key);
      if (!data) throw new ScenarioError(`the result names ${f.RecordFile}, but the COS double has no ${b}/${key}`);
      const localPath = join(outDir, basename(key));
      writeFileSync(localPath, data);
      files.push({ url: f.RecordFile as string, bucket: b, key, localPath, bytes: data.length });
    }
    writeFileSync(join(outDir, "result.json"), `${JSON.stringify(result, null, 2)}\n`);
    const contactSheet = files[0] ? await writeContactSheet(files[0].localPath, join(outDir, "contact-sheet.png"), tools) : undefined;
    return { recordingId, callback, result, status, files, contactSheet, outDir, marks: { posted, running, classEnded, callback: callback.at }, firstInitMs };
  } finally {
    stopWatching();
  }
}
