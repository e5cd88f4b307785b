// The simulated cloud around the real recorder code: a COS-like state store and a TRTC cloud-recording control
// plane, each charging a latency on the virtual clock and counting every call per minute. TRTC's frequency limits
// come from the TRTC double (emulator/trtc/rate-limit.ts), so a call over the documented 20/s is answered
// RequestLimitExceeded here exactly as the double (and the real API) answers it.
import type COS from "cos-nodejs-sdk-v5";
import { RateLimiter } from "../../emulator/trtc/rate-limit";
import type { DescribeOutcome, ModifyOutcome, RecordingEngine, StartInput, StartOutcome, StopOutcome } from "../../function/engine/port";
import { MIX_CANVAS } from "../../function/engine/trtc-adapter";
import type { StateStore } from "../../function/state/store";
import type { VirtualClock } from "./virtual-time";

export interface Latencies {
  /** One TRTC API 3.0 call, request to answer. */
  trtcMs: number;
  /** COS GetObject / PutObject / DeleteObject / one GetBucket page, in-region. */
  cosGetMs: number;
  cosPutMs: number;
  cosDeleteMs: number;
  cosListPageMs: number;
  /** SCF Invoke (async) until the invocation starts. */
  invokeMs: number;
}

export const LATENCIES: Latencies = { trtcMs: 80, cosGetMs: 15, cosPutMs: 25, cosDeleteMs: 15, cosListPageMs: 30, invokeMs: 50 };

/** Calls per simulated minute, per name. */
export class MinuteCounter {
  readonly perMinute = new Map<string, Map<number, number>>();
  constructor(private readonly clock: VirtualClock) {}
  add(name: string, n = 1): void {
    const minute = Math.floor(this.clock.now() / 60_000);
    let m = this.perMinute.get(name);
    if (!m) this.perMinute.set(name, (m = new Map()));
    m.set(minute, (m.get(minute) ?? 0) + n);
  }
  total(name: string): number {
    let t = 0;
    for (const v of this.perMinute.get(name)?.values() ?? []) t += v;
    return t;
  }
  peak(name: string): number {
    return Math.max(0, ...(this.perMinute.get(name)?.values() ?? []));
  }
  names(): string[] {
    return [...this.perMinute.keys()].sort();
  }
}

/** Keys grouped by "directory" (up to the last "/"), so a prefix LIST costs what it returns, not the whole store. */
class KeyIndex {
  private readonly files = new Map<string, Set<string>>();
  private readonly subdirs = new Map<string, Set<string>>();
  add(key: string): void {
    const dir = key.slice(0, key.lastIndexOf("/") + 1);
    let set = this.files.get(dir);
    if (!set) {
      this.files.set(dir, (set = new Set()));
      // Register the directory with each ancestor.
      let child = dir;
      while (child !== "") {
        const parent = child.slice(0, child.slice(0, -1).lastIndexOf("/") + 1);
        let subs = this.subdirs.get(parent);
        if (!subs) this.subdirs.set(parent, (subs = new Set()));
        if (subs.has(child)) break;
        subs.add(child);
        child = parent;
      }
    }
    set.add(key);
  }
  delete(key: string): void {
    this.files.get(key.slice(0, key.lastIndexOf("/") + 1))?.delete(key);
  }
  list(prefix: string): string[] {
    const dir = prefix.slice(0, prefix.lastIndexOf("/") + 1);
    const out: string[] = [];
    const walk = (d: string) => {
      for (const k of this.files.get(d) ?? []) if (k.startsWith(prefix)) out.push(k);
      for (const sub of this.subdirs.get(d) ?? []) if (sub.startsWith(prefix) || prefix.startsWith(sub)) walk(sub);
    };
    walk(dir);
    return out.sort();
  }
}

/** The state store as COS would serve it: same semantics as the memory fake, with latency and op counts. */
export function simStateStore(clock: VirtualClock, lat: Latencies, count: MinuteCounter): StateStore & { size(): number; peek(key: string): string | undefined } {
  const objects = new Map<string, Buffer>();
  const index = new KeyIndex();
  const buf = (b: Buffer | string) => (Buffer.isBuffer(b) ? Buffer.from(b) : Buffer.from(b, "utf8"));
  const set = (key: string, body: Buffer | string) => {
    if (!objects.has(key)) index.add(key);
    objects.set(key, buf(body));
  };
  return {
    location: "sim-cos://state/",
    size: () => objects.size,
    peek: (key) => objects.get(key)?.toString("utf8"),
    async get(key) {
      count.add("state GET");
      await clock.sleep(lat.cosGetMs);
      const v = objects.get(key);
      return v ? Buffer.from(v) : undefined;
    },
    async put(key, body) {
      count.add("state PUT");
      await clock.sleep(lat.cosPutMs);
      set(key, body);
    },
    async create(key, body) {
      count.add("state PUT");
      await clock.sleep(lat.cosPutMs);
      if (objects.has(key)) return false;
      set(key, body);
      return true;
    },
    async delete(key) {
      count.add("state DELETE");
      await clock.sleep(lat.cosDeleteMs);
      if (objects.delete(key)) index.delete(key);
    },
    async list(prefix) {
      const keys = index.list(prefix);
      const pages = Math.max(1, Math.ceil(keys.length / 1000));
      count.add("state LIST", pages);
      await clock.sleep(lat.cosListPageMs * pages);
      return keys;
    },
  };
}

/** One cloud-recording task's life as TRTC runs it: recording until `endAt`, uploading (Exited) until `goneAt`. */
export interface SimTask {
  taskId: string;
  sdkAppId: number;
  prefix: string;
  /** The mixed MP4 as TRTC names it when it does not split it: "<SdkAppId>_<RoomId>.mp4". */
  fileName: string;
  startAt: number;
  endAt: number;
  goneAt: number;
}

/**
 * TRTC's control plane for recordings whose length the scenario decides: CreateCloudRecording, Describe (InProgress →
 * Exited → TaskNotExist), Modify, Delete — each through the double's RateLimiter on the virtual clock.
 */
export class SimTrtc {
  readonly limiter: RateLimiter;
  readonly tasks = new Map<string, SimTask>();
  private next = 0;
  /** Decides each new task's length; set by the scenario. */
  plan: (taskId: string, startAt: number, input: StartInput) => { endAt: number; goneAt: number } = (_id, at) => ({ endAt: at + 3_600_000, goneAt: at + 3_620_000 });
  onCreate: (task: SimTask) => void = () => undefined;

  constructor(
    private readonly clock: VirtualClock,
    private readonly lat: Latencies,
    private readonly count: MinuteCounter,
  ) {
    this.limiter = new RateLimiter(clock.now);
  }

  private async call<T>(action: string, fn: () => T): Promise<T | { ok: false; code: string; message: string; retryable: boolean }> {
    await this.clock.sleep(this.lat.trtcMs / 2);
    const admitted = this.limiter.admit(action);
    this.count.add(admitted ? `TRTC ${action}` : `TRTC ${action} (RequestLimitExceeded)`);
    this.count.add(`by ${this.clock.kind() ?? "?"}: TRTC ${action}${admitted ? "" : " (RequestLimitExceeded)"}`);
    await this.clock.sleep(this.lat.trtcMs / 2);
    if (!admitted) return { ok: false, code: "RequestLimitExceeded", message: `${action}: frequency limit`, retryable: true };
    return fn();
  }

  engine(): RecordingEngine {
    return {
      name: "sim-trtc",
      mixCanvas: MIX_CANVAS,
      start: (input) =>
        this.call("CreateCloudRecording", (): StartOutcome => {
          const taskId = `simtask${String(this.next++).padStart(12, "0")}`;
          const startAt = this.clock.now();
          const prefix = [...input.storage.fileNamePrefix, taskId, ""].join("/");
          const room = input.room.kind === "int" ? String(input.room.roomId) : input.room.strRoomId;
          const fileName = `${input.sdkAppId}_${room}.mp4`;
          const task: SimTask = { taskId, sdkAppId: input.sdkAppId, prefix, fileName, startAt, ...this.plan(taskId, startAt, input) };
          this.tasks.set(taskId, task);
          this.onCreate(task);
          return { ok: true, taskId };
        }),
      describe: (_app, taskId) =>
        this.call("DescribeCloudRecording", (): DescribeOutcome => {
          const t = this.tasks.get(taskId);
          const now = this.clock.now();
          if (!t || now >= t.goneAt) return { ok: true, state: "gone", files: [] };
          return { ok: true, state: now < t.endAt ? "in-progress" : "exited", files: [] };
        }),
      modify: (_app, taskId) =>
        this.call("ModifyCloudRecording", (): ModifyOutcome => {
          const t = this.tasks.get(taskId);
          return { ok: true, gone: !t || this.clock.now() >= t.endAt };
        }),
      stop: (_app, taskId) =>
        this.call("DeleteCloudRecording", (): StopOutcome => {
          const t = this.tasks.get(taskId);
          if (t && this.clock.now() < t.endAt) t.endAt = this.clock.now();
          return { ok: true, alreadyGone: !t };
        }),
      outputPrefix: (storage, taskId) => [...storage.fileNamePrefix, taskId, ""].join("/"),
    };
  }

  /** The media file TRTC uploaded for a task once it is gone (what delivery lists in staging). */
  stagedKeys(prefix: string): string[] {
    const now = this.clock.now();
    const out: string[] = [];
    for (const t of this.tasks.values()) if (t.prefix.startsWith(prefix) && now >= t.endAt + 5_000) out.push(`${t.prefix}${t.fileName}`);
    return out;
  }
}

/** Staging and target buckets (COS data plane): listing and the result object, charged and counted. */
export function simBucketCos(clock: VirtualClock, lat: Latencies, count: MinuteCounter, trtc: SimTrtc): COS {
  const byPrefix = (prefix: string) => {
    // Staging prefixes end with "<TaskId>/": look the task up directly instead of scanning all of them.
    const m = /([^/]+)\/$/.exec(prefix);
    const t = m ? trtc.tasks.get(m[1]!) : undefined;
    if (t) return clock.now() >= t.endAt + 5_000 ? [`${t.prefix}${t.fileName}`] : [];
    return trtc.stagedKeys(prefix);
  };
  const cos = {
    async getBucket(p: { Prefix: string }) {
      count.add("bucket LIST");
      await clock.sleep(lat.cosListPageMs);
      return { Contents: byPrefix(p.Prefix).map((Key) => ({ Key })), IsTruncated: "false" };
    },
    async putObject() {
      count.add("bucket PUT");
      await clock.sleep(lat.cosPutMs);
      return {};
    },
  };
  return cos as unknown as COS;
}
