// Minting UserSigs in tests with the reference implementation (npm tls-sig-api-v2), which ships no types.
import { createRequire } from "node:module";
import { join } from "node:path";

interface TlsSigApi {
  genUserSig(userId: string, expireSeconds: number): string;
  genPrivateMapKey(userId: string, expireSeconds: number, roomId: number, privilegeMap: number): string;
}

type TlsSigApiCtor = new (sdkAppId: number, key: string) => TlsSigApi;

function api(sdkAppId: number, key: string): TlsSigApi {
  // Resolved from the repository root so this works under vitest (ESM) and tsx (CJS) alike.
  const { Api } = createRequire(join(process.cwd(), "package.json"))("tls-sig-api-v2") as { Api: TlsSigApiCtor };
  return new Api(sdkAppId, key);
}

/** A UserSig for `userId`, valid `expireSeconds` from now (wall clock). @default 86400 s */
export function mintUserSig(sdkAppId: number, key: string, userId: string, expireSeconds = 86_400): string {
  return api(sdkAppId, key).genUserSig(userId, expireSeconds);
}

/** A token carrying a PrivateMapKey userbuf (signed over an extra TLS.userbuf line). */
export function mintPrivateMapKey(sdkAppId: number, key: string, userId: string, roomId: number, expireSeconds = 86_400): string {
  return api(sdkAppId, key).genPrivateMapKey(userId, expireSeconds, roomId, 255);
}
