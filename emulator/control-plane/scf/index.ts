// SCF 2018-04-16 control plane: every action terraform-provider-tencentcloud v1.83.25 calls for tencentcloud_scf_*
// (function, function_version, function_alias, layer, trigger, function_event_invoke_config, namespace), on state
// that persists in the control plane's folder ("scf.json" + content-addressed zips in "scf-code/").
import type { Tc3ServiceDef } from "../../tc3/types";
import type { ControlPlaneContext } from "../context";
import { persistedState } from "../persisted-state";
import { beijingTime } from "../request-params";
import { aliasActions } from "./aliases";
import { CodeSource, type CosObjectReader } from "./code-source";
import type { ScfDeps } from "./deps";
import { eventInvokeConfigActions } from "./event-invoke-config";
import { functionActions } from "./functions";
import { layerActions } from "./layers";
import type { ScfState } from "./model";
import { namespaceActions } from "./namespaces";
import type { CfsLookup, VpcLookup } from "./network-check";
import { ScfStore } from "./store";
import { triggerActions } from "./triggers";
import { versionActions } from "./versions";

export type { CosObjectReader } from "./code-source";
export { cosStoreReader } from "./cos-reader";
export type { CfsLookup, VpcLookup, MountTargetView } from "./network-check";
export type * from "./model";

export interface ScfControlOptions extends ControlPlaneContext {
  /** Checks CfsConfig against the account's CFS; without it mounts are checked for shape only. */
  cfs?: CfsLookup;
  /** Checks VpcConfig against the account's VPCs; without it only the pairing of VpcId/SubnetId is checked. */
  vpc?: VpcLookup;
  /** Checks Role against the account's CAM roles; without it any role name is taken. */
  roleExists?: (name: string) => boolean;
  /** Fetches COS code (CosBucketName/CosObjectName); without it COS code is recorded by reference only. */
  readCosObject?: CosObjectReader;
  /** Host suffix of function URLs. @default "<region>.tencentscf.com" */
  functionUrlDomain?: string;
}

export interface ScfControlService extends Tc3ServiceDef {
  /** The live state (read-only use: to-deployment projects it). */
  state(): ScfState;
  /** Whether a function exists and `qualifier` ($LATEST, $DEFAULT, a version or an alias) resolves on it. */
  scfFunctionExists(fn: { namespace: string; name: string; qualifier: string }): boolean;
}

export function scfControlService(opts: ScfControlOptions): ScfControlService {
  const persisted = persistedState<ScfState>(opts.stateDir, "scf", () => {
    const now = beijingTime(opts.now());
    return { namespaces: [{ name: "default", description: "default namespace", type: "default", addTime: now, modTime: now }], functions: [], layers: {} };
  });
  const deps: ScfDeps = {
    store: new ScfStore(persisted),
    code: new CodeSource({ stateDir: opts.stateDir, appId: opts.appId, readCosObject: opts.readCosObject }),
    cfs: opts.cfs,
    vpc: opts.vpc,
    roleExists: opts.roleExists,
    tags: opts.tags,
    region: opts.region,
    now: opts.now,
    functionUrlDomain: opts.functionUrlDomain ?? `${opts.region}.tencentscf.com`,
  };
  return {
    service: "scf",
    version: "2018-04-16",
    state: () => persisted.data,
    scfFunctionExists: ({ namespace, name, qualifier }) => {
      const fn = deps.store.findFunction(namespace || "default", name);
      if (!fn) return false;
      try {
        deps.store.resolveQualifier(fn, qualifier);
        return true;
      } catch {
        return false;
      }
    },
    actions: {
      ...functionActions(deps),
      ...versionActions(deps),
      ...aliasActions(deps),
      ...layerActions(deps),
      ...triggerActions(deps),
      ...namespaceActions(deps),
      ...eventInvokeConfigActions(deps),
    },
  };
}
