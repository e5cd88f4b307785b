// Reads the configuration fields CreateFunction / UpdateFunctionConfiguration share, with SCF's documented limits
// (memory 64 or 128..3072 MB in 128 MB steps, timeout 1..900 s or 86400 s with async execution, environment keys).
import { Tc3ApiError } from "../../tc3/types";
import { invalid, optInt, optObject, optObjectArray, optString } from "../request-params";
import type { CfsMount, FunctionConfig } from "./model";

type Params = Record<string, unknown>;

export const FUNCTION_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,58}[A-Za-z0-9]$/;

export function checkFunctionName(name: string): void {
  if (!FUNCTION_NAME.test(name)) {
    throw new Tc3ApiError(
      "InvalidParameterValue.FunctionName",
      `FunctionName must be 2-60 characters of letters, digits, - and _, start with a letter and not end with - or _ (got "${name}")`,
    );
  }
}

export function memorySize(p: Params): number | undefined {
  const v = optInt(p, "MemorySize");
  if (v === undefined) return undefined;
  if (v !== 64 && (v < 128 || v > 3072 || v % 128 !== 0)) {
    throw new Tc3ApiError("InvalidParameterValue.MemorySize", `MemorySize must be 64, or 128..3072 in steps of 128 MB (got ${v})`);
  }
  return v;
}

export function timeout(p: Params, asyncRun: boolean): number | undefined {
  const v = optInt(p, "Timeout");
  if (v === undefined) return undefined;
  const max = asyncRun ? 86_400 : 900;
  if (v < 1 || v > max) throw new Tc3ApiError("LimitExceeded.Timeout", `Timeout must be 1..${max} seconds${asyncRun ? " with async execution" : ""} (got ${v})`);
  return v;
}

/** Variables with an empty Key are dropped: the provider sends {Key:"",Value:""} to mean "no variables". */
export function environment(p: Params): FunctionConfig["environment"] | undefined {
  const env = optObject(p, "Environment");
  if (!env) return undefined;
  const vars = optObjectArray(env, "Variables") ?? [];
  const out: FunctionConfig["environment"] = [];
  for (const v of vars) {
    const key = v.Key ?? "";
    const value = v.Value ?? "";
    if (typeof key !== "string" || typeof value !== "string") throw invalid("Environment.Variables[]", "{Key: string, Value: string}", v, "InvalidParameterValue.Environment");
    if (key === "") continue;
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(key)) {
      throw new Tc3ApiError("InvalidParameterValue.Environment", `Environment variable name "${key}" must start with a letter and contain only letters, digits and _`);
    }
    out.push({ Key: key, Value: value });
  }
  const bytes = out.reduce((n, v) => n + v.Key.length + v.Value.length, 0);
  if (bytes > 4096) throw new Tc3ApiError("InvalidParameterValue.EnvironmentExceededLimit", `Environment variables total ${bytes} bytes; SCF allows 4 KB`);
  return out;
}

export function vpcConfig(p: Params): FunctionConfig["vpc"] | undefined {
  const v = optObject(p, "VpcConfig");
  if (!v) return undefined;
  return { VpcId: optString(v, "VpcId") ?? "", SubnetId: optString(v, "SubnetId") ?? "" };
}

export function layers(p: Params): FunctionConfig["layers"] | undefined {
  const list = optObjectArray(p, "Layers");
  if (!list) return undefined;
  if (list.length > 5) throw new Tc3ApiError("LimitExceeded.Layers", `A function binds at most 5 layer versions (got ${list.length})`);
  return list.map((l, i) => {
    if (typeof l.LayerName !== "string" || typeof l.LayerVersion !== "number") {
      throw invalid(`Layers[${i}]`, "{LayerName: string, LayerVersion: integer}", l, "InvalidParameterValue.Layers");
    }
    return { LayerName: l.LayerName, LayerVersion: l.LayerVersion };
  });
}

export function cfsConfig(p: Params): CfsMount[] | undefined {
  const cfg = optObject(p, "CfsConfig");
  if (!cfg) return undefined;
  return (optObjectArray(cfg, "CfsInsList") ?? []).map((m, i) => {
    const field = (name: string): string => {
      const v = m[name];
      if (typeof v !== "string" || v === "") throw new Tc3ApiError("InvalidParameterValue.CfsStructionError", `CfsConfig.CfsInsList[${i}].${name} is required (a string)`);
      return v;
    };
    return {
      UserId: field("UserId"),
      UserGroupId: field("UserGroupId"),
      CfsId: field("CfsId"),
      MountInsId: field("MountInsId"),
      LocalMountDir: field("LocalMountDir"),
      RemoteMountDir: field("RemoteMountDir"),
      IpAddress: "",
      MountVpcId: "",
      MountSubnetId: "",
    };
  });
}

export function publicNet(p: Params): FunctionConfig["publicNet"] | undefined {
  const v = optObject(p, "PublicNetConfig");
  if (!v) return undefined;
  const status = optString(v, "PublicNetStatus") ?? "ENABLE";
  const eip = optString(optObject(v, "EipConfig") ?? {}, "EipStatus") ?? "DISABLE";
  for (const [name, value] of [["PublicNetConfig.PublicNetStatus", status], ["PublicNetConfig.EipConfig.EipStatus", eip]] as const) {
    if (value !== "ENABLE" && value !== "DISABLE") throw invalid(name, "ENABLE or DISABLE", value, "InvalidParameterValue.PublicNetConfig");
  }
  if (eip === "ENABLE" && status !== "ENABLE") throw new Tc3ApiError("InvalidParameterValue.EipConfig", "EipConfig.EipStatus ENABLE needs PublicNetStatus ENABLE");
  return { PublicNetStatus: status, EipStatus: eip };
}

/** "TRUE"/"FALSE" switches, as SCF spells its booleans. */
export function trueFalse(p: Params, name: string): string | undefined {
  const v = optString(p, name);
  if (v === undefined) return undefined;
  if (v !== "TRUE" && v !== "FALSE") throw invalid(name, `"TRUE" or "FALSE"`, v, `InvalidParameterValue.${name}`);
  return v;
}
