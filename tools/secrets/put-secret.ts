/**
 * Provisions a runtime secret for a deployed environment: envelope-encrypts the value with the stack's KMS key and
 * writes it to the state bucket, where the recorder reads it at runtime. The value never touches Terraform.
 */
import COS from "cos-nodejs-sdk-v5";
import type { Agent } from "node:http";
import type { ClientConfig } from "tencentcloud-sdk-nodejs/tencentcloud/common/interface";
import { createKmsPort } from "../../function/secrets/kms-adapter";
import { isUserSigKeyName, parseCosKeySecret, writeRuntimeSecret, type RuntimeSecretName } from "../../function/secrets/runtime-secrets";
import { parseClientKeys } from "../../function/entries/client-auth";
import { createCosStore } from "../../function/state/cos-store";

export const SECRET_NAMES: RuntimeSecretName[] = ["trtc-event-key", "callback-signing-key", "trtc-staging-cos-key", "client-api-keys"];

export interface PutSecretOptions {
  name: string;
  value: string;
  /** Outputs of the stack: state_bucket, kms_key_id. */
  bucket: string;
  region: string;
  kmsKeyId: string;
  prefix?: string;
  /** Operator credentials (TENCENTCLOUD_SECRET_ID/KEY[/SECURITY_TOKEN], as for terraform). */
  credential: { secretId: string; secretKey: string; token?: string };
  /** Local testing only: reach doubles instead of the cloud. */
  reroute?: { apiAgent?: Agent; cosIp?: string };
}

/** Checks a value has the shape the recorder expects before it is stored (a typo found now is not a 3 a.m. outage). */
export function validateSecretValue(name: string, value: string): string | undefined {
  if (!SECRET_NAMES.includes(name as RuntimeSecretName) && !isUserSigKeyName(name)) {
    return `name must be one of ${SECRET_NAMES.join(", ")} or trtc-sdk-secret-key-<SdkAppId> (got ${JSON.stringify(name)})`;
  }
  if (value.length === 0) return "value is empty (pipe it on stdin)";
  if (name === "trtc-event-key" && !/^[A-Za-z0-9]{1,32}$/.test(value)) return "trtc-event-key must be the TRTC console's callback key: 1-32 letters or digits";
  if (name === "callback-signing-key" && value.length < 32) return "callback-signing-key must be at least 32 characters";
  if (name === "trtc-staging-cos-key" && !parseCosKeySecret(value)) return 'trtc-staging-cos-key must be JSON {"SecretId":"…","SecretKey":"…"}';
  if (name === "client-api-keys" && !parseClientKeys(value)) return "client-api-keys must be a JSON array of keys, each at least 16 characters";
  // The console's SDKSecretKey is 64 hex characters; older apps have other lengths, so only emptiness and spaces are refused.
  if (isUserSigKeyName(name) && !/^\S{16,}$/.test(value)) return `${name} must be the TRTC app's SDK secret key (console: Application Management → SDKSecretKey), at least 16 characters without spaces`;
  return undefined;
}

export async function putSecret(o: PutSecretOptions): Promise<void> {
  const problem = validateSecretValue(o.name, o.value);
  if (problem) throw new Error(`put-secret: ${problem}`);
  const httpProfile = o.reroute?.apiAgent
    ? { endpoint: "kms.tencentcloudapi.com", protocol: "http://", agent: o.reroute.apiAgent }
    : { endpoint: "kms.tencentcloudapi.com" };
  const config: ClientConfig = { credential: o.credential, region: o.region, profile: { httpProfile } };
  const cos = new COS({
    SecretId: o.credential.secretId,
    SecretKey: o.credential.secretKey,
    SecurityToken: o.credential.token,
    ...(o.reroute?.cosIp ? { Protocol: "http:" as const, Ip: o.reroute.cosIp } : {}),
  });
  const store = createCosStore({ cos, bucket: o.bucket, region: o.region });
  await writeRuntimeSecret(store, createKmsPort(config), o.kmsKeyId, o.prefix ?? "secrets/", o.name as RuntimeSecretName, o.value);
}
