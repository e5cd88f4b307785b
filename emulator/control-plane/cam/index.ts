// CAM 2019-01-16 control plane: what tencentcloud_cam_role, _cam_policy, _cam_role_policy_attachment and the
// tencentcloud_cam_policies / tencentcloud_user_info data sources call (cam/service_tencentcloud_cam.go,
// data_source_tc_user_info.go: GetUserAppId then DescribeSubAccounts). The account starts the way a real one does:
// preset QCS policies, and the SCF service roles the console creates (SCF_QcsRole, SCF_ExecuteRole).
import { Tc3ApiError, type Tc3ServiceDef } from "../../tc3/types";
import type { ControlPlaneContext } from "../context";
import { persistedState } from "../persisted-state";
import { beijingTime } from "../request-params";
import { attachmentActions } from "./attachments";
import type { CamState } from "./model";
import { policyActions } from "./policies";
import { seedAccount } from "./presets";
import { roleActions } from "./roles";

export type { CamState, RoleRecord, PolicyRecord, AttachmentRecord } from "./model";

export interface CamControlService extends Tc3ServiceDef {
  state(): CamState;
  /** Whether a role of that name exists (SCF checks a function's Role against it). */
  roleExists(name: string): boolean;
}

export function camControlService(ctx: ControlPlaneContext): CamControlService {
  const persisted = persistedState<CamState>(ctx.stateDir, "cam", () => seedAccount(beijingTime(ctx.now())));
  return {
    service: "cam",
    version: "2019-01-16",
    state: () => persisted.data,
    roleExists: (name) => persisted.data.roles.some((r) => r.name === name),
    actions: {
      ...roleActions(ctx, persisted),
      ...policyActions(ctx, persisted),
      ...attachmentActions(ctx, persisted),
      GetUserAppId: () => ({ Uin: ctx.uin, OwnerUin: ctx.ownerUin, AppId: Number(ctx.appId) }),
      // The caller is the root account, which is no sub-account: the filter by its UIN matches nothing.
      DescribeSubAccounts: (p) => {
        const uins = p.FilterSubAccountUin;
        if (!Array.isArray(uins) || uins.length === 0) throw new Tc3ApiError("InvalidParameter.ParamError", "FilterSubAccountUin must be a non-empty array of UINs");
        return { SubAccounts: [] };
      },
    },
  };
}
