import { Construct } from "constructs";
import { CosBackend, LocalBackend, TerraformOutput, TerraformStack } from "cdktf";
import { dataTencentcloudUserInfo, provider } from "../provider/generated";
import type { ArtifactRef } from "../artifacts/artifact-store";
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
  /** Prod canary from the pin file: the previous version keeps 1 - weight of the traffic. */
  canary?: { previousVersion: string; weight: number; previousBundle?: string };
}

export const stackName = (env: string): string => `recorder-${env}`;

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
    new provider.TencentcloudProvider(this, "tencentcloud", { region: env.region });
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
        ? new RecordingStorage(this, "storage", { name, network, availabilityZone: env.availabilityZone, mountDir: env.storage.mountDir, storageType: env.storage.storageType, tags })
        : undefined;
    const key = new EncryptionKey(this, "kms", { alias: `${name}-recorder`, tags });
    const buckets = new RecorderBuckets(this, "buckets", { name, appId, tags });
    const fnNames = { recorder: `${name}`, api: `${name}-api` };
    const namespace = env.function?.namespace ?? "default";
    const role = new ExecutionRole(this, "role", {
      roleName: env.role?.name,
      leastPrivilege: env.role?.leastPrivilege,
      buckets: [buckets.stateBucket, buckets.stagingBucket, ...(env.role?.deliveryBuckets ?? [])],
      region: env.region,
      appId,
      uin,
      kmsKeyId: key.keyId,
      namespace,
      functionNames: [fnNames.recorder],
      tags,
    });
    const layer = new FfmpegLayer(this, "ffmpeg", { artifact: artifacts.layer, layerName: `${name}-ffmpeg`, compatibleRuntimes: [env.function?.runtime ?? "Nodejs18.15"] });
    const logs = new Observability(this, "observability", {
      name,
      retentionDays: env.observability?.logRetentionDays,
      alarms: env.observability?.alarms,
      functionNames: [fnNames.recorder, fnNames.api],
      namespace,
      noticeWebhookUrl: env.observability?.noticeWebhookUrl,
    });
    const ingressKind = env.ingress?.kind ?? "apigw";
    const auth = env.ingress?.auth ?? true;
    this.functions = new RecorderFunction(this, "functions", {
      name: fnNames.recorder,
      bundle: artifacts.bundle,
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
      canary: artifacts.canary,
      environment: {
        RECORDER_ENV: env.name,
        RECORDER_STATE_BUCKET: buckets.stateBucket,
        RECORDER_STATE_REGION: env.region,
        RECORDER_STAGING_BUCKET: buckets.stagingBucket,
        RECORDER_STAGING_REGION: env.region,
        RECORDER_KMS_KEY_ID: key.keyId,
        RECORDER_SECRETS_PREFIX: "secrets/",
        RECORDER_INGRESS: ingressKind,
        RECORDER_CLIENT_AUTH: !auth ? "off" : ingressKind === "apigw" ? "gateway" : "api-key",
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

    new TerraformOutput(this, "ingress_url", { value: this.ingress.baseUrl, description: "Base URL: POST /record, GET|DELETE /recordings/{id}" });
    new TerraformOutput(this, "trtc_events_url", { value: this.ingress.trtcEventsUrl, description: "Paste into the TRTC console as the room/recording event callback URL" });
    new TerraformOutput(this, "recorder_function", { value: this.functions.recorder.name });
    new TerraformOutput(this, "state_bucket", { value: buckets.stateBucket, description: "Status records and KMS-encrypted runtime secrets" });
    new TerraformOutput(this, "kms_key_id", { value: key.keyId });
  }
}
