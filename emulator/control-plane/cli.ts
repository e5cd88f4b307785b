// Runs the control-plane emulator on its own, for `terraform apply` with the real provider: SCF/CAM/VPC/CFS/Tag and
// the discovered services on one port, COS buckets behind the same port (the provider's cos_domain), state in a folder.
// Credentials come from TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY (the same variables the provider reads) and
// are never printed.
import { parseArgs } from "node:util";
import { resolve } from "node:path";
import type { ControlPlane } from "./server";
import { startControlPlaneWithCos } from "./with-cos";

export interface ControlPlaneCliOptions {
  stateDir: string;
  port: number;
  region: string;
}

export function parseControlPlaneArgs(argv: string[]): ControlPlaneCliOptions {
  const { values } = parseArgs({
    args: argv,
    options: { state: { type: "string", default: ".local-cloud/control-plane" }, port: { type: "string", default: "0" }, region: { type: "string", default: "ap-guangzhou" } },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0..65535 (got "${values.port}")`);
  return { stateDir: resolve(values.state), port, region: values.region };
}

/** The lines a user needs to point terraform at the emulator (no secrets). */
export function providerInstructions(cp: ControlPlane): string[] {
  return [
    `control plane listening on ${cp.proxyUrl} (state: ${cp.stateDir ?? "memory"})`,
    `provider "tencentcloud" { protocol = "HTTP"  domain = "emulator.local"  cos_domain = "http://cos.${cp.region}.myqcloud.com"  region = "${cp.region}" }`,
    `export HTTP_PROXY=${cp.proxyUrl} HTTPS_PROXY=${cp.proxyUrl} TENCENTCLOUD_READ_RETRY_TIMEOUT=1 TENCENTCLOUD_WRITE_RETRY_TIMEOUT=1`,
  ];
}

export async function runControlPlaneCli(argv: string[], env: NodeJS.ProcessEnv): Promise<ControlPlane> {
  const opts = parseControlPlaneArgs(argv);
  const secretId = env.TENCENTCLOUD_SECRET_ID;
  const secretKey = env.TENCENTCLOUD_SECRET_KEY;
  if (!secretId || !secretKey) {
    throw new Error("set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY (any local pair): the emulator verifies the provider's signatures with them");
  }
  const started = await startControlPlaneWithCos({ stateDir: opts.stateDir, credentials: [{ secretId, secretKey }], port: opts.port, region: opts.region });
  return started.controlPlane;
}

if (require.main === module) {
  runControlPlaneCli(process.argv.slice(2), process.env).then(
    (cp) => {
      for (const line of providerInstructions(cp)) console.log(line);
      const stop = () => void cp.close().then(() => process.exit(0));
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
    },
    (e: unknown) => {
      console.error(`control plane: ${e instanceof Error ? e.message : String(e)}`);
      process.exit(1);
    },
  );
}
