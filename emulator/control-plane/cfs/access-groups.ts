// Permission groups and their rules: CreateCfsPGroup, DescribeCfsPGroups, UpdateCfsPGroup, DeleteCfsPGroup,
// CreateCfsRule, DescribeCfsRules, UpdateCfsRule, DeleteCfsRule. Every account has the default group "pgroupbasic".
// DescribeCfsRules returns RWPermission in lower case (the provider upper-cases it when reading back).
import { Tc3ApiError, type Tc3Handler } from "../../tc3/types";
import type { ControlPlaneContext } from "../context";
import { newId } from "../ids";
import type { PersistedState } from "../persisted-state";
import { beijingTime, oneOf, optInt, optString, reqInt, reqString } from "../request-params";
import type { CfsState, PGroupRecord, RuleRecord } from "./model";

const RW = ["RO", "RW"] as const;
const USER = ["all_squash", "no_all_squash", "root_squash", "no_root_squash"] as const;
const CLIENT_IP = /^(\*|(\d{1,3}\.){3}\d{1,3}(\/\d{1,2})?)$/;

export function accessGroupActions(ctx: ControlPlaneContext, persisted: PersistedState<CfsState>): Record<string, Tc3Handler> {
  const s = () => persisted.data;
  const groupOf = (id: string, code = "ResourceNotFound.PgroupNotFound"): PGroupRecord => {
    const g = s().pgroups.find((x) => x.id === id);
    if (!g) throw new Tc3ApiError(code, `Permission group ${id} does not exist`);
    return g;
  };
  const ruleView = (r: RuleRecord) => ({ RuleId: r.id, AuthClientIp: r.authClientIp, RWPermission: r.rwPermission.toLowerCase(), UserPermission: r.userPermission, Priority: r.priority });
  const groupView = (g: PGroupRecord) => ({ PGroupId: g.id, Name: g.name, DescInfo: g.descInfo, CDate: g.cdate, BindCfsNum: s().fileSystems.filter((f) => f.pgroupId === g.id).length });
  const clientIp = (v: string) => {
    if (!CLIENT_IP.test(v)) throw new Tc3ApiError("InvalidParameterValue.InvalidAuthClientIp", `AuthClientIp must be an IP, a CIDR or * (got "${v}")`);
    return v;
  };
  const priority = (v: number) => {
    if (v < 1 || v > 100) throw new Tc3ApiError("InvalidParameterValue.InvalidPriority", `Priority must be 1..100 (got ${v})`);
    return v;
  };

  return {
    CreateCfsPGroup: (p) => {
      const name = reqString(p, "Name");
      if (name.length > 64) throw new Tc3ApiError("InvalidParameterValue", `Name must be at most 64 characters (got ${name.length})`);
      if (s().pgroups.some((g) => g.name === name)) throw new Tc3ApiError("InvalidParameterValue.DuplicatedPgroupName", `A permission group named ${name} already exists`);
      const g: PGroupRecord = { id: newId("pgroup", (id) => s().pgroups.some((x) => x.id === id)), name, descInfo: optString(p, "DescInfo") ?? "", cdate: beijingTime(ctx.now()), rules: [] };
      s().pgroups.push(g);
      persisted.save();
      return groupView(g);
    },
    DescribeCfsPGroups: () => ({ PGroupList: s().pgroups.map(groupView) }),
    UpdateCfsPGroup: (p) => {
      const g = groupOf(reqString(p, "PGroupId"));
      g.name = optString(p, "Name") ?? g.name;
      g.descInfo = optString(p, "DescInfo") ?? g.descInfo;
      persisted.save();
      return { PGroupId: g.id, Name: g.name, DescInfo: g.descInfo };
    },
    DeleteCfsPGroup: (p) => {
      const g = groupOf(reqString(p, "PGroupId"));
      if (g.id === "pgroupbasic") throw new Tc3ApiError("InvalidParameterValue.InvalidPgroupId", "The default permission group pgroupbasic cannot be deleted");
      const users = s().fileSystems.filter((f) => f.pgroupId === g.id);
      if (users.length > 0) throw new Tc3ApiError("FailedOperation.PgroupInUse", `Permission group ${g.id} is bound to ${users.map((f) => f.id).join(", ")}`);
      s().pgroups = s().pgroups.filter((x) => x !== g);
      persisted.save();
      return { PGroupId: g.id };
    },
    CreateCfsRule: (p) => {
      const g = groupOf(reqString(p, "PGroupId"), "InvalidParameterValue.InvalidPgroup");
      const r: RuleRecord = {
        id: newId("rule", (id) => s().pgroups.some((x) => x.rules.some((y) => y.id === id))),
        authClientIp: clientIp(reqString(p, "AuthClientIp")),
        priority: priority(reqInt(p, "Priority")),
        rwPermission: oneOf("RWPermission", (optString(p, "RWPermission") ?? "RO").toUpperCase(), RW, "InvalidParameterValue.InvalidRwPermission"),
        userPermission: oneOf("UserPermission", optString(p, "UserPermission") ?? "root_squash", USER, "InvalidParameterValue.InvalidUserPermission"),
      };
      g.rules.push(r);
      persisted.save();
      return { PGroupId: g.id, ...ruleView(r), RWPermission: r.rwPermission };
    },
    DescribeCfsRules: (p) => ({ RuleList: groupOf(reqString(p, "PGroupId"), "InvalidParameterValue.InvalidPgroup").rules.map(ruleView) }),
    UpdateCfsRule: (p) => {
      const g = groupOf(reqString(p, "PGroupId"), "InvalidParameterValue.InvalidPgroup");
      const id = reqString(p, "RuleId");
      const r = g.rules.find((x) => x.id === id);
      if (!r) throw new Tc3ApiError("ResourceNotFound.RuleNotFound", `Rule ${id} does not exist in ${g.id}`);
      const ip = optString(p, "AuthClientIp");
      if (ip !== undefined) r.authClientIp = clientIp(ip);
      const rw = optString(p, "RWPermission");
      if (rw !== undefined) r.rwPermission = oneOf("RWPermission", rw.toUpperCase(), RW, "InvalidParameterValue.InvalidRwPermission");
      const user = optString(p, "UserPermission");
      if (user !== undefined) r.userPermission = oneOf("UserPermission", user, USER, "InvalidParameterValue.InvalidUserPermission");
      const prio = optInt(p, "Priority");
      if (prio !== undefined) r.priority = priority(prio);
      persisted.save();
      return { PGroupId: g.id, ...ruleView(r) };
    },
    DeleteCfsRule: (p) => {
      const g = groupOf(reqString(p, "PGroupId"), "InvalidParameterValue.InvalidPgroup");
      const id = reqString(p, "RuleId");
      if (!g.rules.some((x) => x.id === id)) throw new Tc3ApiError("ResourceNotFound.RuleNotFound", `Rule ${id} does not exist in ${g.id}`);
      g.rules = g.rules.filter((x) => x.id !== id);
      persisted.save();
      return { RuleId: id, PGroupId: g.id };
    },
  };
}
