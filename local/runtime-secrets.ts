// Provisions the recorder's runtime secrets the way an operator would after a deployment (function/secrets:
// KMS-envelope-encrypted under RECORDER_SECRETS_PREFIX), into the store the functions read them from
// (`runtimeSecretsStore` in function/wiring.ts decides which).
import { cosFactoryFromEnv, runtimeSecretsStore } from "../function/wiring";
import { createKmsPort } from "../function/secrets/kms-adapter";
import { writeRuntimeSecret, type RuntimeSecretName } from "../function/secrets/runtime-secrets";
import type { StateStore } from "../function/state/store";
import { tc3AgentFor } from "../emulator/endpoints";
import type { RoleCredentials } from "../emulator/scf/function-env";

export interface ProvisionInputs {
  /** The function's environment after path mapping (userEnvironment). */
  env: Record<string, string>;
  region: string;
  role: RoleCredentials;
  apiEndpoint: string;
  cosIp: string;
  values: Partial<Record<RuntimeSecretName, string>>;
}

function secretsStore(i: ProvisionInputs): StateStore {
  const env: Record<string, string | undefined> = {
    ...i.env,
    TENCENTCLOUD_SECRETID: i.role.secretId,
    TENCENTCLOUD_SECRETKEY: i.role.secretKey,
    TENCENTCLOUD_SESSIONTOKEN: i.role.token,
    RECORDER_COS_IP_OVERRIDE: i.cosIp,
  };
  if (!env.RECORDER_STATE_BUCKET && !env.CFS_PATH) {
    throw new Error("provisioning runtime secrets: the function has neither RECORDER_STATE_BUCKET/REGION nor CFS_PATH");
  }
  // The same rule the functions read with (function/wiring.ts), so writer and reader cannot drift apart.
  return runtimeSecretsStore(env, cosFactoryFromEnv(env));
}

/** Writes each given secret; returns where they went (for the terminal). */
export async function provisionRuntimeSecrets(i: ProvisionInputs): Promise<string> {
  const keyId = i.env.RECORDER_KMS_KEY_ID;
  if (!keyId) throw new Error("provisioning runtime secrets: the function has no RECORDER_KMS_KEY_ID");
  const store = secretsStore(i);
  const agent = tc3AgentFor(i.apiEndpoint);
  const kms = createKmsPort({
    credential: { secretId: i.role.secretId, secretKey: i.role.secretKey, token: i.role.token },
    region: i.region,
    profile: { httpProfile: { endpoint: "kms.tencentcloudapi.com", protocol: "http://", agent } },
  });
  try {
    for (const [name, value] of Object.entries(i.values) as Array<[RuntimeSecretName, string | undefined]>) {
      if (value !== undefined) await writeRuntimeSecret(store, kms, keyId, i.env.RECORDER_SECRETS_PREFIX || "secrets/", name, value);
    }
  } finally {
    agent.destroy();
  }
  return store.location;
}
