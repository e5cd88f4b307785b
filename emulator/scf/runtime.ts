// The local SCF: finds the function a trigger names (namespace, name, qualifier), runs each invocation in a warm or
// new instance (a child process), answers async-run functions at once with the request id, and queues asynchronous
// invocations with the platform's retries (event invoke config retry_num, spaced by `retryDelaysMs`).
import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { LocalDeployment } from "../deployment";
import type { DeployedFunction, DeployedFunctions } from "./deploy";
import { instanceEnvironment, userEnvironment, type RoleCredentials } from "./function-env";
import type { Instance, InstanceOutcome } from "./instance";
import { InstancePool } from "./instance-pool";
import { InvocationLog, type InvocationRecord, type Trigger } from "./invocation-log";
import { ConcurrencyQuota, resourceLimitMessage } from "./concurrency-quota";
import { eventTooLarge } from "./event-limits";
import { RotatingLog } from "./rotating-log";
import { SCF_STATUS, scfError } from "./scf-errors";

export interface ScfRuntimeOptions {
  deployment: LocalDeployment;
  deployed: DeployedFunctions;
  role: RoleCredentials;
  /** "127.0.0.1:<port>" of the API 3.0 server, read at each invocation (the server may start after the runtime). */
  apiEndpoint: () => string;
  /** "127.0.0.1:<port>" of the COS double. */
  cosIp: () => string;
  /** Waits before retry 1, 2, … of a failed asynchronous invocation. @default [60000, 120000] (SCF's documented policy) */
  retryDelaysMs?: number[];
  /** Whether async-run functions get the event invoke config's retries too (see docs/local-cloud.md). @default true */
  retryAsyncRun?: boolean;
  /** Keep each instance's private tmp folder after it ends (debugging). @default false */
  keepTmp?: boolean;
  /** Reclaim an idle warm instance after this long. @default 300000 */
  idleInstanceMs?: number;
  /**
   * Local-only variables added to every instance's environment, read when an instance starts (like `apiEndpoint`):
   * the local cloud allow-lists its own callback sink this way (RECORDER_CALLBACK_HOSTS). @default none
   */
  localEnv?: () => Record<string, string>;
  /**
   * Concurrent invocations per function (SCF's concurrency quota; beyond it: 432 for sync triggers, a wait for async
   * ones). SCF's own quota is 128 000 MB per region, i.e. dozens of 3 GB instances: more than a laptop runs. @default 32
   */
  maxConcurrentPerFunction?: number;
}

/** Concurrent invocations per function in the local cloud unless told otherwise (see ScfRuntimeOptions). */
export const DEFAULT_LOCAL_CONCURRENCY = 32;

export interface InvokeRequest {
  functionName: string;
  namespace?: string;
  qualifier?: string;
  event: unknown;
  trigger: Trigger;
  /** Reuse a request id (the gateway mints it before invoking). */
  requestId?: string;
}

export type SyncResult = { requestId: string; asyncRun: true } | { requestId: string; asyncRun: false; outcome: InstanceOutcome };

/** The function or qualifier a trigger names does not exist. */
export class FunctionLookupError extends Error {
  override name = "FunctionLookupError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface RunningInvocation {
  record: InvocationRecord;
  instance: Instance;
}

export class ScfRuntime {
  readonly log = new InvocationLog();
  private readonly running = new Map<string, RunningInvocation>();
  private readonly pools = new Map<string, InstancePool>();
  private readonly quotas = new Map<string, ConcurrencyQuota>();
  private readonly pending = new Set<Promise<void>>();
  /** Retries waiting for their delay, with the function that ends the wait early (stop()). */
  private readonly retryWaits = new Map<NodeJS.Timeout, () => void>();
  private stopped = false;

  constructor(private readonly opts: ScfRuntimeOptions) {}

  /** The deployed function, or a FunctionLookupError shaped like SCF's (435 / 442). */
  find(name: string, namespace = "default", qualifier = "$LATEST"): DeployedFunction {
    const d = this.opts.deployed.functions.find((f) => f.fn.name === name && f.fn.namespace === namespace);
    if (!d) throw new FunctionLookupError(SCF_STATUS.functionNotFound, "ResourceNotFound.Function", `function ${namespace}/${name} does not exist`);
    if (!d.fn.qualifiers.includes(qualifier)) {
      throw new FunctionLookupError(SCF_STATUS.qualifierNotFound, "ResourceNotFound.Qualifier", `function ${namespace}/${name} has no version or alias ${qualifier} (has: ${d.fn.qualifiers.join(", ")})`);
    }
    return d;
  }

  /** Invocations in flight now (tests kill them to simulate a crash). */
  inFlight(): RunningInvocation[] {
    return [...this.running.values()];
  }

  /**
   * A synchronous trigger (API Gateway, function URL, Invoke RequestResponse). An async-run function answers at once
   * with the request id and runs detached; any other function's outcome is awaited.
   */
  async invokeSync(req: InvokeRequest): Promise<SyncResult> {
    const d = this.find(req.functionName, req.namespace, req.qualifier);
    const requestId = req.requestId ?? randomUUID();
    // SCF refuses an oversized event before anything runs (406): 128 KB for an async-run function, 6 MB otherwise.
    const tooLarge = eventTooLarge(Buffer.byteLength(JSON.stringify(req.event ?? {})), d.fn.asyncRun);
    if (tooLarge) return { requestId, asyncRun: false, outcome: { status: 406, error: scfError(406, requestId, tooLarge), durationMs: 0, maxRssBytes: 0 } };
    if (d.fn.asyncRun) {
      // The caller was answered already; a synchronous trigger is never retried by the platform (scf.md §5).
      this.track(this.runWithRetries(d, req, requestId, 0));
      return { requestId, asyncRun: true };
    }
    // A synchronous trigger over the quota gets SCF's 432 at once, never a queue (and never a gateway 504).
    if (!this.quotaFor(d).tryAcquire()) return { requestId, asyncRun: false, outcome: this.throttled(d, req, requestId) };
    const outcome = await this.runOnce(d, req, requestId, 1, true);
    return { requestId, asyncRun: false, outcome };
  }

  /** An asynchronous invocation (Invoke Event, timer): queued, retried on failure, request id returned at once. */
  invokeAsync(req: InvokeRequest): { requestId: string } {
    const d = this.find(req.functionName, req.namespace, req.qualifier);
    const requestId = req.requestId ?? randomUUID();
    const retries = d.fn.asyncRun && this.opts.retryAsyncRun === false ? 0 : d.fn.asyncRetries;
    this.track(this.runWithRetries(d, req, requestId, retries));
    return { requestId };
  }

  /** Resolves when no invocation is running or waiting for a retry. */
  async idle(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  /** Cancels waiting retries and kills running instances. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const q of this.quotas.values()) q.drain();
    for (const [t, resolve] of this.retryWaits) {
      clearTimeout(t);
      resolve();
    }
    this.retryWaits.clear();
    await Promise.all([...this.pools.values()].map((p) => p.killAll()));
    await Promise.allSettled([...this.pending]);
  }

  private track(p: Promise<void>): void {
    const tracked = p.finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }

  private async runWithRetries(d: DeployedFunction, req: InvokeRequest, requestId: string, retries: number): Promise<void> {
    const delays = this.opts.retryDelaysMs ?? [60_000, 120_000];
    for (let attempt = 1; attempt <= retries + 1 && !this.stopped; attempt++) {
      const outcome = await this.runOnce(d, req, requestId, attempt);
      if (outcome.status === 200 || attempt > retries || this.stopped) return;
      const wait = delays[Math.min(attempt - 1, delays.length - 1)] ?? 0;
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          this.retryWaits.delete(t);
          resolve();
        }, wait);
        this.retryWaits.set(t, resolve);
      });
    }
  }

  private functionVersion(d: DeployedFunction, qualifier: string): string {
    return qualifier === "$LATEST" || !d.fn.qualifiers.includes("1") ? "$LATEST" : "1";
  }

  private poolFor(d: DeployedFunction): InstancePool {
    const key = `${d.fn.namespace}/${d.fn.name}`;
    let pool = this.pools.get(key);
    if (pool) return pool;
    const { deployment, deployed } = this.opts;
    const logFile = join(deployed.stateDir, "logs", `${d.fn.name}.log`);
    mkdirSync(join(deployed.stateDir, "logs"), { recursive: true });
    const fileLog = new RotatingLog(logFile);
    pool = new InstancePool({
      spec: { bootstrapPath: deployed.bootstrapPath, codeDir: d.codeDir, handler: d.fn.handler, memoryMb: d.fn.memoryMb, timeoutSeconds: d.fn.timeoutSeconds },
      envFor: (tmpDir) => ({
        ...instanceEnvironment({
          fn: d.fn,
          mappings: d.mappings,
          region: deployment.region,
          account: deployment.account,
          role: this.opts.role,
          tmpDir,
          apiEndpoint: this.opts.apiEndpoint(),
          cosIp: this.opts.cosIp(),
          functionVersion: this.functionVersion(d, "$DEFAULT"),
        }),
        ...this.opts.localEnv?.(),
      }),
      instancesDir: join(deployed.stateDir, "instances"),
      onLog: (entry, line) => {
        if (entry.record) this.log.line(entry.record, line);
        fileLog.append(`${entry.record?.requestId ?? "-"} ${line}\n`);
      },
      idleMs: this.opts.idleInstanceMs,
      keepTmp: this.opts.keepTmp,
    });
    this.pools.set(key, pool);
    return pool;
  }

  private quotaFor(d: DeployedFunction): ConcurrencyQuota {
    const key = `${d.fn.namespace}/${d.fn.name}`;
    let quota = this.quotas.get(key);
    if (!quota) {
      const limit = this.opts.maxConcurrentPerFunction ?? DEFAULT_LOCAL_CONCURRENCY;
      quota = new ConcurrencyQuota({ limit, maxWaiting: 1000 });
      this.quotas.set(key, quota);
    }
    return quota;
  }

  /** The invocation the quota refused, logged like any other (SCF counts throttled invocations too). */
  private throttled(d: DeployedFunction, req: InvokeRequest, requestId: string): InstanceOutcome {
    const limit = this.opts.maxConcurrentPerFunction ?? DEFAULT_LOCAL_CONCURRENCY;
    const error = scfError(SCF_STATUS.resourceLimit, requestId, resourceLimitMessage(d.fn.name, limit));
    const now = Date.now();
    const record = this.log.begin({ requestId, functionName: d.fn.name, namespace: d.fn.namespace, qualifier: req.qualifier ?? "$LATEST", trigger: req.trigger, attempt: 1, event: "", startedAt: now, logs: [] });
    Object.assign(record, { endedAt: now, durationMs: 0, status: SCF_STATUS.resourceLimit, error });
    this.log.finish(record);
    return { status: SCF_STATUS.resourceLimit, error, durationMs: 0, maxRssBytes: 0 };
  }

  /** `slotHeld`: a synchronous caller took the quota slot already; asynchronous runs wait for one here. */
  private async runOnce(d: DeployedFunction, req: InvokeRequest, requestId: string, attempt: number, slotHeld = false): Promise<InstanceOutcome> {
    const quota = this.quotaFor(d);
    if (!slotHeld && !(await quota.acquire())) return this.throttled(d, req, requestId);
    try {
      return await this.runInstance(d, req, requestId, attempt);
    } finally {
      quota.release();
    }
  }

  private async runInstance(d: DeployedFunction, req: InvokeRequest, requestId: string, attempt: number): Promise<InstanceOutcome> {
    // Late triggers during shutdown (an event retry, a timer) must not start instances nobody will stop.
    if (this.stopped) return { status: 500, error: scfError(500, requestId, "InternalError: the local cloud is stopping"), durationMs: 0, maxRssBytes: 0 };
    const { deployment } = this.opts;
    const qualifier = req.qualifier ?? "$LATEST";
    const version = this.functionVersion(d, qualifier);
    const userEnv = { ...userEnvironment(d.fn, d.mappings), SCF_NAMESPACE: d.fn.namespace };
    const event = JSON.stringify(req.event ?? {});
    const entry = this.poolFor(d).acquire();
    const record: InvocationRecord = {
      requestId,
      functionName: d.fn.name,
      namespace: d.fn.namespace,
      qualifier,
      trigger: req.trigger,
      attempt,
      event,
      startedAt: Date.now(),
      pid: entry.instance.pid,
      logs: [],
    };
    entry.record = record;
    const key = `${requestId}-${attempt}`;
    // In flight before "start" is emitted, and the event goes to the instance only after: a "start" listener that
    // kills the instance kills it before the invocation ran any code (a defined point for crash tests).
    this.running.set(key, { record, instance: entry.instance });
    this.log.begin(record);
    const outcome = await entry.instance.invoke(event, {
      request_id: requestId,
      function_name: d.fn.name,
      function_version: version,
      namespace: d.fn.namespace,
      tencentcloud_region: deployment.region,
      tencentcloud_appid: deployment.account.appId,
      tencentcloud_uin: deployment.account.uin,
      environment: JSON.stringify(userEnv),
      environ: Object.entries(userEnv).map(([k, v]) => `${k}=${v}`).join(";"),
    });
    this.running.delete(key);
    this.poolFor(d).release(entry, outcome.status === 200);
    Object.assign(record, {
      endedAt: Date.now(),
      durationMs: outcome.durationMs,
      initMs: outcome.initMs,
      maxRssBytes: outcome.maxRssBytes,
      status: outcome.status,
    });
    if ("json" in outcome) record.result = JSON.parse(outcome.json) as unknown;
    else record.error = outcome.error;
    this.log.finish(record);
    return outcome;
  }
}
