// PublishVersion and ListVersionByFunction. A version is a frozen copy of $LATEST's configuration and code, numbered
// per function ("1", "2", ...), never reused after deletion.
import { Tc3ApiError, type Tc3Handler } from "../../tc3/types";
import { optString, reqString } from "../request-params";
import { timestamp, type ScfDeps } from "./deps";
import type { FunctionConfig, VersionRecord } from "./model";
import { namespaceOf } from "./store";

const MAX_VERSIONS = 1000;

export function versionActions(deps: ScfDeps): Record<string, Tc3Handler> {
  const { store } = deps;

  const PublishVersion: Tc3Handler = (p) => {
    const fn = store.requireFunction(namespaceOf(p), reqString(p, "FunctionName"));
    if (fn.status !== "Active") {
      throw new Tc3ApiError("UnsupportedOperation.PublishVersion", `Function ${fn.name} is ${fn.status}; a version can be published only from an Active $LATEST`);
    }
    if (fn.versions.length >= MAX_VERSIONS) throw new Tc3ApiError("LimitExceeded.FunctionVersions", `Function ${fn.name} already has ${MAX_VERSIONS} versions`);
    const now = timestamp(deps);
    const v: VersionRecord = {
      version: String(fn.nextVersion),
      description: optString(p, "Description") ?? "",
      config: JSON.parse(JSON.stringify(fn.latest)) as FunctionConfig,
      addTime: now,
      modTime: now,
    };
    fn.nextVersion += 1;
    fn.versions.push(v);
    store.save();
    const c = v.config;
    return {
      FunctionVersion: v.version,
      CodeSize: c.code.size,
      MemorySize: c.memorySize,
      Description: v.description,
      Handler: c.handler,
      Timeout: c.timeout,
      Runtime: c.runtime,
      Namespace: fn.namespace,
    };
  };

  const ListVersionByFunction: Tc3Handler = (p) => {
    const fn = store.requireFunction(namespaceOf(p), reqString(p, "FunctionName"));
    const rows = [
      { Version: "$LATEST", Description: fn.latest.description, AddTime: fn.addTime, ModTime: fn.modTime, Status: fn.status },
      ...fn.versions.map((v) => ({ Version: v.version, Description: v.description, AddTime: v.addTime, ModTime: v.modTime, Status: "Active" })),
    ];
    if (optString(p, "Order") === "DESC") rows.reverse();
    const offset = typeof p.Offset === "number" ? p.Offset : 0;
    const limit = typeof p.Limit === "number" ? p.Limit : 20;
    const pageRows = rows.slice(offset, offset + limit);
    return { FunctionVersion: pageRows.map((r) => r.Version), Versions: pageRows, TotalCount: rows.length };
  };

  return { PublishVersion, ListVersionByFunction };
}
