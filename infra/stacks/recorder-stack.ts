import { Construct } from "constructs";
import { Annotations, CosBackend, LocalBackend, TerraformOutput, TerraformStack } from "cdktf";
import { dataTencentcloudUserInfo, provider } from "../provider/generated";
import { artifactObjectKey, type ArtifactRef } from "../artifacts/artifact-store";
import type { EnvironmentConfig } from "../environments/schema";
import { EncryptionKey } from "../constructs/encryption-key";
import { ExecutionRole } from "../constructs/execution-role";
import { FfmpegLayer } from "../constructs/ffmpeg-layer";
import { Ingress } from "../constructs/ingress";
import { Network } from "../constructs/network";
import { Observability } from "../constructs/observability";
import { RecorderBuckets } from "../constructs/recorder-buckets";
import { RecorderFunction } from "../constructs/recorder-function";
import { RecordingStorage } from "../constructs/recording-storage";

export interface RecorderStackArtifacts {
  bundle: ArtifactRef;
  layer: ArtifactRef;
  /** Prod canary from the pin file: the version published for `previous` keeps 1 - weight of the traffic. */
  canary?: { weight: number; previous: { bundle: ArtifactRef; layer: ArtifactRef } };
}

export const stackName = (env: string): string => `recorder-${env}`;

/**
 * The recorder's security settings as function environment (function/auth/policy.ts, docs/security.md): which buckets
 * the role may deliver to, which are the deployment's own (never a target), where callbacks may go, and whether
 * callers' UserSigs are verified.
 */
function securityEnvironment(env: EnvironmentConfig): Record<string, string> {
  const out: Record<string, string> = {};
  const roleBuckets = env.role?.deliveryBuckets ?? [];
  if (roleBuckets.length > 0) out.RECORDER_ROLE_BUCKETS = roleBuckets.join(",");
  const reserved = [env.artifacts.bucket, ...(env.backend.kind === "cos" ? [env.backend.bucket] : [])];
  out.RECORDER_RESERVED_BUCKETS = reserved.join(",");
  const hosts = env.security?.callbackHosts ?? [];
  if (hosts.length > 0) out.RECORDER_CALLBACK_HOSTS = hosts.join(",").toLowerCase();
  if (env.security?.userSigVerification === false) out.RECORDER_CALLER_CHECK = "off";
  return out;
}

/** Everything one environment runs: the seed's console steps as code (see docs/console-to-code.md). */
export class RecorderStack extends TerraformStack {
  readonly functions: RecorderFunction;
  readonly ingress: Ingress;
  readonly env: EnvironmentConfig;
  readonly artifacts: RecorderStackArtifacts;

  constructor(scope: Construct, env: EnvironmentConfig, artifacts: RecorderStackArtifacts) {
    super(scope, stackName(env.name));
    this.env = env;
    this.artifacts = artifacts;
    const name = `trtc-rec-${env.name}`;
    const tags = env.tags ?? {};

    // Credentials come from TENCENTCLOUD_SECRET_ID/KEY (or a profile/role) at plan time: never from this file.
    new provider.TencentcloudProvider(this, "tencentcloud", {
      region: env.region,
      // local only: the real provider deploys this stack into the emulator (docs/local-cloud.md).
      ...(env.endpoint ? { protocol: env.endpoint.protocol, domain: env.endpoint.domain, cosDomain: env.endpoint.cosDomain } : {}),
    });
    if (env.backend.kind === "cos") {
      new CosBackend(this, { bucket: env.backend.bucket, region: env.backend.region, prefix: env.backend.prefix, encrypt: true, acl: "private" });
    } else {
      new LocalBackend(this, { path: env.backend.path ?? `terraform.${stackName(env.name)}.tfstate` });
    }

    // The account's ids scope bucket names and CAM resources; read from the provider instead of configured.
    const account = new dataTencentcloudUserInfo.DataTencentcloudUserInfo(this, "account");
    const appId = env.appId ?? account.appId;
    const uin = account.ownerUin;

    const network = env.network
      ? new Network(this, "network", { name, availabilityZone: env.availabilityZone, ...env.network, tags })
      : undefined;
    const storage =
      env.storage?.enabled && network
        ? new RecordingStorage(this, "storage", {
            name,
            network,
            availabilityZone: env.availabilityZone,
            mountDir: env.storage.mountDir,
            storageType: env.storage.storageType,
            existingFileSystemId: env.storage.fileSystemId,
            existingMountTargetId: env.storage.mountTargetId,
            tags,
          })
        : undefined;
    const key = new EncryptionKey(this, "kms", { alias: `${name}-recorder`, tags });
    const buckets = new RecorderBuckets(this, "buckets", { name, appId, tags });
    const fnNames = { recorder: `${name}`, api: `${name}-api` };
    const namespace = env.function?.namespace ?? "default";
    const role = new ExecutionRole(this, "role", {
      roleName: env.role?.name ?? `${name}-exec`,
      createRole: env.role?.create,
      leastPrivilege: env.role?.leastPrivilege,
      buckets: [buckets.stateBucket, buckets.lockBucket, buckets.stagingBucket, ...(env.role?.deliveryBuckets ?? [])],
      region: env.region,
      appId,
      uin,
      kmsKeyId: key.keyId,
      namespace,
      functionNames: [fnNames.recorder],
      tags,
    });
    const layer = new FfmpegLayer(this, "ffmpeg", {
      artifact: artifacts.layer,
      // The canary's previous version still runs on its layer version: keep it until the canary is finished.
      retained: artifacts.canary ? [artifacts.canary.previous.layer] : [],
      artifactBucket: env.artifacts,
      layerName: `${name}-ffmpeg`,
      compatibleRuntimes: [env.function?.runtime ?? "Nodejs18.15"],
    });
    const logs = new Observability(this, "observability", {
      name,
      retentionDays: env.observability?.logRetentionDays,
      alarms: env.observability?.alarms,
      functionNames: [fnNames.recorder, fnNames.api],
      namespace,
      noticeWebhookUrl: env.observability?.noticeWebhookUrl,
    });
    if (env.security?.userSigVerification === false) {
      // Like auth off: allowed only with a reason, and the synth says what it costs.
      if (!(env.security.userSigOptOutReason ?? "").trim()) {
        throw new Error(`RecorderStack: security.userSigOptOutReason must say why callers' UserSigs need not be verified when security.userSigVerification is false (environment ${env.name})`);
      }
      Annotations.of(this).addWarning(
        `RecorderStack: callers' UserSigs are not verified (${env.security.userSigOptOutReason}); anyone who can call POST /record can start recordings as any UserId, and repeats are never joined to a running recording`,
      );
    }
    const ingressKind = env.ingress?.kind ?? "apigw";
    const auth = env.ingress?.auth ?? true;
    this.functions = new RecorderFunction(this, "functions", {
      name: fnNames.recorder,
      bundle: artifacts.bundle,
      artifactBucket: env.artifacts,
      layer,
      role,
      storage,
      network,
      logs,
      namespace,
      runtime: env.function?.runtime,
      recorderMemoryMb: env.function?.recorderMemoryMb,
      recorderTimeoutSeconds: env.function?.recorderTimeoutSeconds,
      apiMemoryMb: env.function?.apiMemoryMb,
      apiTimeoutSeconds: env.function?.apiTimeoutSeconds,
      recorderReservedConcurrency: env.function?.recorderReservedConcurrency,
      apiReservedConcurrency: env.function?.apiReservedConcurrency,
      apiProvisionedConcurrency: env.function?.apiProvisionedConcurrency,
      canary: artifacts.canary,
      environment: {
        RECORDER_ENV: env.name,
        RECORDER_STATE_BUCKET: buckets.stateBucket,
        RECORDER_STATE_REGION: env.region,
        RECORDER_LOCK_BUCKET: buckets.lockBucket,
        RECORDER_LOCK_REGION: env.region,
        RECORDER_TRTC_REGION: env.trtcRegion ?? env.region,
        RECORDER_STAGING_BUCKET: buckets.stagingBucket,
        RECORDER_STAGING_REGION: env.region,
        RECORDER_KMS_KEY_ID: key.keyId,
        RECORDER_SECRETS_PREFIX: "secrets/",
        RECORDER_INGRESS: ingressKind,
        RECORDER_CLIENT_AUTH: !auth ? "off" : ingressKind === "apigw" ? "gateway" : "api-key",
        ...securityEnvironment(env),
      },
      tags,
    });
    this.ingress = new Ingress(this, "ingress", {
      name,
      kind: ingressKind,
      recorder: this.functions.recorder,
      api: this.functions.api,
      auth,
      authOptOutReason: env.ingress?.authOptOutReason,
    });

    if (this.ingress.triggerAttribute !== undefined) {
      new TerraformOutput(this, "function_url_trigger", {
        value: this.ingress.triggerAttribute,
        description: "The function URL trigger as SCF returns it; the URL itself is shown in the console and by ListTriggers (docs/operations.md)",
      });
    } else {
      new TerraformOutput(this, "ingress_url", { value: this.ingress.baseUrl, description: "Base URL: POST /record, GET|DELETE /recordings/{id}" });
      new TerraformOutput(this, "trtc_events_url", { value: this.ingress.trtcEventsUrl, description: "Paste into the TRTC console as the room/recording event callback URL" });
    }
    new TerraformOutput(this, "artifacts", {
      value: { bundle: artifactObjectKey(artifacts.bundle), layer: artifactObjectKey(artifacts.layer), bucket: env.artifacts.bucket },
      description: "The artifact objects this stack deploys (publish them first: npm run publish-artifacts)",
    });
    new TerraformOutput(this, "recorder_function", { value: this.functions.recorder.name });
    new TerraformOutput(this, "state_bucket", { value: buckets.stateBucket, description: "Status records and KMS-encrypted runtime secrets" });
    new TerraformOutput(this, "kms_key_id", { value: key.keyId });
  }
}
