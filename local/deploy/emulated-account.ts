// The emulated Tencent Cloud account `npm run deploy:local` applies into: the control-plane emulator (TC3 APIs of
// SCF, CAM, VPC, CFS, API Gateway, KMS, CLS, Monitor, Tag) with the COS emulator behind the same port (the provider
// reaches both through HTTP_PROXY), state kept in a folder so a second apply sees the first one's resources.
import { randomBytes } from "node:crypto";
import { localBuckets, type CosRoute } from "../../emulator/cos";
import { releasedRoutes } from "../../emulator/control-plane/apigw";
import type { ApigwControlService } from "../../emulator/control-plane/apigw";
import { localKmsKeys } from "../../emulator/control-plane/kms";
import type { KmsService } from "../../emulator/kms";
import type { ControlPlane } from "../../emulator/control-plane/server";
import { startControlPlaneWithCos } from "../../emulator/control-plane/with-cos";
import { controlPlaneDeployment } from "../../emulator/control-plane/to-deployment";
import type { LocalDeployment } from "../../emulator/deployment";

export interface EmulatedAccount {
  controlPlane: ControlPlane;
  cos: CosRoute;
  /** The key pair terraform and the publish step use (random per start; never printed). */
  credentials: { secretId: string; secretKey: string };
  /** What the account holds now, as the local cloud's data plane serves it; warnings name what it cannot serve. */
  deployment(stackName: string, stackDir: string): { deployment: LocalDeployment; warnings: string[] };
  close(): Promise<void>;
}

export async function startEmulatedAccount(stateDir: string, port = 0): Promise<EmulatedAccount> {
  const credentials = { secretId: `AKIDLocal${randomBytes(12).toString("hex")}`, secretKey: randomBytes(24).toString("base64url") };
  const { controlPlane, cos } = await startControlPlaneWithCos({ stateDir, credentials: [credentials], port });
  const service = <T>(name: string) => controlPlane.services.find((s) => s.service === name) as T | undefined;
  return {
    controlPlane,
    cos,
    credentials,
    deployment(stackName, stackDir) {
      const apigw = service<ApigwControlService>("apigateway");
      const kms = service<KmsService>("kms");
      const routes = apigw ? releasedRoutes(apigw.snapshot()) : { routes: [], warnings: [] };
      const projected = controlPlaneDeployment({
        scf: controlPlane.scf.state(),
        account: controlPlane.account,
        region: controlPlane.region,
        stackName,
        stackDir,
        routes: routes.routes,
        buckets: localBuckets(cos.store),
        kmsKeys: kms ? localKmsKeys(kms) : [],
      });
      return { deployment: projected.deployment, warnings: [...routes.warnings, ...projected.warnings] };
    },
    close: () => controlPlane.close(),
  };
}
