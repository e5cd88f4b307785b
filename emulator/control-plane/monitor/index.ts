// Monitor 2018-07-24: alarm policies as tencentcloud_monitor_alarm_policy uses them (provider v1.83.25,
// services/monitor/resource_tc_monitor_alarm_policy.go): CreateAlarmPolicy, DescribeAlarmPolicy, ModifyAlarmPolicyInfo
// / Status / Condition / Notice / Tasks, DeleteAlarmPolicy; alarm notices in notices.ts. Filters are checked against the documented shape
// (monitor_models.d.ts AlarmPolicyFilter: Type "DIMENSION", Dimensions = a JSON two-dimensional array of
// {Key, Operator, Value[]}, outer = OR, inner = AND; the provider's own example uses exactly that), so a policy whose
// filter would not select anything on the real service fails here too. Alarm evaluation is not modelled.
import { randomBytes } from "node:crypto";
import { Tc3ApiError, type Tc3Handler, type Tc3ServiceDef } from "../../tc3/types";
import { persistedState } from "../persisted-state";
import { invalid, oneOf, optInt, optObject, optObjectArray, optString, optStringArray, reqString } from "../request-params";
import { noticeActions, type NoticeRecord } from "./notices";

export interface MonitorControlOptions {
  stateDir?: string;
  now?: () => number;
}

interface PolicyRecord {
  policyId: string;
  originId: string;
  policyName: string;
  monitorType: string;
  namespace: string;
  remark: string;
  enable: number;
  /** -1 when the request named no project (assumed to be answered back as sent). */
  projectId: number;
  condition?: { IsUnionRule: number; Rules: Record<string, unknown>[] };
  eventCondition?: { Rules: Record<string, unknown>[] };
  filter?: { Type: string; Dimensions: string };
  groupBy: string[];
  noticeIds: string[];
  triggerTasks: Record<string, unknown>[];
  insertTime: number;
  updateTime: number;
}

interface MonitorState {
  policies: Record<string, PolicyRecord>;
  /** Alarm notice templates (notices.ts); absent in state files written before notices existed. */
  notices?: Record<string, NoticeRecord>;
  nextOriginId: number;
}

const MONITOR_TYPES = ["MT_QCE", "MT_TAW", "MT_RUM", "MT_PROBE", "MT_PROME"] as const;
const OPERATORS = ["gt", "ge", "lt", "le", "eq", "ne", "day_increase", "day_decrease", "day_wave", "week_increase", "week_decrease", "week_wave", "cycle_increase", "cycle_decrease", "cycle_wave", "re"] as const;
const DIMENSION_OPERATORS = ["eq", "ne", "in", "nin", "like", "nlike", "gt", "ge", "lt", "le"] as const;

/** Checks an AlarmPolicyFilter the way the documented shape requires; InvalidParameter otherwise (assumed code). */
function checkFilter(filter: Record<string, unknown>, where: string): { Type: string; Dimensions: string } {
  const type = filter.Type;
  if (type !== "DIMENSION") throw new Tc3ApiError("InvalidParameter", `${where}.Type must be "DIMENSION" (filter by Dimensions) (got ${JSON.stringify(type)})`);
  const text = filter.Dimensions;
  if (typeof text !== "string") throw new Tc3ApiError("InvalidParameter", `${where}.Dimensions must be a JSON string`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Tc3ApiError("InvalidParameter", `${where}.Dimensions is not valid JSON`);
  }
  const shape = `a JSON array of arrays of {"Key": string, "Operator": ${DIMENSION_OPERATORS.join("|")}, "Value": [string, ...]} (outer array = OR, inner = AND)`;
  if (!Array.isArray(parsed) || parsed.length === 0) throw new Tc3ApiError("InvalidParameter", `${where}.Dimensions must be ${shape}`);
  for (const [i, group] of parsed.entries()) {
    if (!Array.isArray(group) || group.length === 0) throw new Tc3ApiError("InvalidParameter", `${where}.Dimensions[${i}] must be a non-empty array; Dimensions must be ${shape}`);
    for (const [j, d] of group.entries()) {
      const ok =
        typeof d === "object" &&
        d !== null &&
        typeof (d as Record<string, unknown>).Key === "string" &&
        (DIMENSION_OPERATORS as readonly string[]).includes(String((d as Record<string, unknown>).Operator)) &&
        Array.isArray((d as Record<string, unknown>).Value) &&
        ((d as Record<string, unknown>).Value as unknown[]).every((v) => typeof v === "string");
      if (!ok) throw new Tc3ApiError("InvalidParameter", `${where}.Dimensions[${i}][${j}] is ${JSON.stringify(d)}; Dimensions must be ${shape}`);
    }
  }
  return { Type: type, Dimensions: text };
}

/** CreateAlarmPolicyRequest.PolicyName: "不超过60字符" (monitor_models.d.ts). */
function checkName(name: string): void {
  if (name === "" || [...name].length > 60) throw invalid("PolicyName", "1-60 characters", name, "InvalidParameterValue");
}

/** CreateAlarmPolicyRequest.Remark: "不超过100字符，仅支持中英文、数字、下划线、-" (monitor_models.d.ts). */
function checkRemark(remark: string): void {
  if ([...remark].length > 100 || !/^[\u4e00-\u9fa5A-Za-z0-9_-]*$/.test(remark)) {
    throw invalid("Remark", "at most 100 Chinese or English letters, digits, _ or - (no spaces or punctuation)", remark, "InvalidParameterValue");
  }
}

function checkRules(rules: Record<string, unknown>[], where: string): Record<string, unknown>[] {
  return rules.map((r, i) => {
    const at = `${where}.Rules[${i}]`;
    if (typeof r.MetricName !== "string" || r.MetricName === "") throw new Tc3ApiError("InvalidParameter", `${at}.MetricName is required`);
    if (r.Operator !== undefined) oneOf(`${at}.Operator`, String(r.Operator), OPERATORS, "InvalidParameterValue");
    if (r.Value !== undefined && (typeof r.Value !== "string" || Number.isNaN(Number(r.Value)))) throw invalid(`${at}.Value`, "a number as a string", r.Value, "InvalidParameterValue");
    if (r.Period !== undefined && (!Number.isInteger(r.Period) || (r.Period as number) < 10)) throw invalid(`${at}.Period`, "an integer number of seconds (60, 300, ...)", r.Period, "InvalidParameterValue");
    const filter = r.Filter === undefined || r.Filter === null ? undefined : checkFilter(r.Filter as Record<string, unknown>, `${at}.Filter`);
    return {
      MetricName: r.MetricName,
      Period: r.Period ?? 60,
      Operator: r.Operator ?? "",
      Value: r.Value ?? "",
      ContinuePeriod: r.ContinuePeriod ?? 1,
      NoticeFrequency: r.NoticeFrequency ?? 0,
      IsPowerNotice: r.IsPowerNotice ?? 0,
      Filter: filter ?? null,
      Description: r.Description ?? "",
      Unit: r.Unit ?? "",
      RuleType: r.RuleType ?? "STATIC",
    };
  });
}

export function monitorControlService(opts: MonitorControlOptions = {}): Tc3ServiceDef {
  const now = opts.now ?? Date.now;
  const state = persistedState<MonitorState>(opts.stateDir, "monitor", () => ({ policies: {}, notices: {}, nextOriginId: 1_000_001 }));
  const data = state.data;
  data.notices ??= {};
  const save = () => state.save();
  const seconds = () => Math.floor(now() / 1000);

  const module = (p: Record<string, unknown>) => {
    const m = reqString(p, "Module");
    if (m !== "monitor") throw invalid("Module", '"monitor"', m, "InvalidParameterValue");
  };
  const policy = (p: Record<string, unknown>): PolicyRecord => {
    const id = reqString(p, "PolicyId");
    const r = Object.hasOwn(data.policies, id) ? data.policies[id] : undefined;
    if (!r) throw new Tc3ApiError("ResourceNotFound", `Alarm policy ${id} does not exist`);
    return r;
  };
  const conditionOf = (p: Record<string, unknown>) => {
    const c = optObject(p, "Condition");
    return c ? { IsUnionRule: Number(c.IsUnionRule ?? 0), Rules: checkRules(Array.isArray(c.Rules) ? (c.Rules as Record<string, unknown>[]) : [], "Condition") } : undefined;
  };
  const eventConditionOf = (p: Record<string, unknown>) => {
    const c = optObject(p, "EventCondition");
    return c ? { Rules: checkRules(Array.isArray(c.Rules) ? (c.Rules as Record<string, unknown>[]) : [], "EventCondition") } : undefined;
  };
  const filterOf = (p: Record<string, unknown>) => {
    const f = optObject(p, "Filter");
    return f ? checkFilter(f, "Filter") : undefined;
  };

  const actions: Record<string, Tc3Handler> = {
    CreateAlarmPolicy: (p) => {
      module(p);
      const monitorType = oneOf("MonitorType", reqString(p, "MonitorType"), MONITOR_TYPES, "InvalidParameterValue");
      const condition = conditionOf(p);
      const eventCondition = eventConditionOf(p);
      if (!condition?.Rules.length && !eventCondition?.Rules.length && optInt(p, "ConditionTemplateId") === undefined) {
        throw new Tc3ApiError("InvalidParameter", "an alarm policy needs Condition rules, EventCondition rules or a ConditionTemplateId");
      }
      const enable = optInt(p, "Enable") ?? 1;
      if (enable !== 0 && enable !== 1) throw invalid("Enable", "0 or 1", enable, "InvalidParameterValue");
      const policyName = reqString(p, "PolicyName");
      checkName(policyName);
      const remark = optString(p, "Remark") ?? "";
      checkRemark(remark);
      const r: PolicyRecord = {
        policyId: `policy-${[...randomBytes(8)].map((b) => "abcdefghijklmnopqrstuvwxyz0123456789"[b % 36]).join("")}`,
        originId: String(data.nextOriginId++),
        policyName,
        monitorType,
        namespace: reqString(p, "Namespace"),
        remark,
        enable,
        projectId: optInt(p, "ProjectId") ?? -1,
        condition,
        eventCondition,
        filter: filterOf(p),
        groupBy: (optObjectArray(p, "GroupBy") ?? []).map((g) => String(g.Name ?? "")),
        noticeIds: optStringArray(p, "NoticeIds") ?? [],
        triggerTasks: optObjectArray(p, "TriggerTasks") ?? [],
        insertTime: seconds(),
        updateTime: seconds(),
      };
      data.policies[r.policyId] = r;
      save();
      return { PolicyId: r.policyId, OriginId: r.originId };
    },
    DescribeAlarmPolicy: (p) => {
      module(p);
      const id = reqString(p, "PolicyId");
      const r = Object.hasOwn(data.policies, id) ? data.policies[id] : undefined;
      // The provider treats a null Policy as "gone" (assumed: the real API answers null rather than an error).
      if (!r) return { Policy: null };
      return {
        Policy: {
          PolicyId: r.policyId,
          PolicyName: r.policyName,
          Remark: r.remark,
          MonitorType: r.monitorType,
          Enable: r.enable,
          UseSum: 0,
          ProjectId: r.projectId,
          ProjectName: "",
          Namespace: r.namespace,
          ConditionTemplateId: "",
          Condition: r.condition ?? { IsUnionRule: 0, Rules: [] },
          EventCondition: r.eventCondition ?? { Rules: [] },
          NoticeIds: r.noticeIds,
          Notices: [],
          TriggerTasks: r.triggerTasks,
          LastEditUin: "",
          UpdateTime: r.updateTime,
          InsertTime: r.insertTime,
          Region: [],
          OriginId: r.originId,
          TagInstances: [],
          Filter: r.filter ? { Type: r.filter.Type, Dimensions: r.filter.Dimensions } : null,
          GroupBy: r.groupBy.map((Name) => ({ Name })),
          FilterDimensionsParam: "",
          IsBindAll: 0,
          Tags: [],
          HierarchicalNotices: [],
          NoticeContentTmplBindInfos: [],
        },
      };
    },
    ModifyAlarmPolicyInfo: (p) => {
      module(p);
      const r = policy(p);
      const key = oneOf("Key", reqString(p, "Key"), ["NAME", "REMARK"] as const, "InvalidParameterValue");
      const value = optString(p, "Value") ?? "";
      if (key === "NAME") {
        checkName(value);
        r.policyName = value;
      } else {
        checkRemark(value);
        r.remark = value;
      }
      r.updateTime = seconds();
      save();
      return {};
    },
    ModifyAlarmPolicyStatus: (p) => {
      module(p);
      const r = policy(p);
      const enable = optInt(p, "Enable");
      if (enable !== 0 && enable !== 1) throw invalid("Enable", "0 or 1", enable, "InvalidParameterValue");
      r.enable = enable;
      r.updateTime = seconds();
      save();
      return {};
    },
    ModifyAlarmPolicyCondition: (p) => {
      module(p);
      const r = policy(p);
      const condition = conditionOf(p);
      const eventCondition = eventConditionOf(p);
      const filter = filterOf(p);
      if (condition) r.condition = condition;
      if (eventCondition) r.eventCondition = eventCondition;
      if (filter) r.filter = filter;
      const groupBy = optObjectArray(p, "GroupBy");
      if (groupBy) r.groupBy = groupBy.map((g) => String(g.Name ?? ""));
      r.updateTime = seconds();
      save();
      return {};
    },
    ModifyAlarmPolicyNotice: (p) => {
      module(p);
      const r = policy(p);
      r.noticeIds = optStringArray(p, "NoticeIds") ?? [];
      r.updateTime = seconds();
      save();
      return {};
    },
    ModifyAlarmPolicyTasks: (p) => {
      module(p);
      const r = policy(p);
      r.triggerTasks = optObjectArray(p, "TriggerTasks") ?? [];
      r.updateTime = seconds();
      save();
      return {};
    },
    DeleteAlarmPolicy: (p) => {
      module(p);
      const ids = optStringArray(p, "PolicyIds");
      if (!ids || ids.length === 0) throw new Tc3ApiError("MissingParameter", "The request is missing a required parameter `PolicyIds`");
      for (const id of ids) if (!Object.hasOwn(data.policies, id)) throw new Tc3ApiError("ResourceNotFound", `Alarm policy ${id} does not exist`);
      for (const id of ids) delete data.policies[id];
      save();
      return {};
    },
  };

  const notices = noticeActions(data.notices, (noticeId) => Object.values(data.policies).filter((r) => r.noticeIds.includes(noticeId)).map((r) => r.policyId), save, now);
  return { service: "monitor", version: "2018-07-24", actions: { ...actions, ...notices } };
}
