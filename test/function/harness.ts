// A recorder wired against the local doubles, the way production wires it: `wireFromEnvironment` reads an
// environment whose RECORDER_API_ENDPOINT_OVERRIDE / RECORDER_COS_IP_OVERRIDE point the real SDKs (TRTC, KMS, SCF,
// COS) at the doubles. Reused by the local cloud and end-to-end tests.
//
//   const h = await startRecorderHarness();             // doubles up, secrets provisioned
//   h.trtc.room(h.app.sdkAppId, 1234).join("alice");    // an anchor publishes
//   await h.recorder(h.apigwPost("/record", h.recordRequest({ RoomId: 1234 })), { requestId: "rec-1" });
//   await h.trtc.advance(60_000);                       // the class goes on (ManualClock)
//   ... DELETE, kick, idle ...; await h.settleTrtc();   // TRTC rendered, uploaded, forgot the task
//   await h.recorder(h.timerEvent());                   // watchdog → queues delivery
//   await h.runQueued();                                // async invocations run
//   (await h.status("rec-1"))?.status === "FINISHED"
//   await h.close();
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startCallbackSink, type CallbackSink } from "../../emulator/callback-sink";
import { startCosDouble, type CosDouble } from "../../emulator/cos";
import { kmsService, type KmsService } from "../../emulator/kms";
import { ManualClock, startTrtcDouble, type EventChaos, type TrtcDouble, type TrtcDoubleOptions } from "../../emulator/trtc";
import { mintUserSig } from "../../emulator/trtc/usersig-mint";
import type { CallbackPolicy } from "../../function/callback/post-result";
import { recorderHandler } from "../../function/entries/recorder";
import { recorderApiHandler, type Ingress } from "../../function/entries/recorder-api";
import type { HttpResponse } from "../../function/events/apigw";
import type { DeliverFn, InvocationContext } from "../../function/recording/deps";
import type { RoomEventHook } from "../../function/roster/on-room-event";
import { userSigKeyName, writeRuntimeSecret } from "../../function/secrets/runtime-secrets";
import { stateKeys } from "../../function/state/keys";
import type { StatusRecord } from "../../function/state/status-record";
import { wireFromEnvironment, type Env, type Wiring } from "../../function/wiring";
import { startHttpFront, type HttpFront } from "./http-front";
import { scfInvokeService, type QueuedInvocation, type ScfInvokeService } from "./scf-invoke-service";

export interface HarnessOptions {
  /** `function-url` makes recorder-api take POST /record (validate, 202, async start). @default "apigw" */
  ingress?: Ingress;
  /** Where the recorder keeps state: the COS state bucket, or a temp dir as CFS_PATH. @default "cos" */
  stateStore?: "cos" | "cfs";
  /** The delivery stage. Required: the real one (function/delivery/deliver) or a scripted stand-in. */
  deliver: DeliverFn;
  /**
   * The unversioned bucket for claims, leases and the event log (RECORDER_LOCK_BUCKET). Without it they go to the
   * state bucket, which is versioned as the stack creates it, so exclusive creates are refused. @default true
   */
  lockBucket?: boolean;
  /** Configure the deployment-owned staging bucket (RECORDER_STAGING_BUCKET). @default true */
  stagingBucket?: boolean;
  /** Which runtime secrets the operator provisioned. @default all of them */
  provision?: { callbackSigningKey?: boolean; trtcEventKey?: boolean; stagingCosKey?: boolean; userSigKey?: boolean };
  /** TRTC sends room/recording events to recorder-api's /trtc-events (through an HTTP front). @default false */
  trtcEvents?: boolean;
  /** What the at-least-once webhook does to those events (duplicates, reordering, drops). @default none */
  trtcEventChaos?: EventChaos;
  /** Callback retry policy (sleeps are instant in the harness and recorded in `sleeps`). @default 3 attempts */
  callbackPolicy?: CallbackPolicy;
  /** Extra or replaced environment variables. */
  env?: Env;
  onRoomEvent?: RoomEventHook;
  /** TRTC double behaviours a test needs (split files, late uploads, …). @default none */
  trtcOptions?: Partial<Pick<TrtcDoubleOptions, "splitEverySeconds" | "lateUploads" | "keepFinishedTasksMs" | "modifyLatencyMs" | "duringCreate" | "faults">>;
}

/** Fixed identities of the harness's world. Secrets are synthetic test values. */
export const HARNESS = {
  sdkAppId: 1400000001,
  appKey: "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e",
  region: "ap-guangzhou",
  buckets: { state: "recorder-state-1250000000", locks: "recorder-locks-1250000000", staging: "recorder-staging-1250000000", caller: "caller-media-1250000000" },
  role: { secretId: "AKIDroleTEMP00000000000000000000000001", secretKey: "role-temp-secret-key-000000000001", token: "role-session-token-00000000000000000000000001" },
  callerKeys: { secretId: "AKIDcallerKEY000000000000000000000001", secretKey: "caller-cos-secret-key-0000000000001" },
  stagingKeys: { secretId: "AKIDstagingSUB0000000000000000000001", secretKey: "staging-sub-account-secret-000001" },
  secrets: { callbackSigningKey: "callback-signing-key-000000000000001", trtcEventKey: "TrtcEventKey0000000000000001" },
  kmsKeyId: "2b1f5a3e-0000-4000-8000-000000000001",
  functionName: "recorder",
  namespace: "default",
  /** The alias the stack points every trigger at (RECORDER_QUALIFIER). */
  qualifier: "live",
} as const;

export interface InvokeOptions {
  /** SCF request id (for a start: the recording id). @default a fresh uuid */
  requestId?: string;
  /** What getRemainingTimeInMillis answers. @default 900 000 */
  remainingMs?: number;
}

export interface RecorderHarness {
  /** The environment the recorder was wired from (what the local cloud would set on the function). */
  readonly env: Env;
  readonly trtc: TrtcDouble;
  readonly cos: CosDouble;
  readonly sink: CallbackSink;
  readonly kms: KmsService;
  readonly scf: ScfInvokeService;
  /** Every log line the recorder wrote (JSON text). */
  readonly logs: string[];
  /** Every sleep the recorder asked for (callback backoff), in ms. */
  readonly sleeps: number[];
  /** Base URL of recorder-api's HTTP front (only with `trtcEvents`). */
  readonly apiUrl: string | undefined;
  /** The CFS_PATH temp dir (only with `stateStore: "cfs"`). */
  readonly cfsPath: string | undefined;
  userSig(userId: string): string;
  /** A valid seed request body; `over` replaces fields, `cos` merges into CosConfig. */
  recordRequest(over?: Record<string, unknown>, cos?: Record<string, unknown>): Record<string, unknown>;
  apigwPost(path: string, body: unknown): Record<string, unknown>;
  apigwRequest(method: string, path: string, body?: string, headers?: Record<string, string>): Record<string, unknown>;
  timerEvent(): Record<string, unknown>;
  /** Runs `index.recorder`'s logic with this environment (fresh wiring, like a real invocation). */
  recorder(event: unknown, opts?: InvokeOptions): Promise<unknown>;
  /** Runs `index.recorderApi`'s logic with this environment. */
  recorderApi(event: unknown, opts?: InvokeOptions): Promise<HttpResponse>;
  /**
   * Lets TRTC finish: waits until stopped tasks rendered, uploaded and sent their callbacks, then moves room time
   * on a second so Describe answers as for a task that is gone (TRTC forgets a task once its upload is done).
   */
  settleTrtc(): Promise<void>;
  /** Runs queued async invocations (and those they queue) until none is left; returns what each returned. */
  runQueued(max?: number): Promise<Array<{ invocation: QueuedInvocation; result: unknown }>>;
  /** The stored status record (straight from the state store, not through the API). */
  record(recordingId: string): Promise<StatusRecord | undefined>;
  /** Keys in the state store under `prefix`. */
  stateKeys(prefix: string): Promise<string[]>;
  /** A fresh wiring (for tests that need the store or the logger directly). */
  wire(): Wiring;
  close(): Promise<void>;
}

export async function startRecorderHarness(opts: HarnessOptions): Promise<RecorderHarness> {
  const H = HARNESS;
  const provision = { callbackSigningKey: true, trtcEventKey: true, stagingCosKey: true, userSigKey: true, ...opts.provision };
  const cos = await startCosDouble({
    credentials: [H.role, H.callerKeys, H.stagingKeys],
    // The state bucket is versioned, as infra/constructs/recorder-buckets.ts creates it; the lock bucket never is.
    buckets: Object.values(H.buckets).map((name) => ({ name, region: H.region, versioning: name === H.buckets.state ? ("Enabled" as const) : undefined })),
  });
  const kms = kmsService({ keys: [H.kmsKeyId] });
  const scf = scfInvokeService({ functionName: H.functionName, namespace: H.namespace, qualifiers: ["$LATEST", H.qualifier] });
  const sink = await startCallbackSink();
  const logs: string[] = [];
  const sleeps: number[] = [];
  const cfsPath = opts.stateStore === "cfs" ? await mkdtemp(join(tmpdir(), "recorder-cfs-")) : undefined;
  let front: HttpFront | undefined;
  // Events need recorder-api's address before TRTC starts; the handler is bound once `harness` exists.
  const api: { handle?: (event: unknown) => Promise<HttpResponse> } = {};
  if (opts.trtcEvents) front = await startHttpFront((event) => (api.handle ? api.handle(event) : Promise.reject(new Error("harness not ready"))));
  const trtc = await startTrtcDouble({
    credentials: [H.role],
    apps: [{ sdkAppId: H.sdkAppId, key: H.appKey }],
    cos: { hostPort: cos.hostPort },
    // Room time starts now so event times and record times compare; tests move it with trtc.advance().
    clock: new ManualClock(Date.now()),
    extraServices: [kms, scf],
    events: front ? { url: `${front.baseUrl}/trtc-events`, key: H.secrets.trtcEventKey } : undefined,
    eventRetry: { intervalMs: 50, giveUpAfterMs: 500, timeoutMs: 5000 },
    eventChaos: opts.trtcEventChaos,
    ...opts.trtcOptions,
  });

  const env: Env = {
    TENCENTCLOUD_SECRETID: H.role.secretId,
    TENCENTCLOUD_SECRETKEY: H.role.secretKey,
    TENCENTCLOUD_SESSIONTOKEN: H.role.token,
    TENCENTCLOUD_REGION: H.region,
    RECORDER_KMS_KEY_ID: H.kmsKeyId,
    RECORDER_FUNCTION_NAME: H.functionName,
    RECORDER_NAMESPACE: H.namespace,
    RECORDER_QUALIFIER: H.qualifier,
    RECORDER_INGRESS: opts.ingress ?? "apigw",
    RECORDER_SECRETS_PREFIX: "secrets/",
    // The recorder here runs on the wall clock, which tests cannot move: the watchdog describes every RUNNING
    // recording on every tick (check interval 0) so "TRTC ended and no event came" is found at the next tick.
    RECORDER_WATCHDOG_CHECK_SECONDS: "0",
    RECORDER_API_ENDPOINT_OVERRIDE: trtc.hostPort,
    RECORDER_COS_IP_OVERRIDE: cos.hostPort,
    FFMPEG_PATH: join(process.cwd(), "node_modules/@ffmpeg-installer/linux-x64/ffmpeg"),
    ...(cfsPath ? { CFS_PATH: cfsPath } : { RECORDER_STATE_BUCKET: H.buckets.state, RECORDER_STATE_REGION: H.region }),
    // The callback sink is on loopback: allow-listed, as the local cloud allow-lists its own sink.
    RECORDER_CALLBACK_HOSTS: new URL(sink.url).host,
    ...(cfsPath || opts.lockBucket === false ? {} : { RECORDER_LOCK_BUCKET: H.buckets.locks, RECORDER_LOCK_REGION: H.region }),
    ...(opts.stagingBucket === false ? {} : { RECORDER_STAGING_BUCKET: H.buckets.staging, RECORDER_STAGING_REGION: H.region }),
    // The role delivers only to allow-listed buckets (function/auth/storage-reach.ts): the caller bucket here.
    RECORDER_ROLE_BUCKETS: H.buckets.caller,
    ...opts.env,
  };

  const wire = () =>
    wireFromEnvironment(env, {
      sink: (line) => logs.push(line),
      deliver: opts.deliver,
      clock: { now: () => Date.now(), sleep: async (ms) => void sleeps.push(ms) },
      callback: { fetch, policy: opts.callbackPolicy ?? { attempts: 3, baseDelayMs: 1000, timeoutMs: 5000 } },
      onRoomEvent: opts.onRoomEvent,
    });
  const context = (o: InvokeOptions = {}): InvocationContext => {
    const remaining = o.remainingMs ?? 900_000;
    return { requestId: o.requestId ?? randomUUID(), remainingMs: () => remaining };
  };
  const recorder = async (event: unknown, o?: InvokeOptions) => {
    const w = wire();
    return recorderHandler(w.recorder, w.log)(event, context(o));
  };
  const recorderApi = async (event: unknown, o?: InvokeOptions) => {
    const w = wire();
    return recorderApiHandler(w.recorder, w.log, w.ingress)(event, context(o));
  };
  api.handle = recorderApi;

  // The operator's provisioning step: runtime secrets, envelope-encrypted with the stack's KMS key.
  const setup = wire();
  const seal = (name: Parameters<typeof writeRuntimeSecret>[4], value: string) =>
    writeRuntimeSecret(setup.deps.state, setup.deps.kms, H.kmsKeyId, "secrets/", name, value);
  if (provision.callbackSigningKey) await seal("callback-signing-key", H.secrets.callbackSigningKey);
  if (provision.trtcEventKey) await seal("trtc-event-key", H.secrets.trtcEventKey);
  if (provision.stagingCosKey) await seal("trtc-staging-cos-key", JSON.stringify({ SecretId: H.stagingKeys.secretId, SecretKey: H.stagingKeys.secretKey }));
  // UserSigs are verified against the app's key (security policy default), so the operator provisions it.
  if (provision.userSigKey) await seal(userSigKeyName(H.sdkAppId), H.appKey);

  const apigwRequest = (method: string, path: string, body = "", headers: Record<string, string> = {}) => ({
    requestContext: { serviceId: "service-harness", path, httpMethod: method, requestId: randomUUID(), identity: {}, sourceIp: "127.0.0.1", stage: "release" },
    headers: { host: "service-harness.gz.apigw.tencentcs.com", "content-type": "application/json", ...headers },
    body,
    path,
    queryString: {},
    httpMethod: method,
    isBase64Encoded: false,
  });

  return {
    env,
    trtc,
    cos,
    sink,
    kms,
    scf,
    logs,
    sleeps,
    apiUrl: front?.baseUrl,
    cfsPath,
    userSig: (userId) => mintUserSig(H.sdkAppId, H.appKey, userId),
    recordRequest(over = {}, cosOver = {}) {
      const userId = typeof over.UserId === "string" ? over.UserId : "recorder_1";
      return {
        SdkAppId: H.sdkAppId,
        RoomId: 1234,
        UserId: userId,
        UserSig: mintUserSig(H.sdkAppId, H.appKey, userId),
        CosConfig: { Region: H.region, Bucket: H.buckets.caller, Path: "/classes", ...cosOver },
        Callback: sink.url,
        ...over,
      };
    },
    apigwPost: (path, body) => apigwRequest("POST", path, typeof body === "string" ? body : JSON.stringify(body)),
    apigwRequest,
    timerEvent: () => ({ Type: "Timer", TriggerName: "watchdog", Time: new Date().toISOString(), Message: "" }),
    recorder,
    recorderApi,
    async settleTrtc() {
      await trtc.idle();
      await trtc.advance(1000);
    },
    async runQueued(max = 50) {
      const results: Array<{ invocation: QueuedInvocation; result: unknown }> = [];
      while (scf.queue.length > 0) {
        if (results.length >= max) throw new Error(`runQueued: more than ${max} invocations; a loop?`);
        const invocation = scf.queue.shift() as QueuedInvocation;
        results.push({ invocation, result: await recorder(invocation.event, { requestId: invocation.requestId }) });
      }
      return results;
    },
    async record(recordingId) {
      const body = await setup.deps.state.get(stateKeys.record(recordingId));
      return body ? (JSON.parse(body.toString("utf8")) as StatusRecord) : undefined;
    },
    stateKeys: (prefix) => setup.deps.state.list(prefix),
    wire,
    async close() {
      await trtc.close();
      await front?.close();
      await sink.close().catch(() => undefined);
      await cos.close();
      if (cfsPath) await rm(cfsPath, { recursive: true, force: true });
    },
  };
}
