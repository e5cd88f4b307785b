// Warm instances of one function: an idle instance serves the next invocation (no cold start, same /tmp), a busy
// one never takes a second; idle instances are reclaimed after `idleMs`, as SCF reclaims them after a while.
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { Instance, type InstanceSpec } from "./instance";
import type { InvocationRecord } from "./invocation-log";

export interface PooledInstance {
  instance: Instance;
  /** The invocation its log lines belong to now. */
  record?: InvocationRecord;
  tmpDir: string;
}

export interface PoolOptions {
  /** The instance spec without env and log routing (added per instance). */
  spec: Omit<InstanceSpec, "env" | "onLog">;
  /** The environment for an instance whose private tmp is `tmpDir`. */
  envFor: (tmpDir: string) => Record<string, string>;
  /** Folder for instance tmp dirs. */
  instancesDir: string;
  onLog: (entry: PooledInstance, line: string) => void;
  /** Reclaim an idle instance after this long. @default 300000 */
  idleMs?: number;
  keepTmp?: boolean;
}

export class InstancePool {
  private readonly idle: PooledInstance[] = [];
  private readonly all = new Set<PooledInstance>();
  private readonly reclaim = new Map<PooledInstance, NodeJS.Timeout>();
  private seq = 0;

  constructor(private readonly opts: PoolOptions) {}

  /** An idle warm instance, or a new (cold) one. */
  acquire(): PooledInstance {
    const warm = this.idle.pop();
    if (warm) {
      clearTimeout(this.reclaim.get(warm));
      this.reclaim.delete(warm);
      if (warm.instance.alive) return warm;
    }
    const tmpDir = join(this.opts.instancesDir, `${process.pid}-${Date.now()}-${this.seq++}`, "tmp");
    mkdirSync(tmpDir, { recursive: true });
    const entry: PooledInstance = { tmpDir } as PooledInstance;
    entry.instance = new Instance({ ...this.opts.spec, env: this.opts.envFor(tmpDir), onLog: (line) => this.opts.onLog(entry, line) });
    this.all.add(entry);
    entry.instance.onExit(() => {
      this.all.delete(entry);
      const i = this.idle.indexOf(entry);
      if (i >= 0) this.idle.splice(i, 1);
      clearTimeout(this.reclaim.get(entry));
      this.reclaim.delete(entry);
      if (!this.opts.keepTmp) rmSync(join(tmpDir, ".."), { recursive: true, force: true });
    });
    return entry;
  }

  /** Back to the pool after a successful invocation; anything else retires the instance. */
  release(entry: PooledInstance, reusable: boolean): void {
    entry.record = undefined;
    if (!reusable || !entry.instance.alive) {
      entry.instance.kill();
      return;
    }
    this.idle.push(entry);
    const t = setTimeout(() => entry.instance.kill(), this.opts.idleMs ?? 300_000);
    t.unref();
    this.reclaim.set(entry, t);
  }

  /** Kills every instance; resolves when all are gone. */
  async killAll(): Promise<void> {
    const gone = [...this.all].map((e) => new Promise<void>((resolve) => e.instance.onExit(resolve)));
    for (const e of this.all) e.instance.kill();
    await Promise.all(gone);
  }

  get size(): number {
    return this.all.size;
  }
}
