// CreateRole, GetRole, DescribeRoleList, DeleteRole, UpdateAssumeRolePolicy, UpdateRoleDescription,
// UpdateRoleConsoleLogin, UpdateRoleSessionDuration. A name already taken (e.g. the console-made SCF_ExecuteRole)
// answers InvalidParameter.RoleNameInUse, which the provider does not retry (resource_tc_cam_role.go Create).
import { Tc3ApiError, type Tc3Handler } from "../../tc3/types";
import type { ControlPlaneContext } from "../context";
import type { PersistedState } from "../persisted-state";
import { beijingTime, optInt, optString, reqString } from "../request-params";
import { checkPolicyDocument } from "./documents";
import type { CamState, RoleRecord } from "./model";

const ROLE_NAME = /^[\w+=,.@-]{1,128}$/;

/**
 * Role ids are 19-digit numbers (~4.6e18). The provider sends RoleId as a JSON number in some calls
 * (UpdateRoleConsoleLogin, UpdateRoleSessionDuration), which JavaScript reads as a double; ids spaced 1024 apart
 * from 2^62 are exact doubles, so such a request still names exactly one role.
 */
export function roleIdFor(seq: number): string {
  return (2n ** 62n + BigInt(seq) * 1024n).toString();
}

export function roleView(r: RoleRecord, uin: string) {
  return {
    RoleId: r.roleId,
    RoleName: r.name,
    PolicyDocument: r.document,
    Description: r.description,
    AddTime: r.addTime,
    UpdateTime: r.updateTime,
    ConsoleLogin: r.consoleLogin,
    RoleType: "user",
    SessionDuration: r.sessionDuration,
    DeletionTaskId: "",
    Tags: [],
    RoleArn: `qcs::cam::uin/${uin}:roleName/${r.name}`,
  };
}

export function findRole(s: CamState, p: Record<string, unknown>, idField: string, nameField: string): RoleRecord {
  const raw = p[idField];
  const id = optString(p, idField) ?? (typeof raw === "number" ? BigInt(raw).toString() : undefined);
  const name = optString(p, nameField);
  if (id === undefined && name === undefined) throw new Tc3ApiError("MissingParameter", `One of ${idField} or ${nameField} is required`);
  const r = s.roles.find((x) => (id !== undefined ? x.roleId === id : x.name === name));
  if (!r) throw new Tc3ApiError("InvalidParameter.RoleNotExist", `Role ${id ?? name} does not exist`);
  return r;
}

export function roleActions(ctx: ControlPlaneContext, persisted: PersistedState<CamState>): Record<string, Tc3Handler> {
  const s = () => persisted.data;
  const now = () => beijingTime(ctx.now());
  const touch = (r: RoleRecord) => {
    r.updateTime = now();
    persisted.save();
    return {};
  };
  return {
    CreateRole: (p) => {
      const name = reqString(p, "RoleName");
      if (!ROLE_NAME.test(name)) throw new Tc3ApiError("InvalidParameter.RoleNameError", `RoleName must be 1-128 characters of letters, digits and +=,.@-_ (got "${name}")`);
      const document = reqString(p, "PolicyDocument");
      checkPolicyDocument(document, "PolicyDocument", true);
      if (s().roles.some((r) => r.name === name)) throw new Tc3ApiError("InvalidParameter.RoleNameInUse", `role name in use: ${name}`);
      const duration = optInt(p, "SessionDuration") ?? 7200;
      if (duration < 0 || duration > 43_200) throw new Tc3ApiError("InvalidParameter", `SessionDuration must be 0..43200 seconds (got ${duration})`);
      const time = now();
      const r: RoleRecord = {
        roleId: roleIdFor(s().nextRoleSeq),
        name,
        document,
        description: optString(p, "Description") ?? "",
        consoleLogin: optInt(p, "ConsoleLogin") ?? 0,
        sessionDuration: duration,
        addTime: time,
        updateTime: time,
      };
      s().nextRoleSeq += 1;
      s().roles.push(r);
      persisted.save();
      return { RoleId: r.roleId };
    },
    GetRole: (p) => ({ RoleInfo: roleView(findRole(s(), p, "RoleId", "RoleName"), ctx.uin) }),
    DescribeRoleList: (p) => {
      const page = optInt(p, "Page") ?? 1;
      const rp = optInt(p, "Rp") ?? 20;
      if (page < 1 || rp < 1 || rp > 200) throw new Tc3ApiError("InvalidParameter", `Page must be >= 1 and Rp 1..200 (got Page ${page}, Rp ${rp})`);
      return { List: s().roles.slice((page - 1) * rp, page * rp).map((r) => roleView(r, ctx.uin)), TotalNum: s().roles.length };
    },
    DeleteRole: (p) => {
      const r = findRole(s(), p, "RoleId", "RoleName");
      s().roles = s().roles.filter((x) => x !== r);
      // The provider tags roles at `qcs::cam::uin/:role/<RoleId>` (empty region); they go with the role.
      ctx.tags.forget(`qcs::cam::uin/:role/${r.roleId}`);
      s().attachments = s().attachments.filter((a) => a.roleId !== r.roleId);
      persisted.save();
      return {};
    },
    UpdateAssumeRolePolicy: (p) => {
      const r = findRole(s(), p, "RoleId", "RoleName");
      const document = reqString(p, "PolicyDocument");
      checkPolicyDocument(document, "PolicyDocument", true);
      r.document = document;
      return touch(r);
    },
    UpdateRoleDescription: (p) => {
      const r = findRole(s(), p, "RoleId", "RoleName");
      r.description = reqString(p, "Description");
      return touch(r);
    },
    UpdateRoleConsoleLogin: (p) => {
      const r = findRole(s(), p, "RoleId", "RoleName");
      r.consoleLogin = optInt(p, "ConsoleLogin") ?? r.consoleLogin;
      return touch(r);
    },
    UpdateRoleSessionDuration: (p) => {
      const r = findRole(s(), p, "RoleId", "RoleName");
      r.sessionDuration = optInt(p, "SessionDuration") ?? r.sessionDuration;
      return touch(r);
    },
  };
}
