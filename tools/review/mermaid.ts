/**
 * A Mermaid flowchart of one changed stack: every resource and data source, an arrow from each item to what it
 * references (`${…}` tokens), changed items coloured by verdict. Labels are the short type and the construct path,
 * never attribute values (nothing to mask).
 */
import type { ClassifiedStack, StackItem, Verdict } from "./model";
import { referencesIn } from "./references";

const CLASS_DEFS = [
  "classDef create fill:#dafbe1,stroke:#1a7f37,color:#0b3d1a",
  "classDef delete fill:#ffebe9,stroke:#cf222e,color:#5c0a0f,stroke-dasharray: 4 2",
  "classDef replace fill:#fff1e5,stroke:#bc4c00,color:#4a1d00,stroke-width:3px",
  "classDef update fill:#fff8c5,stroke:#9a6700,color:#3b2300",
];

const MARK: Record<Verdict, string> = { create: "+ ", delete: "− ", replace: "± ", update: "~ " };

function label(item: StackItem, verdict: Verdict | undefined): string {
  const type = item.type.replace(/^tencentcloud_/, "");
  const text = `${verdict ? MARK[verdict] : ""}${item.kind === "data" ? "data." : ""}${type}<br/>${item.label}`;
  return text.replace(/"/g, "#quot;");
}

export function mermaidDiagram(stack: ClassifiedStack): string {
  const items = new Map<string, StackItem>();
  for (const it of stack.before?.items.values() ?? []) items.set(it.address, it);
  for (const it of stack.after?.items.values() ?? []) items.set(it.address, it);
  const verdicts = new Map(stack.items.map((i) => [i.address, i.verdict]));
  const ids = new Map([...items.keys()].sort().map((address, i) => [address, `n${i}`]));
  const lines = ["flowchart LR"];
  for (const [address, id] of ids) {
    const item = items.get(address)!;
    const verdict = verdicts.get(address);
    lines.push(`  ${id}["${label(item, verdict)}"]${verdict ? `:::${verdict}` : ""}`);
  }
  const edges = new Set<string>();
  for (const [address, item] of items) {
    for (const ref of referencesIn(item.body)) {
      const to = ids.get(ref.target);
      if (to && ref.target !== address) edges.add(`  ${ids.get(address)} --> ${to}`);
    }
  }
  lines.push(...[...edges].sort(), ...CLASS_DEFS.map((d) => `  ${d}`));
  return lines.join("\n");
}
