/** The shapes the review passes between its steps: synthesized JSON in, normalized stacks, changes, verdicts out. */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export type { TfJson } from "../../infra/synthesized/tf-json";

/** A resource or data source, addressed as Terraform does: `type.name` or `data.type.name`. */
export interface StackItem {
  address: string;
  kind: "resource" | "data";
  type: string;
  name: string;
  /** The construct path inside the stack (`functions/recorder-alias`): what a person recognises. */
  label: string;
  body: JsonObject;
}

export interface NormalizedStack {
  name: string;
  items: Map<string, StackItem>;
  outputs: JsonObject;
  /** The `terraform` block (backend, required providers) and the `provider` block. */
  settings: JsonObject;
}

/** One changed leaf: `environment.RECORDER_ENV`, `layers[0].layer_version`, `document⟨json⟩.Statement[0].Action`. */
export interface AttrChange {
  path: string;
  /** Undefined: the attribute is absent on that side. */
  before?: Json;
  after?: Json;
}

export interface ItemChange {
  address: string;
  kind: "resource" | "data";
  type: string;
  label: string;
  action: "create" | "delete" | "update";
  changes: AttrChange[];
}

export interface StackDiff {
  stack: string;
  before?: NormalizedStack;
  after?: NormalizedStack;
  items: ItemChange[];
  outputs: AttrChange[];
  settings: AttrChange[];
}

export type Verdict = "create" | "delete" | "update" | "replace";

export interface ClassifiedItem extends ItemChange {
  verdict: Verdict;
  /** Changed arguments the provider marks ForceNew (why this is a replacement). */
  forceNew: string[];
  /** Changed arguments the provider's update rejects: the plan looks fine, the apply fails. */
  failsAtApply: string[];
  /** Changed arguments the provider's update silently ignores: applied "successfully", changed nothing. */
  ignoredAtApply: string[];
  /** Other things a reviewer should know (trigger sets recreated, versions deleted…). */
  notes: string[];
  /** Set when the item changes only because something it references is replaced. */
  knockOn?: { because: string[]; via: string[] };
}

export interface ClassifiedStack {
  stack: string;
  before?: NormalizedStack;
  after?: NormalizedStack;
  items: ClassifiedItem[];
  outputs: AttrChange[];
  settings: AttrChange[];
  settingNotes: string[];
}

export const isJsonObject = (v: Json | undefined): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);
