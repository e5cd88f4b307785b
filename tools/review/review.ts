/** Pure composition: synthesized stacks in, classified changes out (base → head, or one environment → another). */
import { classifyStack } from "./classify";
import { diffStacks } from "./diff";
import type { ClassifiedStack, TfJson } from "./model";
import { ENVIRONMENT_NAME_RULES, normalizeEnvironmentName, normalizeStack } from "./normalize";
import { PROVIDER_RULES, type ProviderRules } from "./provider-rules";

/**
 * RecorderStack's stack name for an environment (infra/stacks/recorder-stack.ts `stackName`), repeated here on
 * purpose: importing that module loads cdktf and every provider binding (about a second) into a process that only
 * compares JSON. test/tools/review-synth.test.ts checks the two agree.
 */
export const stackNameOf = (env: string): string => `recorder-${env}`;

/** Every stack present on either side, in the head's order (local, dev, staging, prod), then removed ones. */
export function reviewStacks(before: Record<string, TfJson>, after: Record<string, TfJson>, rules: ProviderRules = PROVIDER_RULES): ClassifiedStack[] {
  const names = [...new Set([...Object.keys(after), ...Object.keys(before)])];
  return names.map((name) => {
    const b = before[name] ? normalizeStack(name, before[name]) : undefined;
    const a = after[name] ? normalizeStack(name, after[name]) : undefined;
    return classifyStack(diffStacks(name, b, a), rules);
  });
}

export interface Drift {
  stack: ClassifiedStack;
  /** Said in the output, so nobody wonders what was hidden. */
  normalized: string[];
}

/** Two environments' stacks at the same commit, with each environment's own name normalized away. */
export function driftBetween(stacks: Record<string, TfJson>, a: string, b: string, stackName: (env: string) => string): Drift {
  for (const env of [a, b]) {
    if (!stacks[stackName(env)]) throw new Error(`no stack ${stackName(env)} in the synth output (have: ${Object.keys(stacks).join(", ")})`);
  }
  const left = normalizeStack(stackName(a), stacks[stackName(a)]!, normalizeEnvironmentName(a));
  const right = normalizeStack(stackName(b), stacks[stackName(b)]!, normalizeEnvironmentName(b));
  const stack = classifyStack(diffStacks(`${stackName("<env>")}`, left, right));
  return {
    stack,
    normalized: [
      "cdktf `//` metadata dropped (construct paths become labels)",
      "asset paths shown as artifacts: `assets/…/<hash>/recorder-bundle-<hash>.zip` → `recorder-bundle@<hash>`",
      ...ENVIRONMENT_NAME_RULES.map((r) => `\`${a}\` / \`${b}\` → \`<env>\` in ${r.describe}`),
      "not normalized, so shown: artifact hashes (what each environment runs), CIDRs, sizes, switches, names that carry the environment name anywhere else, and `${…}` references",
    ],
  };
}
