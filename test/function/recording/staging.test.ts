import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createMasker } from "../../../function/log/mask";
import { decideStaging, openCallerKeys, sealCallerKeys, stagingPrefix } from "../../../function/recording/staging";
import { chooseWorkDir } from "../../../function/recording/work-dir";
import { createRuntimeSecrets, writeRuntimeSecret } from "../../../function/secrets/runtime-secrets";
import type { RecordRequest } from "../../../function/contract/request";
import { fakeKms } from "../fakes/fake-kms";
import { memoryStore } from "../fakes/memory-store";

const request: RecordRequest = {
  sdkAppId: 1,
  room: { kind: "int", roomId: 5 },
  userId: "rec",
  userSig: "sig",
  cos: { region: "ap-guangzhou", bucket: "caller-1250000000", path: "class/2026" },
  mode: "10",
  isReserve: true,
};

describe("staging decision", () => {
  it("puts staging below the caller's Path when TRTC accepts its segments, else at the bucket root", () => {
    expect(stagingPrefix("class/2026", "rid")).toEqual(["class", "2026", "recorder-staging", "rid"]);
    expect(stagingPrefix("", "rid")).toEqual(["recorder-staging", "rid"]);
    expect(stagingPrefix("my recordings/x.y", "rid")).toEqual(["recorder-staging", "rid"]);
  });

  it("lets TRTC write into the caller's bucket with the caller's keys", async () => {
    const secrets = createRuntimeSecrets({ store: memoryStore(), kms: fakeKms(), prefix: "secrets/", masker: createMasker() });
    const d = await decideStaging({ ...request, cos: { ...request.cos, secretId: "AKIDcaller", secretKey: "caller-sk" } }, "rid", { secrets, staging: { bucket: "stage-1", region: "ap-guangzhou" } });
    expect(d).toEqual({ ok: true, plan: { owner: "caller", storage: { bucket: "caller-1250000000", region: "ap-guangzhou", fileNamePrefix: ["class", "2026", "recorder-staging", "rid"], accessKey: "AKIDcaller", secretKey: "caller-sk" } } });
  });

  it("uses the deployment's staging bucket and the operator's sub-account key without caller keys", async () => {
    const store = memoryStore();
    const kms = fakeKms();
    await writeRuntimeSecret(store, kms, "k", "secrets/", "trtc-staging-cos-key", JSON.stringify({ SecretId: "AKIDstage", SecretKey: "stage-sk" }));
    const secrets = createRuntimeSecrets({ store, kms, prefix: "secrets/", masker: createMasker() });
    const d = await decideStaging(request, "rid", { secrets, staging: { bucket: "stage-1250000000", region: "ap-shanghai" } });
    expect(d).toEqual({ ok: true, plan: { owner: "deployment", storage: { bucket: "stage-1250000000", region: "ap-shanghai", fileNamePrefix: ["recorder-staging", "rid"], accessKey: "AKIDstage", secretKey: "stage-sk" } } });
  });

  it("explains what is missing when neither path is available", async () => {
    const secrets = createRuntimeSecrets({ store: memoryStore(), kms: fakeKms(), prefix: "secrets/", masker: createMasker() });
    const noBucket = await decideStaging(request, "rid", { secrets });
    expect(noBucket.ok || noBucket.detail).toContain("RECORDER_STAGING_BUCKET");
    const noKey = await decideStaging(request, "rid", { secrets, staging: { bucket: "s-1", region: "ap-guangzhou" } });
    expect(noKey.ok || noKey.detail).toContain("trtc-staging-cos-key");
  });

  it("keeps the caller's keys only sealed, and opens them for the same recording only", async () => {
    const store = memoryStore();
    const kms = fakeKms();
    await sealCallerKeys(store, kms, "k", "rid", "AKIDcaller", "caller-secret-key");
    const stored = [...store.objects.values()].map((b) => b.toString()).join("");
    expect(stored).not.toContain("caller-secret-key");
    expect(stored).not.toContain("AKIDcaller");
    expect(await openCallerKeys(store, kms, "rid")).toEqual({ secretId: "AKIDcaller", secretKey: "caller-secret-key" });
    store.objects.set("sealed/other/cos-keys.json", store.objects.get("sealed/rid/cos-keys.json") as Buffer);
    await expect(openCallerKeys(store, kms, "other")).rejects.toThrow();
  });
});

describe("work dir", () => {
  it("prefers the first writable root with enough space and creates the recording's folder", async () => {
    const root = await mkdtemp(join(tmpdir(), "work-"));
    // A path below a regular file can never become a directory (ENOTDIR), whoever runs the test.
    const blocked = join(root, "a-file");
    await writeFile(blocked, "x");
    try {
      const choice = await chooseWorkDir([join(blocked, "work"), root], 1, "rid");
      expect(choice.root).toBe(root);
      expect(choice.dir).toBe(join(root, "rid"));
      expect((await stat(choice.dir)).isDirectory()).toBe(true);
      expect(choice.freeBytes).toBeGreaterThan(0);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it("falls back to the roomiest writable root when none has the minimum", async () => {
    const a = await mkdtemp(join(tmpdir(), "work-a-"));
    try {
      const choice = await chooseWorkDir([a], Number.MAX_SAFE_INTEGER, "rid");
      expect(choice.root).toBe(a);
      await writeFile(join(a, "f"), "x");
      await expect(chooseWorkDir([join(a, "f", "work")], 1, "rid")).rejects.toThrow(/no writable work directory/);
    } finally {
      await rm(a, { recursive: true, force: true });
    }
  });
});
