import { Construct } from "constructs";
import { kmsKey } from "../provider/generated";
import { PropChecker } from "./prop-errors";

export interface EncryptionKeyProps {
  /** Key alias. */
  readonly alias: string;
  /** Days before a deleted key is destroyed (7..30). @default 30 */
  readonly pendingDeleteWindowInDays?: number;
  /** Tags. @default {} */
  readonly tags?: Record<string, string>;
}

/**
 * The KMS key the recorder envelope-encrypts with: callers' COS keys kept for a later step and the runtime secrets
 * (callback signing key, TRTC event key, staging bucket key). Secrets never enter Terraform config or state.
 */
export class EncryptionKey extends Construct {
  readonly keyId: string;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    const c = new PropChecker("EncryptionKey");
    c.matches(props.alias, "alias", /^[A-Za-z0-9_-]{1,60}$/, "1-60 letters, digits, _ or -");
    const window = props.pendingDeleteWindowInDays ?? 30;
    c.intRange(window, "pendingDeleteWindowInDays", 7, 30);
    const key = new kmsKey.KmsKey(this, "key", {
      alias: props.alias,
      description: "TRTC recorder envelope encryption",
      keyUsage: "ENCRYPT_DECRYPT",
      // is_enabled defaults to false, and then Create disables the key it just made (resource_tc_kms_key.go): every
      // Encrypt/Decrypt would fail. Enabled, Create skips DisableKey and turns rotation on for an enabled key.
      isEnabled: true,
      keyRotationEnabled: true,
      pendingDeleteWindowInDays: window,
      tags: props.tags,
    });
    this.keyId = key.id;
  }
}
