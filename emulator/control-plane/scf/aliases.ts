// CreateAlias, GetAlias, UpdateAlias, DeleteAlias, ListAliases. An alias routes to one version, optionally with
// extra versions by weight or by rule. GetAlias/ListAliases always return a RoutingConfig with both lists (empty when
// nothing is routed), so the provider reads back routing_config with one block even when none was configured.
import { Tc3ApiError, type Tc3Handler } from "../../tc3/types";
import { optObject, optObjectArray, optString, reqString } from "../request-params";
import { timestamp, type ScfDeps } from "./deps";
import type { AliasRecord, FunctionRecord } from "./model";
import { namespaceOf } from "./store";

const ALIAS_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

function checkVersion(fn: FunctionRecord, version: string, field: string, code: string): void {
  if (version === "$LATEST") return;
  if (!fn.versions.some((v) => v.version === version)) {
    throw new Tc3ApiError(code, `${field}: version ${version} of function ${fn.name} does not exist`);
  }
}

function routing(fn: FunctionRecord, main: string, p: Record<string, unknown>): Pick<AliasRecord, "weights" | "matches"> {
  const cfg = optObject(p, "RoutingConfig") ?? {};
  const weights = (optObjectArray(cfg, "AdditionalVersionWeights") ?? []).map((w, i) => {
    const field = `RoutingConfig.AdditionalVersionWeights[${i}]`;
    if (typeof w.Version !== "string" || typeof w.Weight !== "number") throw new Tc3ApiError("InvalidParameterValue.AdditionalVersionWeights", `${field} must be {Version: string, Weight: number}`);
    if (w.Weight < 0 || w.Weight > 1) throw new Tc3ApiError("InvalidParameterValue.AdditionalVersionWeights", `${field}.Weight must be 0..1 (got ${w.Weight})`);
    if (w.Version === main) throw new Tc3ApiError("InvalidParameterValue.RoutingConfig", `${field}.Version ${w.Version} is the alias's main version; an additional version must differ`);
    checkVersion(fn, w.Version, field, "InvalidParameterValue.RoutingConfig");
    return { Version: w.Version, Weight: w.Weight };
  });
  if (weights.reduce((s, w) => s + w.Weight, 0) > 1) throw new Tc3ApiError("InvalidParameterValue.RoutingConfig", "RoutingConfig.AdditionalVersionWeights add up to more than 1");
  // The API's field name is misspelt ("AddtionVersionMatchs"); that is the real name.
  const matches = (optObjectArray(cfg, "AddtionVersionMatchs") ?? []).map((m, i) => {
    const field = `RoutingConfig.AddtionVersionMatchs[${i}]`;
    for (const k of ["Version", "Key", "Method", "Expression"]) {
      if (typeof m[k] !== "string") throw new Tc3ApiError("InvalidParameterValue.RoutingConfig", `${field}.${k} is required (a string)`);
    }
    if (m.Method !== "range" && m.Method !== "exact") throw new Tc3ApiError("InvalidParameterValue.RoutingConfig", `${field}.Method must be range or exact (got "${String(m.Method)}")`);
    checkVersion(fn, m.Version as string, field, "InvalidParameterValue.RoutingConfig");
    return { Version: m.Version as string, Key: m.Key as string, Method: m.Method, Expression: m.Expression as string };
  });
  return { weights, matches };
}

function view(a: AliasRecord) {
  return {
    FunctionVersion: a.functionVersion,
    Name: a.name,
    RoutingConfig: { AdditionalVersionWeights: a.weights, AddtionVersionMatchs: a.matches },
    Description: a.description,
    AddTime: a.addTime,
    ModTime: a.modTime,
  };
}

export function aliasActions(deps: ScfDeps): Record<string, Tc3Handler> {
  const { store } = deps;
  const requireAlias = (fn: FunctionRecord, name: string): AliasRecord => {
    const a = fn.aliases.find((x) => x.name === name);
    if (!a) throw new Tc3ApiError("ResourceNotFound.Alias", `Alias ${name} of function ${fn.name} does not exist`);
    return a;
  };

  const CreateAlias: Tc3Handler = (p) => {
    const fn = store.requireFunction(namespaceOf(p), reqString(p, "FunctionName"));
    const name = reqString(p, "Name");
    if (!ALIAS_NAME.test(name) || name === "$DEFAULT" || name === "$LATEST") {
      throw new Tc3ApiError("InvalidParameterValue.Alias", `Name must be 1-64 letters, digits, _ and -, starting with a letter (got "${name}")`);
    }
    if (fn.aliases.some((a) => a.name === name)) throw new Tc3ApiError("ResourceInUse.Alias", `Alias ${name} of function ${fn.name} already exists`);
    const version = reqString(p, "FunctionVersion");
    checkVersion(fn, version, "FunctionVersion", "ResourceNotFound.FunctionVersion");
    const now = timestamp(deps);
    fn.aliases.push({ name, functionVersion: version, description: optString(p, "Description") ?? "", ...routing(fn, version, p), addTime: now, modTime: now });
    store.save();
    return {};
  };

  const GetAlias: Tc3Handler = (p) => {
    const fn = store.requireFunction(namespaceOf(p), reqString(p, "FunctionName"));
    return view(requireAlias(fn, reqString(p, "Name")));
  };

  const UpdateAlias: Tc3Handler = (p) => {
    const fn = store.requireFunction(namespaceOf(p), reqString(p, "FunctionName"));
    const alias = requireAlias(fn, reqString(p, "Name"));
    const version = reqString(p, "FunctionVersion");
    checkVersion(fn, version, "FunctionVersion", "ResourceNotFound.FunctionVersion");
    alias.functionVersion = version;
    // Assumed: a request without RoutingConfig leaves the routing as it was; with one, the routing is replaced.
    if (optObject(p, "RoutingConfig")) Object.assign(alias, routing(fn, version, p));
    else if (alias.weights.some((w) => w.Version === version)) {
      throw new Tc3ApiError("InvalidParameterValue.RoutingConfig", `Version ${version} is already an additional version of alias ${alias.name}; send a RoutingConfig without it`);
    }
    const description = optString(p, "Description");
    if (description !== undefined) alias.description = description;
    alias.modTime = timestamp(deps);
    store.save();
    return {};
  };

  const DeleteAlias: Tc3Handler = (p) => {
    const fn = store.requireFunction(namespaceOf(p), reqString(p, "FunctionName"));
    const alias = requireAlias(fn, reqString(p, "Name"));
    fn.aliases = fn.aliases.filter((a) => a !== alias);
    store.save();
    return {};
  };

  const ListAliases: Tc3Handler = (p) => {
    const fn = store.requireFunction(namespaceOf(p), reqString(p, "FunctionName"));
    const version = optString(p, "FunctionVersion");
    const all = fn.aliases.filter((a) => version === undefined || a.functionVersion === version);
    // ListAliases takes Offset/Limit as strings (the SDK types them so).
    const offset = Number(p.Offset ?? 0);
    const limit = Number(p.Limit ?? 20);
    return { Aliases: all.slice(offset, offset + limit).map(view), TotalCount: all.length };
  };

  return { CreateAlias, GetAlias, UpdateAlias, DeleteAlias, ListAliases };
}
