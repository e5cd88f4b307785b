// CFS 2019-07-19 control plane: what tencentcloud_cfs_file_system, _access_group and _access_rule call
// (cfs/service_tencentcloud_cfs.go), plus the lookup SCF uses to check a function's CfsConfig.
import type { Tc3ServiceDef } from "../../tc3/types";
import type { ControlPlaneContext } from "../context";
import { persistedState } from "../persisted-state";
import { beijingTime } from "../request-params";
import type { CfsLookup } from "../scf/network-check";
import { accessGroupActions } from "./access-groups";
import { fileSystemActions, type CfsNetworkLookup } from "./file-systems";
import type { CfsState } from "./model";

export type { CfsState, FileSystemRecord, PGroupRecord, RuleRecord } from "./model";
export type { CfsNetworkLookup } from "./file-systems";

export interface CfsControlOptions extends ControlPlaneContext {
  /** Checks VpcId/SubnetId against the account's VPCs; without it they are taken as given. */
  network?: CfsNetworkLookup;
}

export interface CfsControlService extends Tc3ServiceDef, CfsLookup {
  state(): CfsState;
}

export function cfsControlService(opts: CfsControlOptions): CfsControlService {
  const persisted = persistedState<CfsState>(opts.stateDir, "cfs", () => ({
    fileSystems: [],
    // Every account has the default permission group (allow all clients, read-write, no_root_squash).
    pgroups: [
      {
        id: "pgroupbasic",
        name: "默认权限组",
        descInfo: "默认权限组",
        cdate: beijingTime(opts.now()),
        rules: [{ id: "rule-default", authClientIp: "*", rwPermission: "RW", userPermission: "no_root_squash", priority: 100 }],
      },
    ],
  }));
  return {
    service: "cfs",
    version: "2019-07-19",
    state: () => persisted.data,
    fileSystemExists: (id) => persisted.data.fileSystems.some((f) => f.id === id),
    mountTargets: (id) =>
      persisted.data.fileSystems.filter((f) => f.id === id).map((f) => ({ mountTargetId: f.id, vpcId: f.vpcId, subnetId: f.subnetId, ipAddress: f.ipAddress })),
    actions: { ...fileSystemActions(opts, persisted, opts.network), ...accessGroupActions(opts, persisted) },
  };
}
