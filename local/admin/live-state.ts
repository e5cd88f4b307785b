// Live updates for the console (server-sent events): one snapshot of rooms and recordings, recomputed when the
// local cloud changes and pushed to every open page, plus each new function log line as it is printed.
// Changes are noticed from the invocation log's events and from counters of what the doubles recorded (room
// actions, TRTC events, callbacks, COS requests); the console's own status reads are not changes.
import type { ServerResponse } from "node:http";
import type { InvocationRecord } from "../../emulator/scf/invocation-log";
import type { LocalCloud } from "../cloud";
import { isConsoleRead } from "./console-read";
import type { LogQueryService } from "./logs";
import { formDefaults, type RecordingView, type Recordings } from "./recordings";
import type { RoomControl, RoomView } from "./room-control";

export interface Snapshot {
  /** Epoch ms the snapshot was taken (the page advances live counters from it). */
  at: number;
  rooms: RoomView[];
  recordings: RecordingView[];
  formDefaults: Record<string, unknown>;
}

/** How often the doubles' counters are compared (cheap: a few array lengths). */
const WATCH_MS = 200;
/** Status of unfinished recordings is re-read at least this often, in case a change went unnoticed. */
const HEARTBEAT_MS = 3_000;

export class LiveState {
  private readonly clients = new Set<ServerResponse>();
  private readonly timer: NodeJS.Timeout;
  private lastFingerprint = "";
  private lastSent = "";
  private dirty = true;
  private running: Promise<void> | undefined;
  private lastRefresh = 0;
  private closed = false;
  private refreshing: Promise<void> = Promise.resolve();
  private cosSeen = 0;
  private cosCounted = 0;
  private readonly ownBuckets: string[];
  private readonly onEnd = (r: InvocationRecord) => {
    if (!isConsoleRead(r)) this.dirty = true;
  };
  private readonly onLog = (r: InvocationRecord, line: string) => {
    if (isConsoleRead(r)) return;
    this.dirty = true;
    this.send("log", this.logs.line(r, r.logs.length - 1, line));
  };

  constructor(
    private readonly cloud: LocalCloud,
    private readonly rooms: RoomControl,
    private readonly recordings: Recordings,
    private readonly logs: LogQueryService,
  ) {
    cloud.runtime.log.on("end", this.onEnd);
    cloud.runtime.log.on("start", this.onEnd);
    cloud.runtime.log.on("log", this.onLog);
    this.ownBuckets = cloud.deployment.buckets.map((b) => b.name);
    this.timer = setInterval(() => this.watch(), WATCH_MS);
    this.timer.unref();
  }

  /** The current snapshot, after re-reading the status of every unfinished recording through the real route. */
  async snapshot(): Promise<Snapshot> {
    await this.refreshStatuses();
    return this.compose();
  }

  /** Opens an event stream: the snapshot at once, then `state` on each change and `log` for each new line. */
  async subscribe(res: ServerResponse): Promise<void> {
    res.writeHead(200, { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-store", Connection: "keep-alive" });
    res.write("retry: 1000\n\n");
    this.clients.add(res);
    res.on("close", () => this.clients.delete(res));
    const snap = await this.snapshot();
    this.write(res, "state", snap);
  }

  /** Ask for a recompute now (after an admin action). */
  touch(): void {
    this.dirty = true;
    this.watch();
  }

  close(): void {
    this.closed = true;
    clearInterval(this.timer);
    this.cloud.runtime.log.off("end", this.onEnd);
    this.cloud.runtime.log.off("start", this.onEnd);
    this.cloud.runtime.log.off("log", this.onLog);
    for (const c of this.clients) c.end();
    this.clients.clear();
  }

  private fingerprint(): string {
    const c = this.cloud;
    const phases = c.trtc.tasks().map((t) => `${t.phase}${t.uploaded.length}`).join(",");
    // Requests to the deployment's own buckets (state, secrets) are left out: the console's status reads make them.
    for (; this.cosSeen < c.cos.requests.length; this.cosSeen++) {
      const host = c.cos.requests[this.cosSeen].host;
      if (!this.ownBuckets.some((b) => host.startsWith(`${b}.`))) this.cosCounted++;
    }
    return [this.rooms.actions, c.trtc.events.emitted.length, c.callbackSink.received.length, this.cosCounted, phases, this.recordings.ids().length].join("|");
  }

  private watch(): void {
    if (this.closed) return;
    const fp = this.fingerprint();
    if (fp !== this.lastFingerprint) {
      this.lastFingerprint = fp;
      this.dirty = true;
    }
    const heartbeat = Date.now() - this.lastRefresh > HEARTBEAT_MS && this.recordings.unfinished().length > 0;
    if ((!this.dirty && !heartbeat) || this.running || this.clients.size === 0) return;
    this.dirty = false;
    this.running = this.push()
      .catch(() => undefined)
      .finally(() => {
        this.running = undefined;
      });
  }

  private async push(): Promise<void> {
    const snap = await this.snapshot();
    const { at: _at, ...rest } = snap;
    const text = JSON.stringify(rest);
    // Running tasks change their recorded seconds on every snapshot; send those too, everything else only on change.
    const live = snap.recordings.some((r) => r.task?.phase === "recording");
    if (text === this.lastSent && !live) return;
    this.lastSent = text;
    this.send("state", snap);
  }

  private async refreshStatuses(): Promise<void> {
    // One round at a time, one read at a time: each read is an invocation of recorder-api, and parallel reads
    // would start extra instances. A caller arriving during a round waits for it and then runs its own.
    const previous = this.refreshing;
    const round = (async () => {
      await previous;
      this.lastRefresh = Date.now();
      for (const id of this.recordings.unfinished()) await this.recordings.refresh(id).catch(() => undefined);
    })();
    this.refreshing = round;
    await round;
  }

  private compose(): Snapshot {
    const rooms = this.rooms.knownRooms().map((a) => this.rooms.view(a));
    const recordings = this.recordings.views();
    return { at: Date.now(), rooms, recordings, formDefaults: formDefaults(this.cloud, this.rooms.defaultRoom) };
  }

  private send(event: string, data: unknown): void {
    for (const c of this.clients) this.write(c, event, data);
  }

  private write(res: ServerResponse, event: string, data: unknown): void {
    if (res.writableEnded) return;
    res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }
}
