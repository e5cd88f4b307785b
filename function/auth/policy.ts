// The deployment's security settings, read once from the environment (function/wiring.ts) and passed in with the
// recorder's config. Defaults are the safe ones: UserSig verified, callbacks only to public addresses, the role
// delivers to no caller bucket until the environment allow-lists it.

export interface SecurityPolicy {
  /**
   * `verify`: every start proves its UserId with a UserSig checked against the app's SDK secret key (runtime secret
   * `trtc-sdk-secret-key-<SdkAppId>`). `off`: the environment opted out (RECORDER_CALLER_CHECK=off; synth warns).
   * @default "verify"
   */
  userSig: "verify" | "off";
  /**
   * Callback hosts (`host` or `host:port`, lower case) allowed by the environment (RECORDER_CALLBACK_HOSTS). Empty:
   * any public http(s) endpoint. Non-empty: only these, and they may be private (the local cloud's own sink).
   * @default []
   */
  callbackHosts: string[];
  /** Buckets the execution role may deliver to when the caller gives no keys (RECORDER_ROLE_BUCKETS). @default [] */
  roleBuckets: string[];
  /** The deployment's own buckets (state, staging, artifacts): never a delivery target. @default [] */
  reservedBuckets: string[];
}

export const DEFAULT_SECURITY: SecurityPolicy = {
  userSig: "verify",
  callbackHosts: [],
  roleBuckets: [],
  reservedBuckets: [],
};

/** A comma/space separated list from an environment variable, lower-cased, empty entries dropped. */
export function listFromEnv(value: string | undefined): string[] {
  return (value ?? "")
    .split(/[\s,]+/)
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== "");
}

export function securityFromEnv(env: Record<string, string | undefined>): SecurityPolicy {
  const reserved = [env.RECORDER_STATE_BUCKET, env.RECORDER_STAGING_BUCKET, env.RECORDER_LOCK_BUCKET, ...listFromEnv(env.RECORDER_RESERVED_BUCKETS)];
  return {
    ...DEFAULT_SECURITY,
    userSig: env.RECORDER_CALLER_CHECK === "off" ? "off" : "verify",
    callbackHosts: listFromEnv(env.RECORDER_CALLBACK_HOSTS),
    roleBuckets: listFromEnv(env.RECORDER_ROLE_BUCKETS),
    reservedBuckets: reserved.filter((b): b is string => typeof b === "string" && b !== "").map((b) => b.toLowerCase()),
  };
}

/** The policy in force: the configured one, else the safe defaults. */
export function securityOf(config: { security?: SecurityPolicy }): SecurityPolicy {
  return config.security ?? DEFAULT_SECURITY;
}
