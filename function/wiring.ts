// The one place that turns the function's environment into a recorder: SDK clients, stores, secrets, logger.
// Local/test overrides (never set in a cloud environment) reroute the same SDK calls to the local doubles:
// RECORDER_API_ENDPOINT_OVERRIDE keeps each API 3.0 client's real endpoint name (so Host and the signing scope are
// the real service) and only sends its sockets to host:port; RECORDER_COS_IP_OVERRIDE is cos-nodejs-sdk-v5's `Ip`.
import { randomUUID } from "node:crypto";
import { Agent } from "node:http";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import COS from "cos-nodejs-sdk-v5";
import type { ClientConfig } from "tencentcloud-sdk-nodejs/tencentcloud/common/interface";
import { securityFromEnv, securityOf } from "./auth/policy";
import { guardedFetch } from "./callback/guarded-fetch";
import { deliver as realDeliver } from "./delivery/deliver";
import { createTrtcEngine } from "./engine/trtc-adapter";
import { trtcRecordingRegion } from "./engine/trtc-region";
import type { Ingress } from "./entries/recorder-api";
import { parseClientAuthMode, parseClientKeys, type ClientAuth, type ClientAuthMode } from "./entries/client-auth";
import { createScfInvoker } from "./invoke/scf-invoker";
import { createLogger, type LogSink, type Logger } from "./log/logger";
import { createMasker } from "./log/mask";
import { DEFAULT_CONFIG, type CosFactory, type Invoker, type RecorderConfig, type RecorderDeps } from "./recording/deps";
import { createRecorder, type Recorder } from "./recording/recorder";
import { createKmsPort } from "./secrets/kms-adapter";
import { createRuntimeSecrets } from "./secrets/runtime-secrets";
import { createCosStore } from "./state/cos-store";
import { routeExclusiveKeys } from "./state/exclusive-store";
import { createFsStore } from "./state/fs-store";
import type { StateStore } from "./state/store";

export type Env = Record<string, string | undefined>;

/** A problem with the environment, named like the variable and the fix. */
export class WiringError extends Error {
  override name = "WiringError";
}

export interface Wiring {
  recorder: Recorder;
  log: Logger;
  ingress: Ingress;
  clientAuth: ClientAuth;
  deps: RecorderDeps;
}

/** Replaceable parts for tests and the local cloud; everything else comes from the environment. */
export type WiringOverrides = Partial<Pick<RecorderDeps, "deliver" | "clock" | "callback" | "onRoomEvent">> & {
  /** Where log lines go. @default stdout */
  sink?: LogSink;
  /** Fields on every log line (e.g. `{ fn: "recorder" }`). */
  logFields?: Record<string, unknown>;
};

function required(env: Env, name: string, hint: string): string {
  const v = env[name];
  if (v === undefined || v === "") throw new WiringError(`${name} is not set: ${hint}`);
  return v;
}

function hostPort(value: string, name: string): { host: string; port: number } {
  const m = /^([^:\s]+):(\d{1,5})$/.exec(value);
  if (!m) throw new WiringError(`${name} must be "<host>:<port>" (got ${JSON.stringify(value)})`);
  return { host: m[1], port: Number(m[2]) };
}

function roleCredentials(env: Env): { secretId: string; secretKey: string; token?: string } {
  const secretId = required(env, "TENCENTCLOUD_SECRETID", "SCF injects the execution role's keys; is a role attached?");
  const secretKey = required(env, "TENCENTCLOUD_SECRETKEY", "SCF injects the execution role's keys; is a role attached?");
  const token = env.TENCENTCLOUD_SESSIONTOKEN;
  return token ? { secretId, secretKey, token } : { secretId, secretKey };
}

/** API 3.0 client config for `service` (trtc, kms, scf), rerouted when RECORDER_API_ENDPOINT_OVERRIDE is set. */
export function tc3ClientConfig(env: Env, service: "trtc" | "kms" | "scf", agent: Agent | undefined): ClientConfig {
  const endpoint = `${service}.tencentcloudapi.com`;
  const httpProfile = agent ? { endpoint, protocol: "http://", agent, reqTimeout: 30 } : { endpoint, reqTimeout: 30 };
  return { credential: roleCredentials(env), region: service === "trtc" ? trtcRegion(env) : env.TENCENTCLOUD_REGION || "ap-guangzhou", profile: { httpProfile } };
}

/** The API region of TRTC cloud recording (trtc-region.ts); throws WiringError naming RECORDER_TRTC_REGION. */
export function trtcRegion(env: Env): string {
  const choice = trtcRecordingRegion(env.RECORDER_TRTC_REGION, env.TENCENTCLOUD_REGION);
  if (!choice.ok) throw new WiringError(choice.message);
  return choice.region;
}

function overrideAgent(env: Env): Agent | undefined {
  const value = env.RECORDER_API_ENDPOINT_OVERRIDE;
  if (!value) return undefined;
  const { host, port } = hostPort(value, "RECORDER_API_ENDPOINT_OVERRIDE");
  const agent = new Agent({ keepAlive: false });
  // The request keeps Host "<svc>.tencentcloudapi.com"; only the TCP connection goes to the double.
  agent.createConnection = () => createConnection({ host, port });
  return agent;
}

export function cosFactoryFromEnv(env: Env): CosFactory {
  const ip = env.RECORDER_COS_IP_OVERRIDE;
  if (ip) hostPort(ip, "RECORDER_COS_IP_OVERRIDE");
  const reroute = ip ? { Protocol: "http:" as const, Ip: ip } : {};
  return {
    forRole() {
      const c = roleCredentials(env);
      return new COS({ SecretId: c.secretId, SecretKey: c.secretKey, SecurityToken: c.token, ...reroute });
    },
    forKeys(secretId, secretKey) {
      return new COS({ SecretId: secretId, SecretKey: secretKey, ...reroute });
    },
  };
}

function stateStoreFromEnv(env: Env, cos: CosFactory): StateStore {
  if (env.CFS_PATH) return createFsStore(env.CFS_PATH);
  const bucket = required(env, "RECORDER_STATE_BUCKET", "set CFS_PATH (CFS mounted) or RECORDER_STATE_BUCKET/REGION (COS state store)");
  const region = required(env, "RECORDER_STATE_REGION", "the region of RECORDER_STATE_BUCKET, e.g. ap-guangzhou");
  const client = cos.forRole();
  const main = createCosStore({ cos: client, bucket, region, bucketVariable: "RECORDER_STATE_BUCKET" });
  // Claims, leases and the event log need exclusive creates: a bucket that never had versioning (exclusive-store.ts).
  // Without RECORDER_LOCK_BUCKET they stay in the state bucket, and the store refuses them if it is versioned.
  const lockBucket = env.RECORDER_LOCK_BUCKET;
  if (!lockBucket) return routeExclusiveKeys(main, main);
  const lockRegion = required(env, "RECORDER_LOCK_REGION", "the region of RECORDER_LOCK_BUCKET, e.g. ap-guangzhou");
  return routeExclusiveKeys(main, createCosStore({ cos: client, bucket: lockBucket, region: lockRegion, bucketVariable: "RECORDER_LOCK_BUCKET" }));
}

/**
 * Where runtime secrets live: the COS state bucket whenever it is configured, even when CFS holds the state, because
 * operators provision secrets from outside the VPC where CFS cannot be reached; else the state store itself.
 * Exported so every writer (the `secret` tool's users, the local cloud) agrees with the reader.
 */
export function runtimeSecretsStore(env: Env, cos: CosFactory): StateStore {
  if (env.RECORDER_STATE_BUCKET && env.RECORDER_STATE_REGION) {
    return createCosStore({ cos: cos.forRole(), bucket: env.RECORDER_STATE_BUCKET, region: env.RECORDER_STATE_REGION });
  }
  return stateStoreFromEnv(env, cos);
}

function seconds(env: Env, name: string, fallbackMs: number): number {
  const v = env[name];
  if (v === undefined || v === "") return fallbackMs;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new WiringError(`${name} must be a number of seconds ≥ 0 (got ${JSON.stringify(v)})`);
  return n * 1000;
}

export function configFromEnv(env: Env): RecorderConfig {
  const stagingBucket = env.RECORDER_STAGING_BUCKET;
  const config: RecorderConfig = {
    ...DEFAULT_CONFIG,
    kmsKeyId: required(env, "RECORDER_KMS_KEY_ID", "the stack's KMS key id, for envelope encryption"),
    ffmpegPath: env.FFMPEG_PATH || "/opt/ffmpeg",
    workRoots: [...(env.CFS_PATH ? [path.join(env.CFS_PATH, "work")] : []), path.join(tmpdir(), "recorder-work")],
    exitGraceMs: seconds(env, "RECORDER_EXIT_GRACE_SECONDS", DEFAULT_CONFIG.exitGraceMs),
    noMediaGraceMs: seconds(env, "RECORDER_NO_MEDIA_GRACE_SECONDS", DEFAULT_CONFIG.noMediaGraceMs),
    security: securityFromEnv(env),
  };
  // How often the watchdog describes a RUNNING recording with no news (lost-callback safety net; default 30 min).
  if (env.RECORDER_WATCHDOG_CHECK_SECONDS) config.watchdog = { checkIntervalMs: seconds(env, "RECORDER_WATCHDOG_CHECK_SECONDS", 0) };
  if (stagingBucket) {
    config.staging = { bucket: stagingBucket, region: required(env, "RECORDER_STAGING_REGION", "the region of RECORDER_STAGING_BUCKET") };
  }
  return config;
}

function invokerFromEnv(env: Env, agent: Agent | undefined): Invoker {
  const functionName = env.RECORDER_FUNCTION_NAME;
  if (!functionName) {
    // Start and stop still work without it; only hand-overs fail, and the watchdog covers those.
    return {
      invokeRecorder: async () => {
        throw new WiringError("RECORDER_FUNCTION_NAME is not set: cannot invoke the recorder asynchronously");
      },
    };
  }
  return createScfInvoker({ config: tc3ClientConfig(env, "scf", agent), functionName, namespace: env.RECORDER_NAMESPACE || "default", qualifier: env.RECORDER_QUALIFIER || undefined });
}

const CLIENT_AUTH_MODES: readonly ClientAuthMode[] = ["gateway", "api-key", "off"];

/** An unknown RECORDER_CLIENT_AUTH (a typo) must not mean "no client auth": refuse to serve instead. */
export function clientAuthModeFromEnv(env: Env): ClientAuthMode {
  const value = env.RECORDER_CLIENT_AUTH;
  if (value === undefined || value === "") return parseClientAuthMode(undefined);
  if ((CLIENT_AUTH_MODES as readonly string[]).includes(value)) return value as ClientAuthMode;
  throw new WiringError(`RECORDER_CLIENT_AUTH must be one of ${CLIENT_AUTH_MODES.join(", ")} (got ${JSON.stringify(value.slice(0, 32))})`);
}

const defaultSink: LogSink = (line) => {
  process.stdout.write(`${line}\n`);
};

/** Builds the recorder from `env` (process.env in production). Throws WiringError naming a missing variable. */
export function wireFromEnvironment(env: Env, overrides: WiringOverrides = {}): Wiring {
  const masker = createMasker();
  const role = roleCredentials(env);
  masker.register(role.secretKey);
  masker.register(role.token);
  masker.register(role.secretId, "id");
  const clock = overrides.clock ?? { now: () => Date.now(), sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)) };
  const log = createLogger({ sink: overrides.sink ?? defaultSink, masker, now: () => clock.now(), base: overrides.logFields });
  const agent = overrideAgent(env);
  const cosFactory = cosFactoryFromEnv(env);
  const state = stateStoreFromEnv(env, cosFactory);
  const kms = createKmsPort(tc3ClientConfig(env, "kms", agent));
  const secretsStore = env.CFS_PATH ? runtimeSecretsStore(env, cosFactory) : state;
  const secrets = createRuntimeSecrets({ store: secretsStore, kms, prefix: env.RECORDER_SECRETS_PREFIX || "secrets/", masker });
  const ingress: Ingress = env.RECORDER_INGRESS === "function-url" ? "function-url" : "apigw";
  const config = configFromEnv(env);
  const deps: RecorderDeps = {
    engine: createTrtcEngine(tc3ClientConfig(env, "trtc", agent)),
    state,
    secrets,
    kms,
    invoker: invokerFromEnv(env, agent),
    cosFactory,
    // Callbacks resolve and check the address at connect time and never follow redirects (callback/guarded-fetch.ts).
    callback: overrides.callback ?? { fetch: guardedFetch({ allowHosts: securityOf(config).callbackHosts }) },
    deliver: overrides.deliver ?? realDeliver,
    clock,
    log,
    config,
    onRoomEvent: overrides.onRoomEvent,
  };
  const clientAuth: ClientAuth = {
    mode: clientAuthModeFromEnv(env),
    keys: async () => {
      const keys = parseClientKeys(await secrets.get("client-api-keys"));
      for (const k of keys ?? []) masker.register(k);
      return keys;
    },
  };
  return { recorder: createRecorder(deps), log, ingress, clientAuth, deps };
}

/** A fresh id for invocations whose context carries none (direct local calls). */
export const newInvocationId = (): string => randomUUID();
