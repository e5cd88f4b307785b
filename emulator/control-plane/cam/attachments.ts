// AttachRolePolicy, DetachRolePolicy, ListAttachedRolePolicies. Roles are named by id or name (AttachRoleId /
// AttachRoleName), policies by PolicyId or PolicyName. PolicyType in the listing is "User" for the account's own
// policies and "QCS" for preset ones.
import { Tc3ApiError, type Tc3Handler } from "../../tc3/types";
import type { ControlPlaneContext } from "../context";
import type { PersistedState } from "../persisted-state";
import { beijingTime, optInt } from "../request-params";
import type { CamState } from "./model";
import { findPolicy } from "./policies";
import { findRole } from "./roles";

const MAX_POLICIES_PER_ROLE = 200;

export function attachmentActions(ctx: ControlPlaneContext, persisted: PersistedState<CamState>): Record<string, Tc3Handler> {
  const s = () => persisted.data;
  return {
    AttachRolePolicy: (p) => {
      const role = findRole(s(), p, "AttachRoleId", "AttachRoleName");
      const policy = findPolicy(s(), p, "InvalidParameter.PolicyIdNotExist");
      const mine = s().attachments.filter((a) => a.roleId === role.roleId);
      if (mine.some((a) => a.policyId === policy.policyId)) return {};
      if (mine.length >= MAX_POLICIES_PER_ROLE) throw new Tc3ApiError("InvalidParameter.AttachmentFull", `Role ${role.name} already has ${MAX_POLICIES_PER_ROLE} policies`);
      s().attachments.push({ roleId: role.roleId, policyId: policy.policyId, addTime: beijingTime(ctx.now()) });
      persisted.save();
      return {};
    },
    DetachRolePolicy: (p) => {
      const role = findRole(s(), p, "DetachRoleId", "DetachRoleName");
      const policy = findPolicy(s(), p, "InvalidParameter.PolicyIdNotExist");
      s().attachments = s().attachments.filter((a) => !(a.roleId === role.roleId && a.policyId === policy.policyId));
      persisted.save();
      return {};
    },
    ListAttachedRolePolicies: (p) => {
      const role = findRole(s(), p, "RoleId", "RoleName");
      const rows = s().attachments.filter((a) => a.roleId === role.roleId);
      const page = optInt(p, "Page") ?? 1;
      const rp = optInt(p, "Rp") ?? 20;
      return {
        TotalNum: rows.length,
        List: rows.slice((page - 1) * rp, page * rp).flatMap((a) => {
          const x = s().policies.find((y) => y.policyId === a.policyId);
          if (!x) return [];
          return [{ PolicyId: x.policyId, PolicyName: x.name, AddTime: a.addTime, PolicyType: x.type === 2 ? "QCS" : "User", CreateMode: x.createMode, Deactived: 0, DeactivedDetail: [], Description: x.description }];
        }),
      };
    },
  };
}
