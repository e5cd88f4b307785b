import { describe, expect, it } from "vitest";
import { mermaidDiagram } from "../../tools/review/mermaid";
import { renderReview } from "../../tools/review/render-markdown";
import { reviewStacks } from "../../tools/review/review";
import { BUNDLE_A, BUNDLE_B, fixtureStack, withResource } from "./fixtures/stacks";

const review = (before: Parameters<typeof reviewStacks>[0], after: Parameters<typeof reviewStacks>[1]) => renderReview({ title: "Infrastructure review", context: ["ctx"], stacks: reviewStacks(before, after) });

describe("the Markdown review", () => {
  it("shows attribute-level before → after, with the artifact hashes instead of asset paths", () => {
    const md = review({ "recorder-dev": fixtureStack("dev", BUNDLE_A) }, { "recorder-dev": fixtureStack("dev", BUNDLE_B) });
    expect(md).toContain(`| \`zip_file\` | \`recorder-bundle@${BUNDLE_A}\` | \`recorder-bundle@${BUNDLE_B}\` |`);
    expect(md).toContain(`| \`description\` (ForceNew) | \`bundle ${BUNDLE_A}\` | \`bundle ${BUNDLE_B}\` |`);
    expect(md).not.toContain("assets/");
    expect(md).not.toContain("uniqueId");
  });

  it("calls out replacements with the ForceNew argument and the knock-on alias update", () => {
    const md = review({ "recorder-dev": fixtureStack("dev", BUNDLE_A) }, { "recorder-dev": fixtureStack("dev", BUNDLE_B) });
    expect(md).toMatch(/⚠️ \*\*1 replacement\*\*/);
    expect(md).toMatch(/functions_recorder-version_07456BA0`: `description` ForceNew/);
    expect(md).toMatch(/✏️ update \| `tencentcloud_scf_function_alias\.functions_recorder-alias_5FC146D5` \| functions\/recorder-alias \| references replaced functions\/recorder-version via `function_version` \(known after apply\)/);
    expect(md).toContain("| `recorder-dev` | 0 | 2 | **1** | 0 | 0 | 0 |");
  });

  it("calls out a change that fails at apply, with what to do instead", () => {
    const after = withResource(fixtureStack(), "tencentcloud_scf_function", "functions_recorder_39B9320F", (b) => {
      b.func_type = "HTTP";
    });
    const md = review({ "recorder-dev": fixtureStack() }, { "recorder-dev": after });
    expect(md).toContain("> ⛔ **Fails at apply**: `tencentcloud_scf_function.functions_recorder_39B9320F` changes `func_type`");
    expect(md).toContain("terraform apply -replace=tencentcloud_scf_function.functions_recorder_39B9320F");
    expect(md).toContain("| `func_type` ⛔ (fails at apply) | — | `HTTP` |");
  });

  it("calls out a change the provider silently ignores: a new ffmpeg layer zip is never published", () => {
    const after = withResource(fixtureStack(), "tencentcloud_scf_layer", "ffmpeg_layer_A6DA820C", (b) => {
      b.content = { zip_file: "assets/ffmpeg_artifact_9A1B2C3D/7777aaaa8888bbbb/ffmpeg-layer-7777aaaa8888bbbb.zip" };
    });
    const md = review({ "recorder-dev": fixtureStack() }, { "recorder-dev": after });
    expect(md).toContain("> 🚫 **Ignored at apply**: `tencentcloud_scf_layer.ffmpeg_layer_A6DA820C` changes `content`, but the provider's update does nothing");
    expect(md).toContain("| `content.zip_file` 🚫 (ignored at apply) | `ffmpeg-layer@5555eeee6666ffff` | `ffmpeg-layer@7777aaaa8888bbbb` |");
    expect(md).toContain("| `recorder-dev` | 0 | 1 | 0 | 0 | 0 | 🚫 **1** |");
  });

  it("lists added and removed stacks' resources and says which stacks did not change", () => {
    const md = review({ "recorder-dev": fixtureStack(), "recorder-old": fixtureStack("old") }, { "recorder-dev": fixtureStack(), "recorder-new": fixtureStack("new") });
    expect(md).toContain("Unchanged: `recorder-dev`.");
    expect(md).toContain("## `recorder-new`: 8 to create");
    expect(md).toContain("## `recorder-old`: 8 to destroy");
  });

  it("says 'No changes.' when nothing changed", () => {
    expect(review({ "recorder-dev": fixtureStack() }, { "recorder-dev": fixtureStack() })).toContain("No changes.");
  });

  it("escapes table-breaking characters in values", () => {
    const after = withResource(fixtureStack(), "tencentcloud_scf_function", "functions_recorder_39B9320F", (b) => {
      b.description = "a | b\nc `d`";
    });
    expect(review({ "recorder-dev": fixtureStack() }, { "recorder-dev": after })).toContain("| `description` | — | `` a \\| b⏎c `d` `` |");
  });
});

describe("the Mermaid diagram", () => {
  it("draws every resource, an edge per ${…} reference, and colours changed nodes by verdict", () => {
    const [stack] = reviewStacks({ "recorder-dev": fixtureStack("dev", BUNDLE_A) }, { "recorder-dev": fixtureStack("dev", BUNDLE_B) });
    const m = mermaidDiagram(stack!);
    expect(m.startsWith("flowchart LR")).toBe(true);
    const node = (label: string) => m.split("\n").find((l) => l.includes(label))!;
    expect(node("scf_function_version<br/>functions/recorder-version")).toMatch(/:::replace$/);
    expect(node("scf_function_alias<br/>functions/recorder-alias")).toMatch(/:::update$/);
    expect(node("kms_key<br/>kms/key")).not.toMatch(/:::/);
    const id = (label: string) => node(label).trim().split("[")[0];
    // alias → version (function_version) and alias → function (function_name); function → layer and → kms key.
    expect(m).toContain(`${id("scf_function_alias<br/>")} --> ${id("scf_function_version<br/>")}`);
    expect(m).toContain(`${id("scf_function_alias<br/>")} --> ${id("~ scf_function<br/>functions/recorder\"")}`);
    expect(m).toContain(`${id("~ scf_function<br/>functions/recorder\"")} --> ${id("scf_layer<br/>")}`);
    expect(m).toContain("classDef replace");
  });
});
