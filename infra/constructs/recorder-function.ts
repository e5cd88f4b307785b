import { createHash } from "node:crypto";
import { Construct } from "constructs";
import { Op, ref } from "cdktf";
import {
  scfFunction,
  scfFunctionAlias,
  scfFunctionEventInvokeConfig,
  scfFunctionVersion,
  scfProvisionedConcurrencyConfig,
  scfReservedConcurrencyConfig,
  scfTrigger,
} from "../provider/generated";
import { artifactObjectKey, type ArtifactRef } from "../artifacts/artifact-store";
import { artifactBucketForScf, type ArtifactBucket } from "./artifact-bucket";
import type { ExecutionRole } from "./execution-role";
import type { FfmpegLayer, LayerVersionRef } from "./ffmpeg-layer";
import type { Network } from "./network";
import type { Observability } from "./observability";
import type { RecordingStorage } from "./recording-storage";
import { PropChecker, SCF_NAME } from "./prop-errors";
import { resolvedReferences } from "./resolved-references";

export interface RecorderFunctionProps {
  /** Prefix of both function names: `<name>` (async recorder) and `<name>-api` (sync). @default "trtc-recorder" */
  readonly name?: string;
  /** The content-addressed recorder bundle (index.js at the zip root), already published to `artifactBucket`. */
  readonly bundle: ArtifactRef;
  /** Where the publish step put the bundle (`recorder-bundle/<sha256>.zip`). */
  readonly artifactBucket: ArtifactBucket;
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
   * Canary: the alias sends `weight` (strictly between 0 and 1) of the traffic to the version published now and the
   * rest to the version published for `previous` (the artifacts live before this deploy). That version is a retained
   * resource of each function (SCF numbers versions per function), referenced by its own function_version: it exists
   * in state from the previous deploy, so nothing is republished. @default none (the alias sends all traffic to the new version)
   */
  readonly canary?: { readonly weight: number; readonly previous: { readonly bundle: ArtifactRef; readonly layer: ArtifactRef } };
  /** Instances reserved for (and capping) the recorder; SCF reserves memory, so this × recorderMemoryMb. @default none (the account quota) */
  readonly recorderReservedConcurrency?: number;
  /** Instances reserved for (and capping) recorder-api. @default none (the account quota) */
  readonly apiReservedConcurrency?: number;
  /** Pre-warmed instances of recorder-api's live version (TRTC wants event answers within 5 s). @default 0 (none) */
  readonly apiProvisionedConcurrency?: number;
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
  /** The version the alias sends (most of) the traffic to. */
  readonly version: scfFunctionVersion.ScfFunctionVersion;
  /** Key of that version: a hash of everything it freezes (bundle, layer, configuration). */
  readonly versionKey: string;
}

/**
 * What a published SCF version freezes: `$LATEST`'s code *and* configuration at the moment PublishVersion runs
 * (resource_tc_scf_function_version.go publishes whatever $LATEST is). A version resource keyed on this publishes a new
 * version exactly when something it would freeze changes, so a configuration-only change reaches the alias too.
 */
export function versionKey(parts: { bundleSha256: string; layerSha256: string; configuration: unknown }): string {
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex").slice(0, 16);
}

/**
 * The provider drops `cfs_config` on update (resource_tc_scf_function.go sends it only with CreateFunction;
 * ModifyFunctionConfig has no CfsConfig), and reads the old mount back. This postcondition turns that silent drop
 * into a failed apply that says what to do, instead of a function quietly mounting the old file system.
 */
function mountPostcondition(fnName: string, mount: { cfsId: string; mountInsId: string; localMountDir: string; remoteMountDir: string }) {
  const same = (field: string, value: string) => Op.eq(ref(`self.cfs_config[0].${field}`), value);
  return {
    condition: Op.and(Op.and(same("cfs_id", mount.cfsId), same("mount_ins_id", mount.mountInsId)), Op.and(same("local_mount_dir", mount.localMountDir), same("remote_mount_dir", mount.remoteMountDir))),
    errorMessage:
      `${fnName} still mounts what it mounted before: the tencentcloud provider cannot change cfs_config on an existing function ` +
      "(ModifyFunctionConfig has no CfsConfig). Replace the function on purpose: terraform apply -replace=<this function's address> (docs/operations.md, \"Change the CFS mount\").",
  };
}

/**
 * The two SCF functions built from ONE code artifact. `recorder` has async execution on (the seed's function): it serves
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
      const { weight, previous } = props.canary;
      c.check(typeof weight === "number" && weight > 0 && weight < 1, "canary.weight", "the new version's share of traffic, strictly between 0 and 1", weight);
      c.check(previous?.bundle?.kind === "recorder-bundle", "canary.previous.bundle", "the recorder-bundle artifact live before this deploy", previous?.bundle?.kind);
      c.check(previous?.layer?.kind === "ffmpeg-layer", "canary.previous.layer", "the ffmpeg-layer artifact live before this deploy", previous?.layer?.kind);
      c.check(
        props.layer.versions.has(previous.layer.hash),
        "canary.previous.layer",
        "a layer the FfmpegLayer keeps (pass it as FfmpegLayer's retained, so the previous version's layer is not deleted)",
        previous.layer.hash,
      );
    }
    for (const [prop, value] of [
      ["recorderReservedConcurrency", props.recorderReservedConcurrency],
      ["apiReservedConcurrency", props.apiReservedConcurrency],
    ] as const) {
      if (value !== undefined) c.intRange(value, prop, 1, 1000, "instances; SCF's per-region quota is 128 GB of memory unless raised");
    }
    const apiProvisioned = props.apiProvisionedConcurrency ?? 0;
    c.intRange(apiProvisioned, "apiProvisionedConcurrency", 0, 1000);
    if (props.apiReservedConcurrency !== undefined) {
      c.check(apiProvisioned <= props.apiReservedConcurrency, "apiProvisionedConcurrency", `at most apiReservedConcurrency (${props.apiReservedConcurrency})`, apiProvisioned);
    }
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
    const asyncTriggerConfig = { retryConfig: [{ retryNum: asyncRetries }], msgTtl: 21600 };

    const make = (role: "recorder" | "recorder-api", cfg: { fnName: string; handler: string; memory: number; timeout: number; async: boolean; description: string }) => {
      // Everything but code and layer (those enter the version key by content hash).
      const configuration = {
        name: cfg.fnName,
        namespace,
        handler: cfg.handler,
        runtime,
        memSize: cfg.memory,
        timeout: cfg.timeout,
        // A string, not a bool: the provider's validator takes "TRUE"/"FALSE". ForceNew, so it never flips silently.
        asyncRunEnable: cfg.async ? "TRUE" : "FALSE",
        role: props.role.roleName,
        environment: sharedEnv,
        // The recorder calls TRTC, COS and the caller's Callback URL: it needs egress even inside a VPC.
        enablePublicNet: true,
        ...(network ? { vpcId: network.vpcId, subnetId: network.subnetId } : {}),
        ...(props.storage ? { cfsConfig: [props.storage.mount] } : {}),
        ...(props.logs ? { clsLogsetId: props.logs.logsetId, clsTopicId: props.logs.topicId } : {}),
        tags: props.tags,
      };
      const fn = new scfFunction.ScfFunction(this, role, {
        ...configuration,
        description: `${cfg.description} (bundle ${props.bundle.hash})`,
        // The bytes come from the artifact bucket (an inline zip travels base64 in a TC3 body capped at 10 MB).
        cosBucketName: artifactBucketForScf(props.artifactBucket, "function"),
        cosObjectName: artifactObjectKey(props.bundle),
        cosBucketRegion: props.artifactBucket.region,
        layers: [{ layerName: props.layer.layerName, layerVersion: props.layer.current.layerVersion }],
        ...(props.storage ? { lifecycle: { postcondition: [mountPostcondition(cfg.fnName, props.storage.mount)] } } : {}),
      });
      // The async retry policy is function-level ($LATEST; UpdateFunctionEventInvokeConfig has no Qualifier): it is
      // written before the version is published, and is part of what the version key covers.
      const invokeConfig = cfg.async
        ? new scfFunctionEventInvokeConfig.ScfFunctionEventInvokeConfig(this, `${role}-async-retries`, {
            functionName: fn.name,
            namespace,
            // Delivery invocations are idempotent (checkpointed), so platform retries are safe; 6 h matches the role-key lifetime.
            asyncTriggerConfig,
          })
        : undefined;
      // Token references resolve to stable `${type.name.attr}` strings, so the key only moves when the config does.
      const resolved = resolvedReferences(this, { configuration, asyncTriggerConfig: cfg.async ? asyncTriggerConfig : null });
      const keyOf = (bundle: ArtifactRef, layer: LayerVersionRef) => versionKey({ bundleSha256: bundle.sha256, layerSha256: layer.artifact.sha256, configuration: resolved });
      const publish = (key: string, bundle: ArtifactRef, layer: LayerVersionRef) =>
        // create_before_destroy: the new version exists and the alias moves to it before the old one is deleted (SCF
        // refuses to delete a version an alias routes to: UnsupportedOperation.AliasBind). depends_on the layer, so an
        // old version is deleted before the old layer version it uses (ResourceInUse.LayerVersion otherwise). The
        // description is ForceNew: the canary's previous version keeps the one it was created with.
        new scfFunctionVersion.ScfFunctionVersion(this, `${role}-version-${key}`, {
          functionName: fn.name,
          namespace,
          description: `live: bundle ${bundle.hash}, layer ${layer.artifact.hash}, version key ${key}`,
          dependsOn: [layer.resource, ...(invokeConfig ? [invokeConfig] : [])],
          lifecycle: { createBeforeDestroy: true },
        });
      const currentKey = keyOf(props.bundle, props.layer.current);
      const current = publish(currentKey, props.bundle, props.layer.current);
      // The canary's previous version: the same address as when it was live, so it stays (not republished). A canary
      // of identical artifacts and configuration has nothing to split: one version takes all traffic.
      const previousLayer = props.canary ? props.layer.versions.get(props.canary.previous.layer.hash)! : undefined;
      const previousKey = props.canary ? keyOf(props.canary.previous.bundle, previousLayer!) : undefined;
      const previous = previousKey !== undefined && previousKey !== currentKey ? publish(previousKey, props.canary!.previous.bundle, previousLayer!) : undefined;
      const alias = new scfFunctionAlias.ScfFunctionAlias(this, `${role}-alias`, {
        name: aliasName,
        functionName: fn.name,
        functionVersion: current.functionVersion,
        namespace,
        // The provider calls UpdateAlias only when routing_config or description changes (function_version alone is
        // not in its update list: resource_tc_scf_function_alias.go), so the description carries the version key.
        description: `${aliasName}: bundle ${props.bundle.hash}, version key ${currentKey}${previous ? `, canary from ${previousKey}` : ""}`,
        // Always explicit: ListAliases returns an empty RoutingConfig (no block would re-plan forever), and finishing a
        // canary must send an empty RoutingConfig to clear the weights (Update sends none when the block is absent).
        routingConfig: {
          additionalVersionWeights:
            previous
              ? [{ version: previous.functionVersion, weight: Math.round((1 - props.canary!.weight) * 1e6) / 1e6 }]
              : [],
        },
      });
      return { name: cfg.fnName, namespace, qualifier: aliasName, resource: fn, alias, version: current, versionKey: currentKey };
    };

    this.recorder = make("recorder", {
      fnName: name,
      handler: "index.recorder",
      memory: recorderMemoryMb,
      timeout: recorderTimeout,
      async: true,
      description: "TRTC mix recorder: start, delivery, watchdog (async execution)",
    });
    this.api = make("recorder-api", {
      fnName: `${name}-api`,
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
    const reserve = (fn: DeployedFunction, instances: number | undefined, memoryMb: number) =>
      instances === undefined
        ? undefined
        : new scfReservedConcurrencyConfig.ScfReservedConcurrencyConfig(this, `${fn === this.recorder ? "recorder" : "recorder-api"}-reserved-concurrency`, {
            functionName: fn.resource.name,
            namespace,
            // SCF reserves memory, not instances (PutReservedConcurrencyConfig.ReservedConcurrencyMem).
            reservedConcurrencyMem: instances * memoryMb,
          });
    reserve(this.recorder, props.recorderReservedConcurrency, recorderMemoryMb);
    reserve(this.api, props.apiReservedConcurrency, apiMemoryMb);
    if (apiProvisioned > 0) {
      // Provisioned concurrency is per published version (an alias is not accepted as the qualifier): it follows the
      // live version, and is removed before that version is (it depends on it).
      new scfProvisionedConcurrencyConfig.ScfProvisionedConcurrencyConfig(this, "recorder-api-provisioned", {
        functionName: this.api.resource.name,
        namespace,
        qualifier: this.api.version.functionVersion,
        versionProvisionedConcurrencyNum: apiProvisioned,
      });
    }
    this.cfsPath = cfsPath;
  }
}
