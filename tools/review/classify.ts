/**
 * Turns changes into verdicts a reviewer can act on, using the provider's rules (provider-rules.ts):
 * - an update touching a ForceNew argument is a replacement;
 * - an update touching an argument the provider's update rejects is flagged "fails at apply", one it silently
 *   ignores "ignored at apply" (scf_layer: a new zip is never published);
 * - a replacement ripples: whatever references a replaced resource's computed (or changed) attribute is updated
 *   with a value known only after apply, or replaced in turn when that reference sits in a ForceNew argument.
 *   (A new bundle hash replaces the function version, which moves the `live` alias: that is this ripple.)
 */
import { topLevel } from "./diff";
import type { ClassifiedItem, ClassifiedStack, ItemChange, StackDiff, StackItem } from "./model";
import { PROVIDER_RULES, type ProviderRules } from "./provider-rules";
import { referencesIn } from "./references";

function isForceNew(rules: ProviderRules, type: string, arg: string): boolean {
  const list = rules.forceNew[type];
  return list === "all" || (list?.includes(arg) ?? false);
}

function classifyItem(item: ItemChange, rules: ProviderRules): ClassifiedItem {
  const tops = [...new Set(item.changes.map((c) => topLevel(c.path)))];
  const forceNew = item.action === "update" ? tops.filter((a) => isForceNew(rules, item.type, a)) : [];
  const failsAtApply = item.action === "update" ? tops.filter((a) => rules.failsAtApply[item.type]?.includes(a)) : [];
  const verdict = item.action === "update" && forceNew.length ? "replace" : item.action;
  const ignored = rules.ignoredAtApply[item.type];
  const ignoredAtApply = verdict === "update" && ignored ? tops.filter((a) => ignored.args === "all" || ignored.args.includes(a)) : [];
  const notes = item.action === "update" ? tops.flatMap((a) => rules.notes[item.type]?.[a] ?? []) : [];
  if (verdict === "replace" && rules.replaceNotes[item.type]) notes.push(rules.replaceNotes[item.type]!);
  if (ignoredAtApply.length) notes.push(ignored!.why);
  return { ...item, verdict, forceNew, failsAtApply, ignoredAtApply, notes };
}

/** Does replacing `target` change the value of its `attribute`? Computed ones (ids, versions) always do. */
function valueChanges(target: ClassifiedItem, item: StackItem | undefined, attribute: string): boolean {
  if (!item || !(attribute in item.body)) return true;
  return target.changes.some((c) => topLevel(c.path) === attribute);
}

export function classifyStack(diff: StackDiff, rules: ProviderRules = PROVIDER_RULES): ClassifiedStack {
  const byAddress = new Map<string, ClassifiedItem>(diff.items.map((i) => [i.address, classifyItem(i, rules)]));
  const after = diff.after?.items ?? new Map<string, StackItem>();
  // Ripple replacements to a fixed point (each pass can only add replacements, so it terminates).
  let changed = true;
  while (changed) {
    changed = false;
    for (const item of after.values()) {
      const own = byAddress.get(item.address);
      if (own?.verdict === "create" || own?.verdict === "replace") continue;
      for (const ref of referencesIn(item.body)) {
        const target = byAddress.get(ref.target);
        if (target?.verdict !== "replace" || !valueChanges(target, after.get(ref.target), ref.attribute)) continue;
        const via = topLevel(ref.path);
        const current: ClassifiedItem = byAddress.get(item.address) ?? {
          address: item.address,
          kind: item.kind,
          type: item.type,
          label: item.label,
          action: "update",
          changes: [],
          verdict: "update",
          forceNew: [],
          failsAtApply: [],
          ignoredAtApply: [],
          notes: [],
        };
        const knockOn = current.knockOn ?? { because: [], via: [] };
        if (!knockOn.because.includes(ref.target)) knockOn.because.push(ref.target);
        if (!knockOn.via.includes(via)) knockOn.via.push(via);
        current.knockOn = knockOn;
        if (isForceNew(rules, item.type, via) && current.verdict !== "replace") {
          current.verdict = "replace";
          current.forceNew = [...new Set([...current.forceNew, via])];
          if (rules.replaceNotes[item.type]) current.notes.push(rules.replaceNotes[item.type]!);
          changed = true;
        }
        byAddress.set(item.address, current);
      }
    }
  }
  const settingNotes: string[] = [];
  // Only a change of settings matters; a stack appearing or disappearing as a whole is said by its items.
  const settingTops = new Set(diff.before && diff.after ? diff.settings.map((c) => c.path.split(".").slice(0, 2).join(".")) : []);
  if (settingTops.has("terraform.backend")) settingNotes.push("the state backend changes: run `terraform init -migrate-state` first, or Terraform starts from an empty state");
  if (settingTops.has("terraform.required_providers")) settingNotes.push("the provider version changes: re-check the ForceNew rules (tools/review/provider-rules.ts) against the new version");
  if ([...settingTops].some((t) => t.startsWith("provider."))) settingNotes.push("the provider configuration changes (region, endpoints): every resource may be read from a different place");
  const order = { replace: 0, delete: 1, create: 2, update: 3 } as const;
  const items = [...byAddress.values()].sort((a, b) => order[a.verdict] - order[b.verdict] || a.address.localeCompare(b.address));
  return { stack: diff.stack, before: diff.before, after: diff.after, items, outputs: diff.outputs, settings: diff.settings, settingNotes };
}
