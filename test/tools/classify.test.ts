import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { classifyStack } from "../../tools/review/classify";
import { diffStacks } from "../../tools/review/diff";
import type { TfJson } from "../../tools/review/model";
import { normalizeStack } from "../../tools/review/normalize";
import { PROVIDER_RULES } from "../../tools/review/provider-rules";
import { BUNDLE_B, fixtureStack, withResource } from "./fixtures/stacks";

const classify = (before: TfJson, after: TfJson) => classifyStack(diffStacks("recorder-dev", normalizeStack("recorder-dev", before), normalizeStack("recorder-dev", after)));
const verdicts = (s: ReturnType<typeof classify>) => Object.fromEntries(s.items.map((i) => [i.address, i.verdict]));

describe("classification with the provider's rules", () => {
  it("marks a change of a ForceNew argument as a replacement and names the argument", () => {
    const after = withResource(fixtureStack(), "tencentcloud_scf_function", "functions_recorder_39B9320F", (b) => {
      b.async_run_enable = "FALSE";
    });
    const s = classify(fixtureStack(), after);
    const fn = s.items.find((i) => i.type === "tencentcloud_scf_function")!;
    expect(fn.verdict).toBe("replace");
    expect(fn.forceNew).toEqual(["async_run_enable"]);
    expect(fn.notes.join(" ")).toMatch(/deleted and created again/);
  });

  it("keeps a change of a non-ForceNew argument an in-place update", () => {
    const after = withResource(fixtureStack(), "tencentcloud_scf_function", "functions_recorder_39B9320F", (b) => {
      b.timeout = 600;
    });
    const fn = classify(fixtureStack(), after).items[0]!;
    expect(fn.verdict).toBe("update");
    expect(fn.forceNew).toEqual([]);
    expect(fn.failsAtApply).toEqual([]);
  });

  it("flags a change the provider's update rejects (scf_function.func_type) as failing at apply, not as a replacement", () => {
    const after = withResource(fixtureStack(), "tencentcloud_scf_function", "functions_recorder_39B9320F", (b) => {
      b.func_type = "HTTP";
    });
    const fn = classify(fixtureStack(), after).items[0]!;
    expect(fn.verdict).toBe("update");
    expect(fn.failsAtApply).toEqual(["func_type"]);
  });

  it("flags cls_topic partition_count as failing at apply", () => {
    const after = withResource(fixtureStack(), "tencentcloud_cls_topic", "observability_topic_910E3B39", (b) => {
      b.partition_count = 4;
    });
    expect(classify(fixtureStack(), after).items[0]!.failsAtApply).toEqual(["partition_count"]);
  });

  it("flags an scf_layer change as ignored at apply (the provider's update is a no-op), not as a plain update", () => {
    const after = withResource(fixtureStack(), "tencentcloud_scf_layer", "ffmpeg_layer_A6DA820C", (b) => {
      b.description = "new";
    });
    const layer = classify(fixtureStack(), after).items[0]!;
    expect(layer.verdict).toBe("update");
    expect(layer.ignoredAtApply).toEqual(["description"]);
    expect(layer.notes.join(" ")).toMatch(/no new layer version is published/);
  });

  it("ripples a new bundle: the version is replaced (description) and the alias follows with a value known after apply", () => {
    const s = classify(fixtureStack(), fixtureStack("dev", BUNDLE_B));
    expect(verdicts(s)).toEqual({
      "tencentcloud_scf_function_version.functions_recorder-version_07456BA0": "replace",
      "tencentcloud_scf_function.functions_recorder_39B9320F": "update",
      "tencentcloud_scf_function_alias.functions_recorder-alias_5FC146D5": "update",
    });
    const alias = s.items.find((i) => i.type === "tencentcloud_scf_function_alias")!;
    expect(alias.changes).toEqual([]);
    expect(alias.knockOn).toEqual({ because: ["tencentcloud_scf_function_version.functions_recorder-version_07456BA0"], via: ["function_version"] });
    const version = s.items.find((i) => i.type === "tencentcloud_scf_function_version")!;
    expect(version.notes.join(" ")).toMatch(/create_before_destroy: created, the alias moved to it, then the old version deleted/);
  });

  it("ripples a replacement through a ForceNew reference: renaming the function replaces its version too", () => {
    const after = withResource(fixtureStack(), "tencentcloud_scf_function", "functions_recorder_39B9320F", (b) => {
      b.name = "trtc-rec-dev-2";
    });
    const v = verdicts(classify(fixtureStack(), after));
    expect(v["tencentcloud_scf_function.functions_recorder_39B9320F"]).toBe("replace");
    expect(v["tencentcloud_scf_function_version.functions_recorder-version_07456BA0"]).toBe("replace");
    // The alias references the function's name (changed) and the version (replaced): updated in place.
    expect(v["tencentcloud_scf_function_alias.functions_recorder-alias_5FC146D5"]).toBe("update");
  });

  it("does not ripple through a configured attribute the replacement leaves unchanged", () => {
    // Replacing the function for async_run_enable keeps its configured name, so the version's function_name is stable.
    const after = withResource(fixtureStack(), "tencentcloud_scf_function", "functions_recorder_39B9320F", (b) => {
      b.async_run_enable = "FALSE";
    });
    const v = verdicts(classify(fixtureStack(), after));
    expect(v["tencentcloud_scf_function_version.functions_recorder-version_07456BA0"]).toBeUndefined();
  });

  it("notes a backend change (state migration) only when both sides exist", () => {
    const after = structuredClone(fixtureStack());
    (after.terraform!.backend as Record<string, Record<string, string>>).cos!.bucket = "tfstate-other-1250000000";
    expect(classify(fixtureStack(), after).settingNotes.join(" ")).toMatch(/migrate-state/);
    const created = classifyStack(diffStacks("recorder-dev", undefined, normalizeStack("recorder-dev", fixtureStack())));
    expect(created.settingNotes).toEqual([]);
  });
});

describe("the provider rules table", () => {
  const schema = JSON.parse(readFileSync(join(__dirname, "../../infra/provider/tencentcloud-schema.json"), "utf8")) as {
    provider_schemas: Record<string, { resource_schemas: Record<string, { block: { attributes?: Record<string, unknown>; block_types?: Record<string, unknown> } }> }>;
  };
  const resources = Object.values(schema.provider_schemas)[0]!.resource_schemas;
  const argumentsOf = (type: string) => {
    const block = resources[type]?.block;
    return new Set([...Object.keys(block?.attributes ?? {}), ...Object.keys(block?.block_types ?? {})]);
  };

  it("names only resource types and arguments that exist in the provider schema (a typo would silently never match)", () => {
    const problems: string[] = [];
    const ignored = Object.fromEntries(Object.entries(PROVIDER_RULES.ignoredAtApply).map(([t, r]) => [t, r.args]));
    const tables = [["forceNew", PROVIDER_RULES.forceNew], ["failsAtApply", PROVIDER_RULES.failsAtApply], ["ignoredAtApply", ignored], ["notes", PROVIDER_RULES.notes]] as const;
    for (const [kind, table] of tables) {
      for (const [type, args] of Object.entries(table)) {
        if (!resources[type]) {
          problems.push(`${kind}: ${type} is not a resource`);
          continue;
        }
        const names: readonly string[] = args === "all" ? [] : Array.isArray(args) ? (args as readonly string[]) : Object.keys(args as object);
        for (const arg of names) if (!argumentsOf(type).has(arg)) problems.push(`${kind}: ${type}.${arg} is not an argument`);
      }
    }
    expect(problems).toEqual([]);
  });
});
