import { Construct } from "constructs";
import { AssetType, TerraformAsset } from "cdktf";
import { scfFunction, scfFunctionAlias, scfFunctionEventInvokeConfig, scfFunctionVersion, scfTrigger } from "../provider/generated";
import type { ArtifactRef } from "../artifacts/artifact-store";
import type { ExecutionRole } from "./execution-role";
import type { FfmpegLayer } from "./ffmpeg-layer";
import type { Network } from "./network";
import type { Observability } from "./observability";
import type { RecordingStorage } from "./recording-storage";
import { PropChecker, SCF_NAME } from "./prop-errors";

export interface RecorderFunctionProps {
  /** Prefix of both function names: `<name>` (async recorder) and `<name>-api` (sync). @default "trtc-recorder" */
  readonly name?: string;
  /** The content-addressed recorder bundle (index.js at the zip root). */
  readonly bundle: ArtifactRef;
  /** The ffmpeg layer attached to both functions. */
  readonly layer: FfmpegLayer;
  /** The execution role. */
  readonly role: ExecutionRole;
  /** CFS mount; when set, both functions go into its VPC/subnet and get `CFS_PATH`. @default none (the recorder works in /tmp) */
  readonly storage?: RecordingStorage;
  /** A network without storage (functions in a VPC, e.g. for private callbacks). Ignored when storage is set. @default none */
  readonly network?: Network;
  /** Logs. @default none (SCF's default log topic) */
  readonly logs?: Observability;
  /** SCF namespace. @default "default" */
  readonly namespace?: string;
  /** SCF runtime (the provider passes it through; the API decides). @default "Nodejs18.15" */
  readonly runtime?: string;
  /** Memory of the async recorder in MB (ffmpeg's CPU share grows with it), a multiple of 128 up to 3072. @default 2048 */
  readonly recorderMemoryMb?: number;
  /** Timeout of the async recorder in seconds; the provider refuses more than 900 even with async execution. @default 900 */
  readonly recorderTimeoutSeconds?: number;
  /** Memory of recorder-api in MB. @default 256 */
  readonly apiMemoryMb?: number;
  /** Timeout of recorder-api in seconds (TRTC wants event answers within 5 s). @default 10 */
  readonly apiTimeoutSeconds?: number;
  /** Environment shared by both functions (never secrets: they are read at runtime). @default {} */
  readonly environment?: Record<string, string>;
  /** Watchdog schedule (SCF 7-field cron). @default every minute */
  readonly watchdogCron?: string;
  /** Platform retries of failed async invocations of the recorder (0..2). @default 2 */
  readonly asyncRetries?: number;
  /** Alias that triggers and ingress target; moved to each newly published version. @default "live" */
  readonly aliasName?: string;
  /**
   * Canary: the alias keeps sending `1 - weight` of the traffic to `previousVersion` (the version live before this
   * deploy, e.g. "12") and `weight` (strictly between 0 and 1) to the newly published one. Both functions are
   * published together, so the same version number is used for the recorder and recorder-api aliases.
   * @default none (the alias sends all traffic to the new version)
   */
  readonly canary?: { readonly previousVersion: string; readonly weight: number; readonly previousBundle?: string };
  /** Tags. @default {} */
  readonly tags?: Record<string, string>;
}

/** Keys a synthesized environment must never carry: secrets are read at runtime (KMS-encrypted), never configured. */
const SECRET_LOOKING_KEY = /(SECRET|PASSWORD|TOKEN|USERSIG|PRIVATE)/i;
const SECRET_KEY_ALLOWED = new Set(["RECORDER_SECRETS_PREFIX"]);

export interface DeployedFunction {
  readonly name: string;
  readonly namespace: string;
  /** Alias the ingress invokes. */
  readonly qualifier: string;
  readonly resource: scfFunction.ScfFunction;
  /** The alias resource (triggers depend on it: they target the alias by name). */
  readonly alias: scfFunctionAlias.ScfFunctionAlias;
}

/**
 * The two SCF functions built from ONE code asset. `recorder` has async execution on (the seed's function): it serves
 * POST /record, delivery invocations and the watchdog timer. `recorder-api` is synchronous, because a function with
 * async execution on answers every trigger asynchronously and so cannot serve a status read or refuse a forged event.
 */
export class RecorderFunction extends Construct {
  readonly recorder: DeployedFunction;
  readonly api: DeployedFunction;
  readonly cfsPath?: string;

  constructor(scope: Construct, id: string, props: RecorderFunctionProps) {
    super(scope, id);
    const c = new PropChecker("RecorderFunction");
    const name = props.name ?? "trtc-recorder";
    c.matches(name, "name", /^[A-Za-z][A-Za-z0-9_-]{0,55}$/, "1-56 letters, digits, _ or -, starting with a letter (\"-api\" is appended)");
    c.check(props.bundle.kind === "recorder-bundle", "bundle", "a recorder-bundle artifact", props.bundle.kind);
    const namespace = props.namespace ?? "default";
    c.matches(namespace, "namespace", /^[A-Za-z][A-Za-z0-9_-]{0,29}$/, "an SCF namespace name");
    const runtime = props.runtime ?? "Nodejs18.15";
    c.matches(runtime, "runtime", /^Nodejs\d+\.\d+$/, 'a Node.js SCF runtime like "Nodejs18.15"');
    const recorderMemoryMb = props.recorderMemoryMb ?? 2048;
    c.check(recorderMemoryMb % 128 === 0 && recorderMemoryMb >= 128 && recorderMemoryMb <= 3072, "recorderMemoryMb", "a multiple of 128 in 128..3072", recorderMemoryMb);
    const apiMemoryMb = props.apiMemoryMb ?? 256;
    c.check(apiMemoryMb % 128 === 0 && apiMemoryMb >= 128 && apiMemoryMb <= 3072, "apiMemoryMb", "a multiple of 128 in 128..3072", apiMemoryMb);
    const recorderTimeout = props.recorderTimeoutSeconds ?? 900;
    c.intRange(recorderTimeout, "recorderTimeoutSeconds", 60, 900, "the provider refuses more than 900 even with async execution; delivery checkpoints instead");
    const apiTimeout = props.apiTimeoutSeconds ?? 10;
    c.intRange(apiTimeout, "apiTimeoutSeconds", 1, 900);
    const asyncRetries = props.asyncRetries ?? 2;
    c.intRange(asyncRetries, "asyncRetries", 0, 2);
    const aliasName = props.aliasName ?? "live";
    c.matches(aliasName, "aliasName", /^[A-Za-z][A-Za-z0-9_-]{0,63}$/, "an alias name (letters, digits, _ or -, starting with a letter)");
    if (props.canary) {
      const { previousVersion, weight } = props.canary;
      c.matches(previousVersion, "canary.previousVersion", /^[1-9]\d*$/, 'a published SCF version number as a string, like "12"');
      c.check(typeof weight === "number" && weight > 0 && weight < 1, "canary.weight", "the new version's share of traffic, strictly between 0 and 1", weight);
      c.check(
        props.canary.previousBundle === undefined || /^[0-9a-f]{16}$/.test(props.canary.previousBundle),
        "canary.previousBundle",
        "the 16-hex bundle hash the previous version was published from",
        props.canary.previousBundle,
      );
    }
    // SCF takes the additional (previous) version's weight; rounding keeps 1 - 0.7 from rendering as 0.30000000000000004.
    const routingConfig = props.canary
      ? { additionalVersionWeights: [{ version: props.canary.previousVersion, weight: Math.round((1 - props.canary.weight) * 1e6) / 1e6 }] }
      : undefined;
    const environment = props.environment ?? {};
    for (const [key, value] of Object.entries(environment)) {
      c.matches(key, `environment.${key}`, /^[A-Za-z][A-Za-z0-9_]*$/, "a variable name of letters, digits and _ starting with a letter");
      c.check(!SECRET_LOOKING_KEY.test(key) || SECRET_KEY_ALLOWED.has(key), `environment.${key}`, "not a secret (secrets are read at runtime from the KMS-encrypted store)", "<masked>");
      c.check(typeof value === "string", `environment.${key}`, "a string", value);
    }
    const envBytes = Object.entries(environment).reduce((n, [k, v]) => n + k.length + v.length, 0);
    c.check(envBytes <= 4000, "environment", "at most 4 KB in total (SCF's limit)", envBytes);
    const watchdogCron = props.watchdogCron ?? "0 */1 * * * * *";
    c.check(watchdogCron.trim().split(/\s+/).length === 7, "watchdogCron", 'an SCF 7-field cron like "0 */1 * * * * *"', watchdogCron);
    for (const fn of [name, `${name}-api`]) c.matches(fn, "name", SCF_NAME, "a valid SCF function name");

    const network = props.storage?.network ?? props.network;
    const code = new TerraformAsset(this, "bundle", { path: props.bundle.path, type: AssetType.FILE, assetHash: props.bundle.hash });
    const cfsPath = props.storage?.mountDir;
    const sharedEnv: Record<string, string> = {
      ...environment,
      RECORDER_FUNCTION_NAME: name,
      RECORDER_NAMESPACE: namespace,
      // Delivery re-invocations go to the alias, so a promoted version finishes the work its predecessor started.
      RECORDER_QUALIFIER: aliasName,
      FFMPEG_PATH: props.layer.binaryPath,
      ...(cfsPath ? { CFS_PATH: cfsPath } : {}),
    };

    const make = (fnName: string, cfg: { handler: string; memory: number; timeout: number; async: boolean; description: string }) => {
      const fn = new scfFunction.ScfFunction(this, fnName === name ? "recorder" : "recorder-api", {
        name: fnName,
        namespace,
        handler: cfg.handler,
        runtime,
        memSize: cfg.memory,
        timeout: cfg.timeout,
        // A string, not a bool: the provider's validator takes "TRUE"/"FALSE". ForceNew, so it never flips silently.
        asyncRunEnable: cfg.async ? "TRUE" : "FALSE",
        description: `${cfg.description} (bundle ${props.bundle.hash})`,
        zipFile: code.path,
        role: props.role.roleName,
        environment: sharedEnv,
        // The recorder calls TRTC, COS and the caller's Callback URL: it needs egress even inside a VPC.
        enablePublicNet: true,
        layers: [{ layerName: props.layer.layerName, layerVersion: props.layer.layerVersion }],
        ...(network ? { vpcId: network.vpcId, subnetId: network.subnetId } : {}),
        ...(props.storage ? { cfsConfig: [props.storage.mount] } : {}),
        ...(props.logs ? { clsLogsetId: props.logs.logsetId, clsTopicId: props.logs.topicId } : {}),
        tags: props.tags,
      });
      // One version resource per bundle hash (the hash is in its address): a new bundle publishes a new version and
      // the alias moves to it. Under a canary the previous bundle's version resource stays in the configuration, so
      // Terraform keeps the version the canary still routes to instead of deleting it in the same apply.
      const role = fnName === name ? "recorder" : "recorder-api";
      const publish = (hash: string) =>
        new scfFunctionVersion.ScfFunctionVersion(this, `${role}-version-${hash}`, {
          functionName: fn.name,
          namespace,
          description: `bundle ${hash}`,
        });
      const version = publish(props.bundle.hash);
      if (props.canary?.previousBundle && props.canary.previousBundle !== props.bundle.hash) publish(props.canary.previousBundle);
      const alias = new scfFunctionAlias.ScfFunctionAlias(this, `${fnName === name ? "recorder" : "recorder-api"}-alias`, {
        name: aliasName,
        functionName: fn.name,
        functionVersion: version.functionVersion,
        namespace,
        description: `${aliasName}: bundle ${props.bundle.hash}`,
        ...(routingConfig ? { routingConfig } : {}),
      });
      return { name: fnName, namespace, qualifier: aliasName, resource: fn, alias };
    };

    this.recorder = make(name, {
      handler: "index.recorder",
      memory: recorderMemoryMb,
      timeout: recorderTimeout,
      async: true,
      description: "TRTC mix recorder: start, delivery, watchdog (async execution)",
    });
    this.api = make(`${name}-api`, {
      handler: "index.recorderApi",
      memory: apiMemoryMb,
      timeout: apiTimeout,
      async: false,
      description: "TRTC mix recorder API: status, stop, TRTC events",
    });

    new scfTrigger.ScfTrigger(this, "watchdog", {
      functionName: this.recorder.resource.name,
      namespace,
      type: "timer",
      triggerName: "watchdog",
      triggerDesc: watchdogCron,
      qualifier: aliasName,
      customArgument: JSON.stringify({ action: "watchdog" }),
      enable: "OPEN",
      dependsOn: [this.recorder.alias],
    });
    new scfFunctionEventInvokeConfig.ScfFunctionEventInvokeConfig(this, "recorder-async-retries", {
      functionName: this.recorder.resource.name,
      namespace,
      // Delivery invocations are idempotent (checkpointed), so platform retries are safe; 6 h matches the role-key lifetime.
      asyncTriggerConfig: { retryConfig: [{ retryNum: asyncRetries }], msgTtl: 21600 },
    });
    this.cfsPath = cfsPath;
  }
}
