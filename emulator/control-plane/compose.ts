// Builds the services of the emulated account. SCF, CAM, VPC, CFS and Tag are wired here explicitly because they
// consult each other (SCF checks VPC subnets and CFS mount targets; CFS checks VPC subnets; all record tags). Any
// other folder of emulator/control-plane/ whose index.ts exports a `<name>ControlService(ctx)` factory is composed
// too, with the same context, so a new service joins the control plane by adding its folder.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Tc3ServiceDef } from "../tc3/types";
import { camControlService, type CamControlService } from "./cam";
import { cfsControlService, type CfsControlService } from "./cfs";
import type { ControlPlaneContext } from "./context";
import { scfControlService, type CosObjectReader, type ScfControlService } from "./scf";
import { tagControlService, type TagControlService } from "./tag";
import { vpcControlService, type VpcControlService } from "./vpc";

export interface CoreServices {
  tags: TagControlService;
  scf: ScfControlService;
  cam: CamControlService;
  vpc: VpcControlService;
  cfs: CfsControlService;
}

export interface ComposeOptions {
  readCosObject?: CosObjectReader;
  functionUrlDomain?: string;
}

export function composeCoreServices(base: Omit<ControlPlaneContext, "tags">, opts: ComposeOptions = {}): CoreServices {
  const tags = tagControlService({ stateDir: base.stateDir });
  const ctx: ControlPlaneContext = { ...base, tags };
  const vpc = vpcControlService(ctx);
  const cfs = cfsControlService({ ...ctx, network: vpc });
  const cam = camControlService(ctx);
  const scf = scfControlService({ ...ctx, cfs, vpc, roleExists: (name) => cam.roleExists(name), readCosObject: opts.readCosObject, functionUrlDomain: opts.functionUrlDomain });
  // A function in a VPC and a CFS mount target each hold an interface in their subnet.
  vpc.addSubnetUsers((subnetId) => cfs.state().fileSystems.filter((f) => f.subnetId === subnetId).map((f) => `CFS ${f.id}`));
  vpc.addSubnetUsers((subnetId) =>
    scf.state().functions.filter((f) => f.latest.vpc.SubnetId === subnetId || f.versions.some((v) => v.config.vpc.SubnetId === subnetId)).map((f) => `SCF ${f.namespace}/${f.name}`),
  );
  return { tags, scf, cam, vpc, cfs };
}

const CORE_FOLDERS = new Set(["scf", "cam", "vpc", "cfs", "tag"]);

function isServiceDef(v: unknown): v is Tc3ServiceDef {
  const d = v as Partial<Tc3ServiceDef> | null;
  return typeof d === "object" && d !== null && typeof d.service === "string" && typeof d.version === "string" && typeof d.actions === "object";
}

/**
 * Every `<name>ControlService` factory exported by the other service folders, called with the shared context plus
 * the core services and `scfFunctionExists` (so API Gateway can check the functions its APIs name). Folders without
 * one are skipped.
 */
export async function discoverServices(ctx: ControlPlaneContext, core: CoreServices, dir: string = __dirname): Promise<Tc3ServiceDef[]> {
  const found: Tc3ServiceDef[] = [];
  for (const name of readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory() && !CORE_FOLDERS.has(d.name)).map((d) => d.name).sort()) {
    const index = join(dir, name, "index.ts");
    if (!existsSync(index)) continue;
    const mod = (await import(pathToFileURL(index).href)) as Record<string, unknown>;
    for (const [exported, factory] of Object.entries(mod)) {
      if (!/ControlService$/.test(exported) || typeof factory !== "function") continue;
      const def: unknown = await (factory as (c: unknown) => unknown)({ ...ctx, ...core, scfFunctionExists: core.scf.scfFunctionExists });
      if (!isServiceDef(def)) throw new Error(`control plane: ${name}/index.ts ${exported}(ctx) did not return a service definition {service, version, actions}`);
      found.push(def);
    }
  }
  return found;
}
