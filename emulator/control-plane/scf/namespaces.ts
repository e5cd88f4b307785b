// CreateNamespace, ListNamespaces, UpdateNamespace, DeleteNamespace. Every account has "default"; a region holds at
// most 5 namespaces (SCF quota doc); a namespace with functions cannot be deleted.
import { Tc3ApiError, type Tc3Handler } from "../../tc3/types";
import { optString, reqString } from "../request-params";
import { timestamp, type ScfDeps } from "./deps";
import { DEFAULT_NAMESPACE } from "./store";

const NAMESPACE = /^[A-Za-z][A-Za-z0-9_-]{0,29}$/;
const MAX_NAMESPACES = 5;

export function namespaceActions(deps: ScfDeps): Record<string, Tc3Handler> {
  const { store } = deps;
  const find = (name: string) => {
    const ns = store.data.namespaces.find((n) => n.name === name);
    if (!ns) throw new Tc3ApiError("ResourceNotFound.Namespace", `Namespace ${name} does not exist`);
    return ns;
  };
  return {
    CreateNamespace: (p) => {
      const name = reqString(p, "Namespace");
      if (!NAMESPACE.test(name)) throw new Tc3ApiError("InvalidParameterValue.Namespace", `Namespace must be 1-30 letters, digits, _ and -, starting with a letter (got "${name}")`);
      if (store.data.namespaces.some((n) => n.name === name)) throw new Tc3ApiError("ResourceInUse.Namespace", `Namespace ${name} already exists`);
      if (store.data.namespaces.length >= MAX_NAMESPACES) throw new Tc3ApiError("LimitExceeded.Namespace", `A region holds at most ${MAX_NAMESPACES} namespaces`);
      const now = timestamp(deps);
      store.data.namespaces.push({ name, description: optString(p, "Description") ?? "", type: "custom", addTime: now, modTime: now });
      store.save();
      return {};
    },
    ListNamespaces: (p) => {
      const rows = store.data.namespaces;
      const offset = typeof p.Offset === "number" ? p.Offset : 0;
      const limit = typeof p.Limit === "number" ? p.Limit : 20;
      return {
        Namespaces: rows.slice(offset, offset + limit).map((n) => ({ ModTime: n.modTime, AddTime: n.addTime, Description: n.description, Name: n.name, Type: n.type })),
        TotalCount: rows.length,
      };
    },
    UpdateNamespace: (p) => {
      const ns = find(reqString(p, "Namespace"));
      ns.description = reqString(p, "Description");
      ns.modTime = timestamp(deps);
      store.save();
      return {};
    },
    DeleteNamespace: (p) => {
      const name = reqString(p, "Namespace");
      if (name === DEFAULT_NAMESPACE) throw new Tc3ApiError("InvalidParameterValue.DefaultNamespace", "The default namespace cannot be deleted");
      find(name);
      if (store.data.functions.some((f) => f.namespace === name)) throw new Tc3ApiError("ResourceInUse.Namespace", `Namespace ${name} still has functions`);
      store.data.namespaces = store.data.namespaces.filter((n) => n.name !== name);
      store.save();
      return {};
    },
  };
}
