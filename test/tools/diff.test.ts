import { describe, expect, it } from "vitest";
import { diffStacks, flatten } from "../../tools/review/diff";
import { normalizeStack } from "../../tools/review/normalize";
import type { TfJson } from "../../tools/review/model";
import { BUNDLE_A, BUNDLE_B, fixtureStack, withResource } from "./fixtures/stacks";

const diff = (before: TfJson | undefined, after: TfJson | undefined, name = "recorder-dev") =>
  diffStacks(name, before && normalizeStack(name, before), after && normalizeStack(name, after));

describe("diff of two synthesized stacks", () => {
  it("finds nothing when only cdktf's // metadata differs", () => {
    const after = structuredClone(fixtureStack());
    after["//"] = { metadata: { version: "0.22.0" } };
    (after.resource!.tencentcloud_kms_key!.kms_key_28C05A0F!["//"] as Record<string, unknown>) = { metadata: { path: "elsewhere" } };
    const d = diff(fixtureStack(), after);
    expect(d.items).toEqual([]);
    expect(d.outputs).toEqual([]);
    expect(d.settings).toEqual([]);
  });

  it("reports an added resource with its attributes", () => {
    const after = structuredClone(fixtureStack());
    after.resource!.tencentcloud_cos_bucket = { buckets_state_27EEBA37: { bucket: "trtc-rec-dev-state-1250000000", acl: "private" } };
    const d = diff(fixtureStack(), after);
    expect(d.items).toEqual([
      expect.objectContaining({
        address: "tencentcloud_cos_bucket.buckets_state_27EEBA37",
        action: "create",
        changes: [
          { path: "acl", before: undefined, after: "private" },
          { path: "bucket", before: undefined, after: "trtc-rec-dev-state-1250000000" },
        ],
      }),
    ]);
  });

  it("reports a removed resource", () => {
    const after = structuredClone(fixtureStack());
    delete after.resource!.tencentcloud_cls_topic;
    const d = diff(fixtureStack(), after);
    expect(d.items.map((i) => [i.address, i.action])).toEqual([["tencentcloud_cls_topic.observability_topic_910E3B39", "delete"]]);
  });

  it("reports an in-place change attribute by attribute, nested blocks and maps as paths", () => {
    const after = withResource(fixtureStack(), "tencentcloud_scf_function", "functions_recorder_39B9320F", (b) => {
      b.mem_size = 3072;
      (b.environment as Record<string, string>).RECORDER_INGRESS = "apigw";
      (b.layers as Array<Record<string, unknown>>)[0]!.layer_name = "other-ffmpeg";
    });
    const d = diff(fixtureStack(), after);
    expect(d.items).toHaveLength(1);
    expect(d.items[0]!.action).toBe("update");
    expect(d.items[0]!.label).toBe("functions/recorder");
    expect(d.items[0]!.changes).toEqual([
      { path: "environment.RECORDER_INGRESS", before: undefined, after: "apigw" },
      { path: "layers[0].layer_name", before: "trtc-rec-dev-ffmpeg", after: "other-ffmpeg" },
      { path: "mem_size", before: 2048, after: 3072 },
    ]);
  });

  it("shows an asset path as the artifact it carries: recorder-bundle@<hash>", () => {
    const d = diff(fixtureStack("dev", BUNDLE_A), fixtureStack("dev", BUNDLE_B));
    const fn = d.items.find((i) => i.type === "tencentcloud_scf_function")!;
    expect(fn.changes).toEqual([{ path: "zip_file", before: `recorder-bundle@${BUNDLE_A}`, after: `recorder-bundle@${BUNDLE_B}` }]);
  });

  it("compares a JSON string (a CAM policy document) inside, one row per changed leaf", () => {
    const after = withResource(fixtureStack(), "tencentcloud_cam_policy", "role_recorder-policy_09B05B0A", (b) => {
      b.document = JSON.stringify({ version: "2.0", statement: [{ effect: "allow", action: ["name/trtc:CreateCloudRecording", "name/trtc:DeleteCloudRecording"], resource: ["*"] }] });
    });
    const d = diff(fixtureStack(), after);
    expect(d.items[0]!.changes).toEqual([{ path: "document⟨json⟩.statement[0].action[1]", before: undefined, after: "name/trtc:DeleteCloudRecording" }]);
  });

  it("reports output and backend changes separately from resources", () => {
    const after = structuredClone(fixtureStack());
    after.output!.recorder_function = { value: "renamed" };
    (after.terraform!.backend as Record<string, Record<string, string>>).cos!.prefix = "moved/dev";
    const d = diff(fixtureStack(), after);
    expect(d.items).toEqual([]);
    expect(d.outputs).toEqual([{ path: "recorder_function.value", before: "trtc-rec-dev", after: "renamed" }]);
    expect(d.settings).toEqual([{ path: "terraform.backend.cos.prefix", before: "trtc-recorder/dev", after: "moved/dev" }]);
  });

  it("treats a stack that exists on one side only as all created", () => {
    const d = diff(undefined, fixtureStack());
    expect(d.items.every((i) => i.action === "create")).toBe(true);
    expect(d.items.length).toBe(8);
  });

  it("flattens empty blocks as leaves so 'became empty' is visible", () => {
    expect([...flatten({ a: [], b: {}, c: [1] }).entries()]).toEqual([
      ["a", []],
      ["b", {}],
      ["c[0]", 1],
    ]);
  });
});
