/**
 * Markdown for a pull-request comment: a summary table, then per changed stack the verdicts (replacements and
 * apply failures called out first), attribute-level before → after, output and backend changes, and the graph.
 * Every value passes through mask.ts on its way out.
 */
import { topLevel } from "./diff";
import { maskValue } from "./mask";
import { mermaidDiagram } from "./mermaid";
import type { AttrChange, ClassifiedItem, ClassifiedStack, Json, Verdict } from "./model";

const ICON: Record<Verdict, string> = { create: "➕ create", delete: "🗑️ destroy", replace: "🔁 replace", update: "✏️ update" };
const MAX_VALUE = 100;
const MAX_CREATE_ROWS = 30;

/** A value inside a table cell: masked, absent shown as —, long values cut, pipes and newlines made harmless. */
export function cell(path: string, value: Json | undefined): string {
  const shown = maskValue(path, value);
  if (shown === undefined) return "—";
  let text = typeof shown === "string" ? shown : JSON.stringify(shown);
  // Cut in the middle: the end of a long value (an ARN's resource, a path's file) is where two values usually differ.
  if (text.length > MAX_VALUE) text = `${text.slice(0, 55)}…${text.slice(-(MAX_VALUE - 56))}`;
  text = text.replace(/\r?\n/g, "⏎").replace(/\|/g, "\\|");
  const fence = text.includes("`") ? "``" : "`";
  return `${fence}${fence.length > 1 ? " " : ""}${text}${fence.length > 1 ? " " : ""}${fence}`;
}

const code = (s: string) => `\`${s}\``;

export interface StackCounts {
  create: number;
  update: number;
  replace: number;
  delete: number;
  failsAtApply: number;
  ignoredAtApply: number;
}

export function countOf(stack: ClassifiedStack): StackCounts {
  const n = (v: Verdict) => stack.items.filter((i) => i.verdict === v).length;
  return { create: n("create"), update: n("update"), replace: n("replace"), delete: n("delete"), failsAtApply: stack.items.filter((i) => i.failsAtApply.length).length, ignoredAtApply: stack.items.filter((i) => i.ignoredAtApply.length).length };
}

export const hasChanges = (stack: ClassifiedStack): boolean => stack.items.length > 0 || stack.outputs.length > 0 || stack.settings.length > 0;

function why(item: ClassifiedItem, labelOf: (address: string) => string = (a) => a): string {
  const parts: string[] = [];
  if (item.forceNew.length) parts.push(`${item.forceNew.map(code).join(", ")} ForceNew`);
  if (item.failsAtApply.length) parts.push(`⛔ ${item.failsAtApply.map(code).join(", ")} fails at apply`);
  if (item.ignoredAtApply.length) parts.push(`🚫 ${item.ignoredAtApply.map(code).join(", ")} ignored at apply`);
  if (item.knockOn) parts.push(`references replaced ${item.knockOn.because.map((b) => labelOf(b)).join(", ")} via ${item.knockOn.via.map(code).join(", ")} (known after apply)`);
  if (!parts.length && item.verdict === "update") parts.push(item.changes.map((c) => topLevel(c.path)).filter((v, i, a) => a.indexOf(v) === i).map(code).join(", "));
  return parts.join("; ");
}

function changeRows(item: ClassifiedItem): string[] {
  if (item.verdict === "delete") return [];
  if (item.action === "create") {
    const rows = item.changes.slice(0, MAX_CREATE_ROWS).map((c) => `| ${code(c.path)} | ${cell(c.path, c.after)} |`);
    if (item.changes.length > MAX_CREATE_ROWS) rows.push(`| … | ${item.changes.length - MAX_CREATE_ROWS} more |`);
    return rows.length ? ["| attribute | value |", "|---|---|", ...rows] : [];
  }
  const mark = (c: AttrChange) => {
    const top = topLevel(c.path);
    if (item.forceNew.includes(top)) return " (ForceNew)";
    if (item.failsAtApply.includes(top)) return " ⛔ (fails at apply)";
    if (item.ignoredAtApply.includes(top)) return " 🚫 (ignored at apply)";
    return "";
  };
  const rows = item.changes.map((c) => `| ${code(c.path)}${mark(c)} | ${cell(c.path, c.before)} | ${cell(c.path, c.after)} |`);
  for (const via of item.knockOn?.via ?? []) rows.push(`| ${code(via)} | (unchanged reference) | known after apply |`);
  return rows.length ? ["| attribute | before | after |", "|---|---|---|", ...rows] : [];
}

function changeTable(title: string, changes: AttrChange[]): string[] {
  if (!changes.length) return [];
  return [`**${title}**`, "", "| name | before | after |", "|---|---|---|", ...changes.map((c) => `| ${code(c.path)} | ${cell(c.path, c.before)} | ${cell(c.path, c.after)} |`), ""];
}

export function renderStack(stack: ClassifiedStack, options: { diagram?: boolean } = {}): string {
  const labelOf = (address: string) => stack.after?.items.get(address)?.label ?? stack.before?.items.get(address)?.label ?? address;
  const c = countOf(stack);
  const counts = [
    c.create && `${c.create} to create`,
    c.update && `${c.update} to update`,
    c.replace && `${c.replace} to replace`,
    c.delete && `${c.delete} to destroy`,
  ].filter(Boolean);
  const out: string[] = [`## ${code(stack.stack)}: ${counts.join(", ") || "no resource changes"}`, ""];
  const failing = stack.items.filter((i) => i.failsAtApply.length);
  for (const i of failing) {
    out.push(
      `> ⛔ **Fails at apply**: ${code(i.address)} changes ${i.failsAtApply.map(code).join(", ")}, which the provider's update rejects (the plan will look fine). ` +
        `Replace it deliberately instead (\`terraform apply -replace=${i.address}\`) or keep the old value.`,
      "",
    );
  }
  for (const i of stack.items.filter((x) => x.ignoredAtApply.length)) {
    out.push(
      `> 🚫 **Ignored at apply**: ${code(i.address)} changes ${i.ignoredAtApply.map(code).join(", ")}, but ${i.notes.at(-1)}. ` +
        `Nothing fails, so this is easy to miss: replace it (\`terraform apply -replace=${i.address}\`) or give it a new address.`,
      "",
    );
  }
  const replaced = stack.items.filter((i) => i.verdict === "replace");
  if (replaced.length) {
    out.push(`> ⚠️ **${replaced.length} replacement${replaced.length > 1 ? "s" : ""}** (destroy, then create):`);
    for (const i of replaced) out.push(`> - ${code(i.address)}: ${why(i, labelOf)}${i.notes.length ? `. ${i.notes.join("; ")}` : ""}`);
    out.push("");
  }
  for (const note of stack.settingNotes) out.push(`> ⚠️ ${note}`, "");
  if (stack.items.length) {
    out.push("| action | resource | construct | why |", "|---|---|---|---|");
    for (const i of stack.items) out.push(`| ${ICON[i.verdict]} | ${code(i.address)} | ${i.label} | ${why(i, labelOf)} |`);
    out.push("");
    for (const i of stack.items) {
      const rows = changeRows(i);
      if (!rows.length) continue;
      out.push(`### ${ICON[i.verdict]} ${code(i.address)}`, "");
      const notes = i.verdict === "replace" || i.ignoredAtApply.length ? [] : i.notes;
      for (const n of notes) out.push(`> ${n}`, "");
      out.push(...rows, "");
    }
  }
  out.push(...changeTable("Outputs", stack.outputs), ...changeTable("Backend and provider", stack.settings));
  if (options.diagram ?? true) {
    out.push("<details><summary>Resource graph (changed resources highlighted)</summary>", "", "```mermaid", mermaidDiagram(stack), "```", "", "</details>", "");
  }
  return out.join("\n");
}

export interface ReviewDocument {
  title: string;
  /** Lines under the title (what was compared with what). */
  context: string[];
  stacks: ClassifiedStack[];
}

export function renderReview(doc: ReviewDocument): string {
  const changed = doc.stacks.filter(hasChanges);
  const unchanged = doc.stacks.filter((s) => !hasChanges(s)).map((s) => code(s.stack));
  const out = [`# ${doc.title}`, "", ...doc.context.map((l) => `${l}  `), ""];
  if (changed.length) {
    out.push("| stack | create | update | replace | destroy | fails at apply | ignored at apply |", "|---|---|---|---|---|---|---|");
    for (const s of changed) {
      const c = countOf(s);
      out.push(`| ${code(s.stack)} | ${c.create} | ${c.update} | ${c.replace ? `**${c.replace}**` : 0} | ${c.delete ? `**${c.delete}**` : 0} | ${c.failsAtApply ? `⛔ **${c.failsAtApply}**` : 0} | ${c.ignoredAtApply ? `🚫 **${c.ignoredAtApply}**` : 0} |`);
    }
    out.push("");
  } else {
    out.push("No changes.", "");
  }
  if (unchanged.length) out.push(`Unchanged: ${unchanged.join(", ")}.`, "");
  for (const s of changed) out.push(renderStack(s));
  return `${out.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd()}\n`;
}

export interface DriftDocument {
  a: string;
  b: string;
  /** What was normalized before comparing (said in the output). */
  normalized: string[];
  context: string[];
  stack: ClassifiedStack;
}

/** Environment drift: same addresses, different attributes (a = first environment, b = second). */
export function renderDrift(doc: DriftDocument): string {
  const { a, b, stack } = doc;
  const out = [`# Drift: ${code(a)} ↔ ${code(b)}`, "", ...doc.context.map((l) => `${l}  `), "", "Normalized before comparing:", ...doc.normalized.map((n) => `- ${n}`), ""];
  const onlyA = stack.items.filter((i) => i.action === "delete");
  const onlyB = stack.items.filter((i) => i.action === "create");
  const both = stack.items.filter((i) => i.action === "update");
  if (!hasChanges(stack)) out.push("No drift: the two stacks are the same after normalization.", "");
  if (onlyA.length) out.push(`**Only in ${code(a)}** (${onlyA.length})`, "", ...onlyA.map((i) => `- ${code(i.address)} (${i.label})`), "");
  if (onlyB.length) out.push(`**Only in ${code(b)}** (${onlyB.length})`, "", ...onlyB.map((i) => `- ${code(i.address)} (${i.label})`), "");
  if (both.length) {
    out.push(`**Same address, different attributes** (${both.length})`, "", `| resource | attribute | ${code(a)} | ${code(b)} |`, "|---|---|---|---|");
    for (const i of both) for (const c of i.changes) out.push(`| ${i.label} | ${code(c.path)} | ${cell(c.path, c.before)} | ${cell(c.path, c.after)} |`);
    out.push("");
  }
  const outputs = stack.outputs;
  if (outputs.length) out.push(`**Outputs**`, "", `| output | ${code(a)} | ${code(b)} |`, "|---|---|---|", ...outputs.map((c) => `| ${code(c.path)} | ${cell(c.path, c.before)} | ${cell(c.path, c.after)} |`), "");
  if (stack.settings.length) out.push(`**Backend and provider**`, "", `| setting | ${code(a)} | ${code(b)} |`, "|---|---|---|", ...stack.settings.map((c) => `| ${code(c.path)} | ${cell(c.path, c.before)} | ${cell(c.path, c.after)} |`), "");
  return `${out.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd()}\n`;
}
