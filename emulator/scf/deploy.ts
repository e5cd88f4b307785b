// "Deploys" the synthesized functions into the state folder: each code zip unpacked into its own code folder, each
// distinct layer list unpacked in binding order into one "opt" folder, each CFS file system a folder, and the
// instance bootstrap built. Unpacked trees are reused while their zip is unchanged (keyed by zip path + size + mtime).
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { LocalDeployment, LocalFunction } from "../deployment";
import { buildBootstrap } from "./child/build-bootstrap";
import { functionPathMappings, type PathMapping } from "./path-mapping";
import { extractLayered, extractZip } from "./unzip";

export interface DeployedFunction {
  fn: LocalFunction;
  codeDir: string;
  optDir: string;
  mappings: PathMapping[];
}

export interface DeployedFunctions {
  functions: DeployedFunction[];
  bootstrapPath: string;
  stateDir: string;
}

function fingerprint(zips: string[]): string {
  const h = createHash("sha256");
  for (const z of zips) {
    const st = statSync(z);
    h.update(`${z}\0${st.size}\0${st.mtimeMs}\n`);
  }
  return h.digest("hex").slice(0, 16);
}

async function unpackOnce(zips: string[], target: string, unpack: () => Promise<void>): Promise<void> {
  const marker = `${target}.source`;
  const print = fingerprint(zips);
  if (existsSync(marker) && readFileSync(marker, "utf8") === print) return;
  await unpack();
  writeFileSync(marker, print);
}

export async function deployFunctions(deployment: LocalDeployment, stateDir: string): Promise<DeployedFunctions> {
  for (const fn of deployment.functions) {
    // SCF's CfsConfig takes the file system id (cfs-…) and its mount target id; an FSID (the NFS root id) is refused.
    for (const m of fn.mounts) {
      if (!/^cfs-[a-z0-9]+$/.test(m.fsId)) throw new Error(`${fn.address}: cfs_config.cfs_id ${JSON.stringify(m.fsId)} is not a CFS file system id (cfs-…); SCF refuses the mount`);
    }
    if (!existsSync(fn.codeZipPath)) throw new Error(`${fn.address}: zip_file ${fn.codeZipPath} does not exist (synthesize again)`);
    for (const l of fn.layers) if (!existsSync(l.zipPath)) throw new Error(`${l.address}: content.zip_file ${l.zipPath} does not exist (synthesize again)`);
  }
  const runtimeDir = join(stateDir, "runtime");
  mkdirSync(runtimeDir, { recursive: true });
  const bootstrapPath = buildBootstrap(runtimeDir);
  const cfsRoot = join(stateDir, "cfs");
  const optDone = new Map<string, Promise<void>>();
  const functions: DeployedFunction[] = [];
  for (const fn of deployment.functions) {
    const codeDir = join(stateDir, "code", fn.namespace, fn.name);
    await unpackOnce([fn.codeZipPath], codeDir, () => extractZip(fn.codeZipPath, codeDir));
    const layerZips = fn.layers.map((l) => l.zipPath);
    const optKey = layerZips.length ? fingerprint(layerZips) : "empty";
    const optDir = join(stateDir, "opt", optKey);
    if (!optDone.has(optKey)) optDone.set(optKey, unpackOnce(layerZips, optDir, () => extractLayered(layerZips, optDir)));
    await optDone.get(optKey);
    const mappings = functionPathMappings(fn, { optDir, cfsRoot });
    for (const m of mappings.slice(1)) mkdirSync(m.host, { recursive: true });
    functions.push({ fn, codeDir, optDir, mappings });
  }
  return { functions, bootstrapPath, stateDir };
}
