// The control plane with the COS emulator behind the same port: how the real provider sees an account (TC3 APIs on
// `<service>.<domain>`, buckets on `<bucket>.cos.<region>.myqcloud.com`, all through one HTTP_PROXY), and SCF reading
// function and layer code from those buckets as CreateFunction does. The standalone CLI and `npm run deploy:local`
// both start it this way.
import { cosRoute, type CosRoute } from "../cos/route";
import { DEFAULT_ACCOUNT } from "./context";
import { cosStoreReader } from "./scf";
import { startControlPlane, type ControlPlane, type ControlPlaneOptions } from "./server";

export interface ControlPlaneWithCos {
  controlPlane: ControlPlane;
  cos: CosRoute;
}

export async function startControlPlaneWithCos(opts: Omit<ControlPlaneOptions, "routes" | "readCosObject">): Promise<ControlPlaneWithCos> {
  // The bucket APPID must be the account's: bucket names come from the provider's user-info data source.
  const cos = cosRoute({ credentials: opts.credentials, stateDir: opts.stateDir, appId: opts.account?.appId ?? DEFAULT_ACCOUNT.appId });
  const controlPlane = await startControlPlane({ ...opts, routes: [cos], readCosObject: cosStoreReader(cos.store) });
  return { controlPlane, cos };
}
