// One function instance = one child process, kept warm between invocations like an SCF instance (one invocation
// at a time; its private /tmp persists while it lives). SCF's limits are enforced from outside: the timeout
// (kill → 433), memory (V8 heap cap plus a watch on the resident size of the whole process tree → 434), a thrown
// error (430), a process that dies without answering (439). Any failure retires the instance, as SCF recycles one.
import { spawn, type ChildProcess } from "node:child_process";
import type { ChildMessage, ContextFields, InvokeMessage } from "./child/protocol";
import { killTree, treeRssBytes } from "./process-tree";
import { SCF_STATUS, scfError, type ScfErrorResult } from "./scf-errors";

export interface InstanceSpec {
  bootstrapPath: string;
  codeDir: string;
  handler: string;
  env: Record<string, string>;
  memoryMb: number;
  timeoutSeconds: number;
  /** How often the resident size is sampled while invoking. @default 100 ms */
  memoryPollMs?: number;
  /** Each line the instance prints (stdout and stderr), attributed to the invocation running then. */
  onLog?: (line: string, stream: "stdout" | "stderr") => void;
}

export interface InstanceMetrics {
  durationMs: number;
  /** Cold start: spawn until the handler module was loaded (SCF's init duration). Undefined for a warm invocation. */
  initMs?: number;
  maxRssBytes: number;
}

export type InstanceOutcome = ({ status: 200; json: string } & InstanceMetrics) | ({ status: number; error: ScfErrorResult } & InstanceMetrics);

function lines(onLine: (line: string) => void): (chunk: Buffer) => void {
  let rest = "";
  return (chunk) => {
    const parts = (rest + chunk.toString("utf8")).split("\n");
    rest = parts.pop() ?? "";
    for (const p of parts) onLine(p);
  };
}

interface Current {
  requestId: string;
  started: number;
  cold: boolean;
  verdict?: { status: number; message: string };
  maxRss: number;
  poll: NodeJS.Timeout;
  timer: NodeJS.Timeout;
  resolve: (o: InstanceOutcome) => void;
}

export class Instance {
  readonly pid: number;
  private readonly child: ChildProcess;
  private readonly spawnedAt = Date.now();
  private loadedAt: number | undefined;
  private current: Current | undefined;
  private stderrTail = "";
  private exited = false;
  private invocations = 0;
  private readonly exitListeners: Array<() => void> = [];

  constructor(private readonly spec: InstanceSpec) {
    this.child = spawn(process.execPath, [`--max-old-space-size=${spec.memoryMb}`, spec.bootstrapPath], {
      cwd: spec.codeDir,
      env: spec.env,
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      // Its own process group, so the timeout and the memory limit kill the ffmpeg it spawned too.
      detached: true,
    });
    this.pid = this.child.pid ?? -1;
    this.child.stdout?.on("data", lines((l) => spec.onLog?.(l, "stdout")));
    this.child.stderr?.on(
      "data",
      lines((l) => {
        this.stderrTail = `${this.stderrTail}\n${l}`.slice(-4000);
        spec.onLog?.(l, "stderr");
      }),
    );
    this.child.on("message", (msg: ChildMessage) => this.onMessage(msg));
    this.child.on("error", (err) => {
      if (this.current) this.current.verdict ??= { status: SCF_STATUS.processExit, message: `could not start the instance: ${err.message}` };
    });
    this.child.on("close", (code, signal) => this.onClose(code, signal));
  }

  get alive(): boolean {
    return !this.exited;
  }

  get busy(): boolean {
    return this.current !== undefined;
  }

  /** Runs one invocation; the instance must be idle. */
  invoke(event: string, context: Omit<ContextFields, "time_limit_in_ms" | "memory_limit_in_mb">): Promise<InstanceOutcome> {
    if (this.current || this.exited) throw new Error(`instance ${this.pid} is ${this.exited ? "gone" : "busy"}`);
    const timeoutMs = this.spec.timeoutSeconds * 1000;
    const started = Date.now();
    const cold = this.invocations++ === 0;
    return new Promise<InstanceOutcome>((resolve) => {
      const current: Current = {
        requestId: context.request_id,
        started,
        cold,
        maxRss: 0,
        resolve,
        poll: setInterval(() => {
          const rss = treeRssBytes(this.pid);
          current.maxRss = Math.max(current.maxRss, rss);
          if (rss > this.spec.memoryMb * 1024 * 1024 && !current.verdict) {
            current.verdict = { status: SCF_STATUS.memoryLimit, message: `Memory limit reached: ${Math.round(rss / 1048576)} MB used of ${this.spec.memoryMb} MB` };
            this.kill();
          }
        }, this.spec.memoryPollMs ?? 100),
        timer: setTimeout(() => {
          if (current.verdict) return;
          current.verdict = { status: SCF_STATUS.timeLimit, message: `Task timed out after ${this.spec.timeoutSeconds} seconds` };
          this.kill();
        }, timeoutMs),
      };
      this.current = current;
      // A sample now, so even an invocation shorter than the poll interval reports its footprint.
      current.maxRss = treeRssBytes(this.pid);
      const msg: InvokeMessage = {
        type: "invoke",
        codeDir: this.spec.codeDir,
        handler: this.spec.handler,
        event,
        context: { ...context, time_limit_in_ms: timeoutMs, memory_limit_in_mb: this.spec.memoryMb },
        deadlineMs: started + timeoutMs,
      };
      this.child.send(msg);
    });
  }

  /** Kills the instance and everything it spawned (a running invocation ends with its verdict, else 439). */
  kill(): void {
    killTree(this.pid);
  }

  /** Called once the process is gone. */
  onExit(listener: () => void): void {
    if (this.exited) listener();
    else this.exitListeners.push(listener);
  }

  private finish(o: { status: 200; json: string } | { status: number; error: ScfErrorResult }): void {
    const c = this.current;
    if (!c) return;
    clearInterval(c.poll);
    clearTimeout(c.timer);
    this.current = undefined;
    const initMs = c.cold && this.loadedAt !== undefined ? this.loadedAt - this.spawnedAt : undefined;
    c.resolve({ ...o, durationMs: Date.now() - c.started, initMs, maxRssBytes: c.maxRss } as InstanceOutcome);
  }

  private fail(status: number, message: string, stack?: string): void {
    const c = this.current;
    if (!c) return;
    this.finish({ status, error: scfError(status, c.requestId, message, stack) });
  }

  private onMessage(msg: ChildMessage): void {
    if (msg.type === "loaded") {
      this.loadedAt ??= Date.now();
      return;
    }
    const c = this.current;
    if (!c || c.verdict) return;
    if (msg.type === "result") return this.finish({ status: 200, json: msg.json });
    // A failed invocation retires the instance (SCF recycles it); the outcome is decided here.
    if (msg.type === "not-serialisable") this.fail(SCF_STATUS.userException, `the return value is not JSON-serialisable: ${msg.message}`);
    else if (msg.kind === "handler-not-found") this.fail(SCF_STATUS.handlerNotFound, `${msg.errorType}: ${msg.message}`);
    // SCF's own words for a thrown error; the error itself is in stackTrace.
    else this.fail(SCF_STATUS.userException, "user code exception caught", msg.stack || `${msg.errorType}: ${msg.message}`);
    this.kill();
  }

  private onClose(code: number | null, signal: NodeJS.Signals | null): void {
    this.exited = true;
    // Whatever it left running (an ffmpeg it forgot) goes with the instance.
    killTree(this.pid);
    const c = this.current;
    if (c) {
      if (c.verdict) this.fail(c.verdict.status, c.verdict.message);
      else if (/JavaScript heap out of memory|Reached heap limit/.test(this.stderrTail)) this.fail(SCF_STATUS.memoryLimit, `Memory limit reached: the V8 heap exceeded ${this.spec.memoryMb} MB`);
      else this.fail(SCF_STATUS.processExit, `User process exit when running (exit code ${code ?? "none"}, signal ${signal ?? "none"})`);
    }
    for (const l of this.exitListeners.splice(0)) l();
  }
}
