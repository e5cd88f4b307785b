// startLocalCloud: the synthesized stack, served on 127.0.0.1. Loads (and if needed synthesizes) the stack, deploys
// its functions into a state folder, and starts, in dependency order: the SCF runtime, the API Gateway (and any
// function URLs), one API 3.0 server playing TRTC + KMS + SCF (dispatch by Host), the COS double holding the
// stack's buckets, a callback sink, the runtime secrets an operator would provision, and the timer triggers.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startCallbackSink, type CallbackSink } from "../emulator/callback-sink";
import { startCosDouble, type CosDouble } from "../emulator/cos";
import { kmsService, type KmsService } from "../emulator/kms";
import { startTrtcDouble, type TrtcDouble, type TrtcDoubleOptions } from "../emulator/trtc";
import type { StackSummary } from "../tools/synth-summary";
import { newLocalAccount, type LocalAccountKeys } from "./account";
import { startApigw, type ApigwServer } from "../emulator/ingress/apigw-server";
import { startFunctionUrl, type FunctionUrlServer } from "../emulator/ingress/function-url-server";
import { loadStack, type LoadedStack, type LoadStackOptions } from "./load-stack";
import { provisionRuntimeSecrets } from "./runtime-secrets";
import { userSigKeyName } from "../function/secrets/runtime-secrets";
import { deployFunctions } from "../emulator/scf/deploy";
import { userEnvironment } from "../emulator/scf/function-env";
import { scfService } from "../emulator/scf/invoke-api";
import type { InvocationRecord } from "../emulator/scf/invocation-log";
import type { PathMapping } from "../emulator/scf/path-mapping";
import { ScfRuntime } from "../emulator/scf/runtime";
import type { LocalDeployment } from "../emulator/deployment";
import { startTimers, type TimerScheduler } from "./timer/timer-triggers";

export interface LocalCloudOptions extends Omit<LoadStackOptions, "account"> {
  /** Where code, layers, CFS folders, instance tmp dirs and logs live. @default a fresh temp folder, removed by stop() */
  stateDir?: string;
  /** Timer schedule speed-up (the every-minute watchdog fires every 60/speed s). @default 1 */
  speed?: number;
  /** Waits before async retries. @default SCF's 60 s, 120 s divided by `speed` */
  retryDelaysMs?: number[];
  /** Give async-run functions the event invoke config's retries. @default true (see docs/local-cloud.md) */
  retryAsyncRun?: boolean;
  /** The TRTC application the double hosts. @default 1400000001 with a random key */
  sdkAppId?: number;
  /** Extra TRTC double options (event retry policy, chaos, split length). */
  trtc?: Partial<Pick<TrtcDoubleOptions, "eventRetry" | "eventChaos" | "splitEverySeconds" | "keepFinishedTasksMs" | "robotRoomEvents">>;
  /** Keep instance tmp folders (debugging). @default false */
  keepTmp?: boolean;
  /**
   * Serve this deployment instead of reading the synthesized stack: what the real provider applied to the
   * control-plane emulator (`npm run deploy:local`). @default none (the synthesized stack is read)
   */
  applied?: LoadedStack;
}

export interface LocalCloud {
  deployment: LocalDeployment;
  summary: StackSummary;
  /** Whether loading synthesized, and why. */
  synth: { synthesized: boolean; reason: string; ms: number };
  stateDir: string;
  /** The API Gateway's base URL with its stage (`http://127.0.0.1:<port>/release`); undefined without API Gateway routes. */
  ingressUrl?: string;
  functionUrls: FunctionUrlServer[];
  /** Where TRTC posts room and recording events (the stack's trtc_events_url, locally). */
  trtcEventsUrl: string;
  /** "127.0.0.1:<port>" of the API 3.0 server (trtc, kms, scf). */
  apiEndpoint: string;
  account: LocalAccountKeys;
  /** The TRTC application: UserSig key and the console's event callback key (both secret; never printed). */
  trtcApp: { sdkAppId: number; key: string; eventKey: string };
  trtc: TrtcDouble;
  cos: CosDouble;
  kms: KmsService;
  callbackSink: CallbackSink;
  runtime: ScfRuntime;
  /** Every invocation so far (the same array as runtime.log.records; subscribe to runtime.log for events). */
  invocations: InvocationRecord[];
  timers: TimerScheduler;
  /** Container path → local folder, per function. */
  pathMappings: Array<{ functionName: string } & PathMapping>;
  /** Where the runtime secrets were provisioned. */
  secretsLocation: string;
  /** Milliseconds spent: loading/synth, deploying (unzip), starting servers. */
  timings: { loadMs: number; deployMs: number; startMs: number };
  stop(): Promise<void>;
}

function trtcEventsUrl(deployment: LocalDeployment, apigw: ApigwServer | undefined, urls: FunctionUrlServer[]): string {
  const route = deployment.routes.find((r) => r.method === "POST" && r.path.endsWith("/trtc-events"));
  if (route && apigw) return `${apigw.baseUrl(route.stage)}${route.path}`;
  if (urls[0]) return `${urls[0].url}/trtc-events`;
  throw new Error(`${deployment.stackName}: neither an API Gateway route POST …/trtc-events nor a function URL to send TRTC events to`);
}

export async function startLocalCloud(opts: LocalCloudOptions = {}): Promise<LocalCloud> {
  const t0 = Date.now();
  const account = newLocalAccount();
  const loaded = opts.applied ?? (await loadStack({ ...opts, account }));
  const { deployment } = loaded;
  const t1 = Date.now();
  const ownsState = !opts.stateDir;
  const stateDir = opts.stateDir ?? mkdtempSync(join(tmpdir(), "local-cloud-"));
  const cleanups: Array<() => Promise<void> | void> = [];
  const stop = async () => {
    for (const c of cleanups.reverse()) await c();
    cleanups.length = 0;
    if (ownsState) rmSync(stateDir, { recursive: true, force: true });
  };
  try {
    const deployed = await deployFunctions(deployment, stateDir);
    const t2 = Date.now();
    let apiEndpoint = "";
    let cosIp = "";
    let callbackHost = "";
    const speed = opts.speed ?? 1;
    const runtime = new ScfRuntime({
      deployment,
      deployed,
      role: account.role,
      apiEndpoint: () => apiEndpoint,
      cosIp: () => cosIp,
      retryDelaysMs: opts.retryDelaysMs ?? [60_000 / speed, 120_000 / speed],
      retryAsyncRun: opts.retryAsyncRun,
      keepTmp: opts.keepTmp,
      // Callbacks may reach the local cloud's own sink and nothing else on this machine (function/auth/policy.ts).
      localEnv: (): Record<string, string> => (callbackHost ? { RECORDER_CALLBACK_HOSTS: callbackHost } : {}),
    });
    cleanups.push(() => runtime.stop());
    const apigw = deployment.routes.length ? await startApigw({ routes: deployment.routes, runtime, apiKeys: [account.apiKey] }) : undefined;
    if (apigw) cleanups.push(() => apigw.close());
    const functionUrls: FunctionUrlServer[] = [];
    for (const trigger of deployment.functionUrls) {
      const server = await startFunctionUrl(trigger, runtime);
      functionUrls.push(server);
      cleanups.push(() => server.close());
    }

    const cos = await startCosDouble({
      credentials: [account.role, account.customer, account.stagingWriter],
      buckets: deployment.buckets.map((b) => ({ name: b.name, region: b.region })),
    });
    cleanups.push(() => cos.close());
    cosIp = cos.hostPort;
    const callbackSink = await startCallbackSink();
    cleanups.push(() => callbackSink.close());
    callbackHost = new URL(callbackSink.url).host;
    const kms = kmsService({ keys: deployment.kmsKeys.map((k) => k.keyId) });
    const eventKey = randomBytes(16).toString("hex");
    const trtcApp = { sdkAppId: opts.sdkAppId ?? 1400000001, key: randomBytes(32).toString("hex"), eventKey };
    const eventsUrl = trtcEventsUrl(deployment, apigw, functionUrls);
    const trtc = await startTrtcDouble({
      ...opts.trtc,
      credentials: [account.role],
      apps: [{ sdkAppId: trtcApp.sdkAppId, key: trtcApp.key, events: { url: eventsUrl, key: eventKey } }],
      cos: { hostPort: cos.hostPort },
      extraServices: [kms, scfService(() => runtime)],
    });
    cleanups.push(() => trtc.close());
    apiEndpoint = trtc.hostPort;

    const first = deployed.functions[0];
    const secretsLocation = first
      ? await provisionRuntimeSecrets({
          env: userEnvironment(first.fn, first.mappings),
          region: deployment.region,
          role: account.role,
          apiEndpoint,
          cosIp,
          values: {
            "trtc-event-key": eventKey,
            "callback-signing-key": randomBytes(32).toString("hex"),
            "trtc-staging-cos-key": JSON.stringify({ SecretId: account.stagingWriter.secretId, SecretKey: account.stagingWriter.secretKey }),
            "client-api-keys": JSON.stringify([account.clientApiKey]),
            // The TRTC app's SDK secret key: the recorder verifies callers' UserSigs with it.
            [userSigKeyName(trtcApp.sdkAppId)]: trtcApp.key,
          },
        })
      : "(no functions)";
    const timers = startTimers({ timers: deployment.timers, runtime, speed });
    cleanups.push(() => timers.stop());

    return {
      deployment,
      summary: loaded.summary,
      synth: { synthesized: loaded.synthesized, reason: loaded.reason, ms: loaded.synthMs },
      stateDir,
      ingressUrl: apigw?.baseUrl(),
      functionUrls,
      trtcEventsUrl: eventsUrl,
      apiEndpoint,
      account,
      trtcApp,
      trtc,
      cos,
      kms,
      callbackSink,
      runtime,
      invocations: runtime.log.records,
      timers,
      pathMappings: deployed.functions.flatMap((d) => d.mappings.map((m) => ({ functionName: d.fn.name, ...m }))),
      secretsLocation,
      timings: { loadMs: t1 - t0, deployMs: t2 - t1, startMs: Date.now() - t2 },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
