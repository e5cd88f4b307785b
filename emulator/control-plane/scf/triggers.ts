// CreateTrigger, UpdateTrigger, DeleteTrigger, ListTriggers for the two trigger types the stacks use:
// - timer: TriggerDesc is a 7-field cron (sec min hour day month week year); the API returns it as {"cron":"..."},
//   which is why the provider unwraps "cron" when reading back.
// - http (function URL): TriggerDesc is JSON {AuthType, NetConfig{EnableIntranet, EnableExtranet}, ...}; the API
//   returns it with the URLs added inside NetConfig (IntranetUrl/ExtranetUrl). There is no top-level "url" field.
import { Tc3ApiError, type Tc3Handler } from "../../tc3/types";
import { optObjectArray, optString, reqString } from "../request-params";
import { shortId, timestamp, type ScfDeps } from "./deps";
import type { FunctionRecord, TriggerRecord } from "./model";
import { triggerInfo } from "./shapes";
import { namespaceOf } from "./store";

const SUPPORTED = ["timer", "http"];
const TIMER_NAME = /^[A-Za-z0-9_-]{1,100}$/;

function cronDesc(desc: string | undefined): string {
  if (desc === undefined) throw new Tc3ApiError("InvalidParameterValue.TriggerDesc", "TriggerDesc (a cron expression) is required for a timer trigger");
  const fields = desc.trim().split(/\s+/);
  if (fields.length !== 7) {
    throw new Tc3ApiError("InvalidParameterValue.TriggerCronConfig", `A timer's cron has 7 fields (second minute hour day month weekday year), got ${fields.length}: "${desc}"`);
  }
  return JSON.stringify({ cron: desc });
}

function httpDesc(desc: string | undefined, urlId: string, deps: ScfDeps): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(desc ?? "{}");
  } catch {
    throw new Tc3ApiError("InvalidParameterValue.TriggerDesc", `TriggerDesc of an http trigger must be JSON (got ${JSON.stringify(desc)})`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Tc3ApiError("InvalidParameterValue.TriggerDesc", "TriggerDesc of an http trigger must be a JSON object");
  const d = parsed as Record<string, unknown>;
  const auth = d.AuthType ?? "NONE";
  if (auth !== "NONE" && auth !== "CAM") throw new Tc3ApiError("InvalidParameterValue.TriggerDesc", `TriggerDesc.AuthType must be NONE or CAM (got ${JSON.stringify(auth)})`);
  const net = (typeof d.NetConfig === "object" && d.NetConfig !== null ? d.NetConfig : {}) as Record<string, unknown>;
  const intranet = net.EnableIntranet === true;
  const extranet = net.EnableExtranet === true;
  if (!intranet && !extranet) throw new Tc3ApiError("InvalidParameterValue.TriggerDesc", "TriggerDesc.NetConfig must enable EnableIntranet or EnableExtranet (or both)");
  const NetConfig: Record<string, unknown> = { ...net, EnableIntranet: intranet, EnableExtranet: extranet };
  if (intranet) NetConfig.IntranetUrl = `https://${urlId}.in.${deps.functionUrlDomain}`;
  if (extranet) NetConfig.ExtranetUrl = `https://${urlId}.${deps.functionUrlDomain}`;
  return JSON.stringify({ ...d, AuthType: auth, NetConfig });
}

function enableOf(v: string | undefined, fallback: boolean): boolean {
  if (v === undefined) return fallback;
  if (v !== "OPEN" && v !== "CLOSE") throw new Tc3ApiError("InvalidParameterValue.Enable", `Enable must be OPEN or CLOSE (got "${v}")`);
  return v === "OPEN";
}

export function triggerActions(deps: ScfDeps): Record<string, Tc3Handler> {
  const { store } = deps;
  const requireTrigger = (fn: FunctionRecord, name: string, type?: string): TriggerRecord => {
    const t = fn.triggers.find((x) => x.name === name && (type === undefined || x.type === type));
    if (!t) throw new Tc3ApiError("ResourceNotFound.Trigger", `Trigger ${name}${type ? ` (${type})` : ""} of function ${fn.name} does not exist`);
    return t;
  };
  const qualifierOf = (fn: FunctionRecord, q: string | undefined): string => {
    const qualifier = q === undefined || q === "" ? "$LATEST" : q;
    store.resolveQualifier(fn, qualifier);
    return qualifier;
  };

  const CreateTrigger: Tc3Handler = (p) => {
    const fn = store.requireFunction(namespaceOf(p), reqString(p, "FunctionName"));
    const name = reqString(p, "TriggerName");
    const type = reqString(p, "Type");
    if (!SUPPORTED.includes(type)) throw new Tc3ApiError("UnsupportedOperation.Trigger", `This emulator models trigger types ${SUPPORTED.join(", ")} (got "${type}")`);
    const qualifier = qualifierOf(fn, optString(p, "Qualifier"));
    const rawDesc = optString(p, "TriggerDesc");
    let desc: string;
    if (type === "timer") {
      if (!TIMER_NAME.test(name)) throw new Tc3ApiError("InvalidParameterValue.TriggerName", `A timer's TriggerName is 1-100 letters, digits, _ and - (got "${name}")`);
      desc = cronDesc(rawDesc);
    } else {
      // One function URL per function version/alias (assumed from the console, which offers a single URL).
      const existing = fn.triggers.find((t) => t.type === "http" && t.qualifier === qualifier);
      if (existing) throw new Tc3ApiError("ResourceInUse.Trigger", `Function ${fn.name} already has a function URL for ${qualifier} (${existing.name})`);
      desc = httpDesc(rawDesc, shortId(10), deps);
    }
    if (fn.triggers.some((t) => t.name === name && t.type === type)) throw new Tc3ApiError("ResourceInUse.Trigger", `Trigger ${name} (${type}) of function ${fn.name} already exists`);
    const now = timestamp(deps);
    const t: TriggerRecord = {
      name,
      type,
      qualifier,
      desc,
      enable: enableOf(optString(p, "Enable"), true),
      customArgument: optString(p, "CustomArgument") ?? "",
      description: optString(p, "Description") ?? "",
      addTime: now,
      modTime: now,
    };
    fn.triggers.push(t);
    store.save();
    return { TriggerInfo: triggerInfo(t) };
  };

  const UpdateTrigger: Tc3Handler = (p) => {
    const fn = store.requireFunction(namespaceOf(p), reqString(p, "FunctionName"));
    const t = requireTrigger(fn, reqString(p, "TriggerName"), reqString(p, "Type"));
    const q = optString(p, "Qualifier");
    if (q !== undefined) t.qualifier = qualifierOf(fn, q);
    const desc = optString(p, "TriggerDesc");
    if (desc !== undefined) {
      const urlId = /https:\/\/([a-z0-9]+)\./.exec(t.desc)?.[1] ?? shortId(10);
      t.desc = t.type === "timer" ? cronDesc(desc) : httpDesc(desc, urlId, deps);
    }
    t.enable = enableOf(optString(p, "Enable"), t.enable);
    t.description = optString(p, "Description") ?? t.description;
    t.customArgument = optString(p, "CustomArgument") ?? t.customArgument;
    t.modTime = timestamp(deps);
    store.save();
    return {};
  };

  const DeleteTrigger: Tc3Handler = (p) => {
    const fn = store.requireFunction(namespaceOf(p), reqString(p, "FunctionName"));
    const t = requireTrigger(fn, reqString(p, "TriggerName"), reqString(p, "Type"));
    fn.triggers = fn.triggers.filter((x) => x !== t);
    store.save();
    return {};
  };

  const ListTriggers: Tc3Handler = (p) => {
    const fn = store.requireFunction(namespaceOf(p), reqString(p, "FunctionName"));
    let rows = fn.triggers;
    for (const f of optObjectArray(p, "Filters") ?? []) {
      const values = Array.isArray(f.Values) ? (f.Values as unknown[]).map(String) : [];
      if (f.Name === "TriggerName") rows = rows.filter((t) => values.includes(t.name));
      else if (f.Name === "Qualifier") rows = rows.filter((t) => values.includes(t.qualifier));
      else if (f.Name === "Type") rows = rows.filter((t) => values.includes(t.type));
      else throw new Tc3ApiError("InvalidParameterValue.Filters", `Filters[].Name must be TriggerName, Qualifier or Type (got ${JSON.stringify(f.Name)})`);
    }
    const offset = typeof p.Offset === "number" ? p.Offset : 0;
    const limit = typeof p.Limit === "number" ? p.Limit : 20;
    return { TotalCount: rows.length, Triggers: rows.slice(offset, offset + limit).map(triggerInfo) };
  };

  return { CreateTrigger, UpdateTrigger, DeleteTrigger, ListTriggers };
}
