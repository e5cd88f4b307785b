// CreatePolicy, GetPolicy, UpdatePolicy, DeletePolicy, ListPolicies (preset QCS policies included, Scope All|QCS|Local).
import { Tc3ApiError, type Tc3Handler } from "../../tc3/types";
import type { ControlPlaneContext } from "../context";
import type { PersistedState } from "../persisted-state";
import { beijingTime, optInt, optObjectArray, optString, reqString } from "../request-params";
import { checkPolicyDocument } from "./documents";
import type { CamState, PolicyRecord } from "./model";

const POLICY_NAME = /^[\w+=,.@-]{1,128}$/;

export function findPolicy(s: CamState, p: Record<string, unknown>, code = "ResourceNotFound.PolicyIdNotFound"): PolicyRecord {
  const id = optInt(p, "PolicyId");
  const name = optString(p, "PolicyName");
  if (id === undefined && name === undefined) throw new Tc3ApiError("MissingParameter", "One of PolicyId or PolicyName is required");
  const found = s.policies.find((x) => (id !== undefined ? x.policyId === id : x.name === name));
  if (!found) throw new Tc3ApiError(code, `Policy ${id ?? name} does not exist`);
  return found;
}

/** Where the provider keeps a policy's tags (BuildTagResourceName("cam", "policy", region, id)). */
export function policyTagResource(region: string, policyId: number): string {
  return `qcs::cam:${region}:uin/:policy/${policyId}`;
}

export function policyActions(ctx: ControlPlaneContext, persisted: PersistedState<CamState>): Record<string, Tc3Handler> {
  const s = () => persisted.data;
  const now = () => beijingTime(ctx.now());
  return {
    CreatePolicy: (p) => {
      const name = reqString(p, "PolicyName");
      if (!POLICY_NAME.test(name)) throw new Tc3ApiError("InvalidParameter.PolicyNameError", `PolicyName must be 1-128 characters of letters, digits and +=,.@-_ (got "${name}")`);
      const document = reqString(p, "PolicyDocument");
      checkPolicyDocument(document, "PolicyDocument", false);
      if (s().policies.some((x) => x.name === name)) throw new Tc3ApiError("FailedOperation.PolicyNameInUse", `policy name in use: ${name}`);
      const time = now();
      const policy: PolicyRecord = { policyId: s().nextPolicyId, name, document, description: optString(p, "Description") ?? "", type: 1, createMode: 2, serviceType: "", addTime: time, updateTime: time };
      s().nextPolicyId += 1;
      s().policies.push(policy);
      // CreatePolicy takes Tags; the provider reads them back from GetPolicy and changes them through the tag API.
      const tags: Record<string, string> = {};
      for (const t of optObjectArray(p, "Tags") ?? []) {
        if (typeof t.Key !== "string" || typeof t.Value !== "string") throw new Tc3ApiError("InvalidParameter.ParamError", `Tags[] must be {Key: string, Value: string} (got ${JSON.stringify(t)})`);
        tags[t.Key] = t.Value;
      }
      if (Object.keys(tags).length > 0) ctx.tags.modify(policyTagResource(ctx.region, policy.policyId), tags);
      persisted.save();
      return { PolicyId: policy.policyId };
    },
    GetPolicy: (p) => {
      const x = findPolicy(s(), p);
      return {
        PolicyName: x.name,
        Description: x.description,
        Type: x.type,
        AddTime: x.addTime,
        UpdateTime: x.updateTime,
        PolicyDocument: x.document,
        PresetAlias: x.type === 2 ? x.name : "",
        IsServiceLinkedRolePolicy: 0,
        Tags: Object.entries(ctx.tags.tagsOf(policyTagResource(ctx.region, x.policyId))).map(([Key, Value]) => ({ Key, Value })),
      };
    },
    UpdatePolicy: (p) => {
      const x = findPolicy(s(), p);
      if (x.type === 2) throw new Tc3ApiError("InvalidParameter.PolicyIdError", `Preset policy ${x.name} cannot be changed`);
      const document = optString(p, "PolicyDocument");
      if (document !== undefined) {
        checkPolicyDocument(document, "PolicyDocument", false);
        x.document = document;
      }
      const name = optString(p, "PolicyName");
      if (name !== undefined && name !== x.name) {
        if (s().policies.some((y) => y.name === name)) throw new Tc3ApiError("FailedOperation.PolicyNameInUse", `policy name in use: ${name}`);
        x.name = name;
      }
      x.description = optString(p, "Description") ?? x.description;
      x.updateTime = now();
      persisted.save();
      return { PolicyId: x.policyId };
    },
    DeletePolicy: (p) => {
      const ids = p.PolicyId;
      if (!Array.isArray(ids) || ids.length === 0 || ids.some((i) => typeof i !== "number")) throw new Tc3ApiError("InvalidParameter.PolicyIdError", "PolicyId must be a non-empty array of policy ids");
      for (const id of ids as number[]) {
        const x = s().policies.find((y) => y.policyId === id);
        if (!x) throw new Tc3ApiError("InvalidParameter.PolicyIdNotExist", `Policy ${id} does not exist`);
        if (x.type === 2) throw new Tc3ApiError("InvalidParameter.PolicyIdError", `Preset policy ${x.name} cannot be deleted`);
      }
      s().policies = s().policies.filter((x) => !(ids as number[]).includes(x.policyId));
      for (const id of ids as number[]) ctx.tags.forget(policyTagResource(ctx.region, id));
      s().attachments = s().attachments.filter((a) => !(ids as number[]).includes(a.policyId));
      persisted.save();
      return {};
    },
    ListPolicies: (p) => {
      const scope = optString(p, "Scope") ?? "All";
      if (!["All", "QCS", "Local"].includes(scope)) throw new Tc3ApiError("InvalidParameter.ScopeError", `Scope must be All, QCS or Local (got "${scope}")`);
      const keyword = optString(p, "Keyword") ?? "";
      const rows = s().policies.filter(
        (x) => (scope === "All" || (scope === "QCS" ? x.type === 2 : x.type === 1)) && (keyword === "" || x.name.includes(keyword) || x.description.includes(keyword)),
      );
      const page = optInt(p, "Page") ?? 1;
      const rp = optInt(p, "Rp") ?? 20;
      if (page < 1 || rp < 1 || rp > 200) throw new Tc3ApiError("InvalidParameter.ParamError", `Page must be >= 1 and Rp 1..200 (got Page ${page}, Rp ${rp})`);
      const attachments = (id: number) => s().attachments.filter((a) => a.policyId === id).length;
      return {
        TotalNum: rows.length,
        List: rows.slice((page - 1) * rp, page * rp).map((x) => ({
          PolicyId: x.policyId,
          PolicyName: x.name,
          AddTime: x.addTime,
          UpdateTime: x.updateTime,
          Type: x.type,
          Description: x.description,
          CreateMode: x.createMode,
          Attachments: attachments(x.policyId),
          ServiceType: x.serviceType,
          IsAttached: attachments(x.policyId) > 0 ? 1 : 0,
          Deactived: 0,
          DeactivedDetail: [],
          IsServiceLinkedPolicy: 0,
          AttachEntityCount: attachments(x.policyId),
          AttachEntityBoundaryCount: 0,
        })),
        ServiceTypeList: [...new Set(rows.map((x) => x.serviceType).filter((t) => t !== ""))],
      };
    },
  };
}
