// The environment an instance runs with: the synthesized variables (container paths mapped), SCF's built-ins, the
// execution role's temporary keys, a private TMPDIR, and the two local-only overrides that send the function's SDK
// calls to the doubles. Nothing leaks in from the parent process (no http_proxy, no developer credentials).
import type { LocalFunction } from "../deployment";
import { mapPath, type PathMapping } from "./path-mapping";

export interface RoleCredentials {
  secretId: string;
  secretKey: string;
  token: string;
}

export interface EnvInputs {
  fn: LocalFunction;
  mappings: PathMapping[];
  region: string;
  account: { appId: string; uin: string };
  role: RoleCredentials;
  /** Private per instance: /tmp on SCF. */
  tmpDir: string;
  /** "127.0.0.1:<port>" of the API 3.0 server (trtc, kms, scf). */
  apiEndpoint: string;
  /** "127.0.0.1:<port>" of the COS double. */
  cosIp: string;
  functionVersion: string;
}

/** The function's own variables after path mapping (what context.environment shows). */
export function userEnvironment(fn: LocalFunction, mappings: PathMapping[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(fn.environment)) out[k] = mapPath(v, mappings);
  return out;
}

export function instanceEnvironment(i: EnvInputs): Record<string, string> {
  const optDir = mapPath("/opt", i.mappings);
  return {
    PATH: `${mapPath("/opt/bin", i.mappings)}:/usr/local/bin:/usr/bin:/bin`,
    NODE_PATH: `${optDir}:${optDir}/node_modules`,
    TZ: "UTC",
    LANG: "C.UTF-8",
    ...userEnvironment(i.fn, i.mappings),
    HOME: i.tmpDir,
    TMPDIR: i.tmpDir,
    SCF_NAMESPACE: i.fn.namespace,
    SCF_FUNCTIONNAME: i.fn.name,
    SCF_FUNCTIONVERSION: i.functionVersion,
    SCF_RUNTIME: i.fn.runtime,
    TENCENTCLOUD_REGION: i.region,
    TENCENTCLOUD_APPID: i.account.appId,
    TENCENTCLOUD_UIN: i.account.uin,
    TENCENTCLOUD_SECRETID: i.role.secretId,
    TENCENTCLOUD_SECRETKEY: i.role.secretKey,
    TENCENTCLOUD_SESSIONTOKEN: i.role.token,
    RECORDER_API_ENDPOINT_OVERRIDE: i.apiEndpoint,
    RECORDER_COS_IP_OVERRIDE: i.cosIp,
  };
}
