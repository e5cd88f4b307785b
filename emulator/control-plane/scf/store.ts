// Lookups over the SCF state with the errors SCF answers when something is missing, and the read-driven status
// transitions (Creating/Updating -> Active, Publishing -> Active) that make the provider's waits terminate.
import { Tc3ApiError } from "../../tc3/types";
import type { PersistedState } from "../persisted-state";
import type { FunctionRecord, ScfState, Settling, VersionRecord } from "./model";

export const DEFAULT_NAMESPACE = "default";

/** The request's namespace; the provider sends "" for an alias without one, which SCF treats as "default". */
export function namespaceOf(params: Record<string, unknown>): string {
  const ns = params.Namespace;
  return typeof ns === "string" && ns !== "" ? ns : DEFAULT_NAMESPACE;
}

export class ScfStore {
  constructor(private readonly persisted: PersistedState<ScfState>) {}

  get data(): ScfState {
    return this.persisted.data;
  }

  save(): void {
    this.persisted.save();
  }

  requireNamespace(name: string): void {
    if (!this.data.namespaces.some((n) => n.name === name)) {
      throw new Tc3ApiError("ResourceNotFound.Namespace", `Namespace ${name} does not exist`);
    }
  }

  findFunction(namespace: string, name: string): FunctionRecord | undefined {
    return this.data.functions.find((f) => f.namespace === namespace && f.name === name);
  }

  /** SCF answers ResourceNotFound.Function for an unknown function (the provider's not-found set). */
  requireFunction(namespace: string, name: string): FunctionRecord {
    this.requireNamespace(namespace);
    const fn = this.findFunction(namespace, name);
    if (!fn) throw new Tc3ApiError("ResourceNotFound.Function", `Function ${name} does not exist in namespace ${namespace}`);
    return fn;
  }

  requireVersion(fn: FunctionRecord, version: string): VersionRecord {
    const v = fn.versions.find((x) => x.version === version);
    if (!v) throw new Tc3ApiError("ResourceNotFound.Version", `Version ${version} of function ${fn.name} does not exist`);
    return v;
  }

  /** "$LATEST", a published version, "$DEFAULT" or an alias name -> the version it serves ("$LATEST" or "<n>"). */
  resolveQualifier(fn: FunctionRecord, qualifier: string | undefined): string {
    const q = qualifier === undefined || qualifier === "" ? "$LATEST" : qualifier;
    if (q === "$LATEST") return q;
    if (/^\d+$/.test(q)) return this.requireVersion(fn, q).version;
    const alias = fn.aliases.find((a) => a.name === q);
    if (alias) return alias.functionVersion;
    // $DEFAULT is the alias every function has from creation, pointing at $LATEST.
    if (q === "$DEFAULT") return "$LATEST";
    throw new Tc3ApiError("ResourceNotFound.Qualifier", `Qualifier ${q} of function ${fn.name} does not exist (not $LATEST, a version or an alias)`);
  }
}

/** Starts a transition that `reads` later reads still observe. */
export function beginTransition(target: Settling, status: string, reads = 1): void {
  target.status = status;
  target.pendingReads = reads;
}

/** The status a read reports; counts the read and settles to Active once the pending reads are used up. */
export function observeStatus(target: Settling): { status: string; changed: boolean } {
  const status = target.status;
  if (target.pendingReads > 0) {
    target.pendingReads -= 1;
    if (target.pendingReads === 0) target.status = "Active";
    return { status, changed: true };
  }
  return { status, changed: false };
}
