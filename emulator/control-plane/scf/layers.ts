// PublishLayerVersion, GetLayerVersion, ListLayerVersions, ListLayers, DeleteLayerVersion. Versions are numbered
// per layer name; a new one is Publishing until it has been read once, then Active. A version that any function's
// $LATEST or published version binds cannot be deleted (ResourceInUse.LayerVersion).
import { Tc3ApiError, type Tc3Handler } from "../../tc3/types";
import { optObject, optString, optStringArray, reqInt, reqString } from "../request-params";
import { timestamp, type ScfDeps } from "./deps";
import type { LayerVersionRecord } from "./model";
import { layerVersionInfo } from "./shapes";
import { beginTransition, observeStatus } from "./store";

const LAYER_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const MAX_LAYER_VERSIONS = 200;

export function layerActions(deps: ScfDeps): Record<string, Tc3Handler> {
  const { store } = deps;
  const requireVersion = (name: string, version: number): LayerVersionRecord => {
    const v = store.data.layers[name]?.versions.find((x) => x.version === version);
    if (!v) throw new Tc3ApiError("ResourceNotFound.LayerVersion", `Layer ${name} version ${version} does not exist`);
    return v;
  };

  const PublishLayerVersion: Tc3Handler = async (p) => {
    const name = reqString(p, "LayerName");
    if (!LAYER_NAME.test(name)) throw new Tc3ApiError("InvalidParameterValue.LayerName", `LayerName must be 1-64 letters, digits, _ and -, starting with a letter (got "${name}")`);
    const runtimes = optStringArray(p, "CompatibleRuntimes") ?? [];
    if (runtimes.length === 0 || runtimes.length > 20) throw new Tc3ApiError("InvalidParameterValue.CompatibleRuntimes", `CompatibleRuntimes must list 1..20 runtimes (got ${runtimes.length})`);
    const content = optObject(p, "Content");
    if (!content) throw new Tc3ApiError("InvalidParameterValue.Content", "Content is required: ZipFile, or CosBucketName + CosObjectName + CosBucketRegion");
    const layer = (store.data.layers[name] ??= { nextVersion: 1, versions: [] });
    if (layer.versions.length >= MAX_LAYER_VERSIONS) throw new Tc3ApiError("LimitExceeded.LayerVersions", `Layer ${name} already has ${MAX_LAYER_VERSIONS} versions`);
    const code = await deps.code.resolve(content, "Content");
    const v: LayerVersionRecord = {
      name,
      version: layer.nextVersion,
      runtimes,
      description: optString(p, "Description") ?? "",
      license: optString(p, "LicenseInfo") ?? "",
      code,
      addTime: timestamp(deps),
      status: "Publishing",
      pendingReads: 0,
    };
    beginTransition(v, "Publishing");
    layer.nextVersion += 1;
    layer.versions.push(v);
    store.save();
    return { LayerVersion: v.version };
  };

  const GetLayerVersion: Tc3Handler = (p) => {
    const v = requireVersion(reqString(p, "LayerName"), reqInt(p, "LayerVersion"));
    const { status, changed } = observeStatus(v);
    if (changed) store.save();
    return {
      ...layerVersionInfo(v, status),
      CodeSha256: v.code.sha256 ?? "",
      Location: v.code.zipPath ? `file://${v.code.zipPath}` : "",
    };
  };

  const ListLayerVersions: Tc3Handler = (p) => {
    const name = reqString(p, "LayerName");
    const layer = store.data.layers[name];
    if (!layer || layer.versions.length === 0) throw new Tc3ApiError("ResourceNotFound.Layer", `Layer ${name} does not exist`);
    const runtime = optStringArray(p, "CompatibleRuntime");
    const rows = layer.versions.filter((v) => !runtime || runtime.some((r) => v.runtimes.includes(r)));
    return { LayerVersions: [...rows].reverse().map((v) => layerVersionInfo(v)) };
  };

  const ListLayers: Tc3Handler = (p) => {
    const search = optString(p, "SearchKey") ?? "";
    const runtime = optString(p, "CompatibleRuntime");
    const latest = Object.values(store.data.layers)
      .map((l) => l.versions.at(-1))
      .filter((v): v is LayerVersionRecord => v !== undefined && v.name.includes(search) && (!runtime || v.runtimes.includes(runtime)));
    const offset = typeof p.Offset === "number" ? p.Offset : 0;
    const limit = typeof p.Limit === "number" ? p.Limit : 20;
    return { Layers: latest.slice(offset, offset + limit).map((v) => layerVersionInfo(v)), TotalCount: latest.length };
  };

  const DeleteLayerVersion: Tc3Handler = (p) => {
    const name = reqString(p, "LayerName");
    const v = requireVersion(name, reqInt(p, "LayerVersion"));
    const users: string[] = [];
    for (const fn of store.data.functions) {
      const binds = (cfg: { layers: Array<{ LayerName: string; LayerVersion: number }> }) => cfg.layers.some((b) => b.LayerName === name && b.LayerVersion === v.version);
      if (binds(fn.latest)) users.push(`${fn.namespace}/${fn.name}:$LATEST`);
      for (const fv of fn.versions) if (binds(fv.config)) users.push(`${fn.namespace}/${fn.name}:${fv.version}`);
    }
    if (users.length > 0) {
      throw new Tc3ApiError("ResourceInUse.LayerVersion", `Layer ${name} version ${v.version} is in use by ${users.join(", ")}`);
    }
    const layer = store.data.layers[name];
    layer.versions = layer.versions.filter((x) => x !== v);
    store.save();
    return {};
  };

  return { PublishLayerVersion, GetLayerVersion, ListLayerVersions, ListLayers, DeleteLayerVersion };
}
