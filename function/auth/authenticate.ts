// Who is asking: before a start writes anything, the caller proves it holds a UserSig for (SdkAppId, UserId),
// verified with the app's SDK secret key (runtime secret `trtc-sdk-secret-key-<SdkAppId>`). The verified identity,
// plus the client that called (a function-URL API key or a gateway key pair), is the recording's owner: only the
// same owner's repeat is an idempotent duplicate.
import { createHash } from "node:crypto";
import type { FieldError } from "../contract/errors";
import type { RecordRequest } from "../contract/request";
import { userSigKeyName, type RuntimeSecrets } from "../secrets/runtime-secrets";
import type { SecurityPolicy } from "./policy";
import { verifyUserSig } from "./usersig";

/** The authenticated caller of a start. */
export interface CallerIdentity {
  /** `usersig` when the UserSig verified; `unverified` when the environment opted out. */
  proof: "usersig" | "unverified";
  /** Opaque id of the client credential that called (hash of the API key / gateway SecretId), when client auth is on. */
  client?: string;
  /** sha256 of (SdkAppId, UserId, client): what "the same caller" means. */
  owner: string;
}

export type AuthOutcome =
  | { ok: true; identity: CallerIdentity }
  /** `forged`: the caller's fault (400/FAILED); `unverifiable`: the deployment cannot check (503/FAILED). */
  | { ok: false; kind: "forged" | "unverifiable"; error: FieldError };

export interface AuthDeps {
  secrets: RuntimeSecrets;
  policy: Pick<SecurityPolicy, "userSig">;
  nowMs: number;
}

/** A stable, non-reversible id for a client credential (never the credential itself). */
export function clientFingerprint(credential: string): string {
  return `c-${createHash("sha256").update(`client|${credential}`).digest("hex").slice(0, 24)}`;
}

export function ownerOf(sdkAppId: number, userId: string, client: string | undefined): string {
  return createHash("sha256").update(`${sdkAppId}|${userId}|${client ?? ""}`).digest("hex").slice(0, 32);
}

export async function authenticateCaller(request: RecordRequest, client: string | undefined, deps: AuthDeps): Promise<AuthOutcome> {
  const owner = ownerOf(request.sdkAppId, request.userId, client);
  const identity = (proof: CallerIdentity["proof"]): CallerIdentity => (client === undefined ? { proof, owner } : { proof, client, owner });
  if (deps.policy.userSig === "off") return { ok: true, identity: identity("unverified") };
  const name = userSigKeyName(request.sdkAppId);
  const key = await deps.secrets.get(name);
  if (key === undefined || key === "") {
    return {
      ok: false,
      kind: "unverifiable",
      error: {
        field: "SdkAppId",
        expected: `an SdkAppId whose SDK secret key this deployment holds (runtime secret ${name}), so UserSigs can be verified`,
        got: `${request.sdkAppId}: the runtime secret ${name} is not provisioned; recordings for this SdkAppId are refused (operator: npm run secret -- put ${name} …)`,
      },
    };
  }
  const verdict = verifyUserSig(request.userSig, { sdkAppId: request.sdkAppId, userId: request.userId, key, nowMs: deps.nowMs });
  if (!verdict.ok) {
    return {
      ok: false,
      kind: "forged",
      error: { field: "UserSig", expected: `a valid, unexpired UserSig for UserId ${JSON.stringify(request.userId)} of SdkAppId ${request.sdkAppId}`, got: `${verdict.reason} (masked)` },
    };
  }
  return { ok: true, identity: identity("usersig") };
}
