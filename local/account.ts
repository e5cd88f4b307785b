// The local account: APPID/UIN the stack's references resolve to, the execution role's temporary keys every
// function instance receives, the keys a "customer" puts in CosConfig, the keys of the staging-bucket writer, and an
// API Gateway key pair for SECRET routes. Secret halves are random per start and never printed.
import { randomBytes } from "node:crypto";
import type { ApiKeyPair } from "../emulator/ingress/key-pair-auth";
import type { RoleCredentials } from "../emulator/scf/function-env";

export interface KeyPair {
  secretId: string;
  secretKey: string;
}

export interface LocalAccountKeys {
  appId: string;
  uin: string;
  /** SCF_ExecuteRole's temporary credentials (STS-like: id, key and session token). */
  role: RoleCredentials;
  /** Keys a caller may put in CosConfig (accepted by the COS double for any bucket). */
  customer: KeyPair;
  /** The staging bucket writer (the `trtc-staging-cos-key` runtime secret). */
  stagingWriter: KeyPair;
  /** API Gateway key pair for auth_type SECRET routes. */
  apiKey: ApiKeyPair;
  /** Bearer key for recorder-api's own client auth (function-URL ingress with auth on: `client-api-keys`). */
  clientApiKey: string;
}

const id = (prefix: string) => `AKID${prefix}${randomBytes(10).toString("hex")}`;
const key = () => randomBytes(24).toString("base64url");

export function newLocalAccount(appId = "1250000000", uin = "100000000001"): LocalAccountKeys {
  return {
    appId,
    uin,
    role: { secretId: id("Role"), secretKey: key(), token: randomBytes(32).toString("base64url") },
    customer: { secretId: id("Cust"), secretKey: key() },
    stagingWriter: { secretId: id("Stag"), secretKey: key() },
    apiKey: { secretId: id("Apig"), secretKey: key() },
    clientApiKey: key(),
  };
}

/** "AKIDRole1234…" — enough to recognise a key in a log, never the secret half. */
export function maskId(secretId: string): string {
  return `${secretId.slice(0, 10)}…`;
}
