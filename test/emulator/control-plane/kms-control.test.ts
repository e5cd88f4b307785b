// Drives the KMS control actions with the real kms.v20190118 client in the order tencentcloud_kms_key calls them,
// and proves the data plane obeys the state the control plane set (a disabled key cannot encrypt) and that keys,
// states and material survive a restart.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { kms } from "tencentcloud-sdk-nodejs/tencentcloud/services/kms";
import { tag } from "tencentcloud-sdk-nodejs/tencentcloud/services/tag";
import { kmsControlService } from "../../../emulator/control-plane/kms";
import { tagControlService } from "../../../emulator/control-plane/tag";
import type { Tc3Server } from "../../../emulator/tc3/service";
import { clientOptions, codeOf, harness, manualClock, REGION, type Harness } from "./services-fixture";

let h: Harness;
beforeEach(() => {
  h = harness();
});
afterEach(async () => {
  await h.close();
});

const b64 = (s: string) => Buffer.from(s).toString("base64");

async function start(clock = manualClock()): Promise<{ server: Tc3Server; k: InstanceType<typeof kms.v20190118.Client>; t: InstanceType<typeof tag.v20180813.Client> }> {
  const tags = tagControlService({ stateDir: h.stateDir });
  const server = await h.start([kmsControlService({ stateDir: h.stateDir, tags, now: clock.now }), tags]);
  return { server, k: new kms.v20190118.Client(clientOptions(server, "kms")), t: new tag.v20180813.Client(clientOptions(server, "tag")) };
}

describe("KMS control plane with the real SDK", () => {
  it("follows the provider's create sequence: CreateKey → DisableKey (is_enabled defaults to false) → EnableKeyRotation, and the disabled key refuses Encrypt", async () => {
    const { k } = await start();
    const created = await k.CreateKey({ Type: 1, Alias: "recorder-dev", Description: "TRTC recorder envelope encryption", KeyUsage: "ENCRYPT_DECRYPT" });
    expect(created).toMatchObject({ Alias: "recorder-dev", KeyState: "Enabled", KeyUsage: "ENCRYPT_DECRYPT" });
    const keyId = created.KeyId ?? "";
    expect(keyId).toMatch(/^[0-9a-f-]{36}$/);

    const enc = await k.Encrypt({ KeyId: keyId, Plaintext: b64("secret") });
    await k.DisableKey({ KeyId: keyId });
    await k.EnableKeyRotation({ KeyId: keyId });

    const meta = (await k.DescribeKey({ KeyId: keyId })).KeyMetadata;
    expect(meta).toMatchObject({ KeyId: keyId, Alias: "recorder-dev", Description: "TRTC recorder envelope encryption", KeyState: "Disabled", KeyUsage: "ENCRYPT_DECRYPT", KeyRotationEnabled: true, Origin: "TENCENT_KMS", ResourceId: `creatorUin/100000000001/${keyId}` });

    expect(await codeOf(k.Encrypt({ KeyId: keyId, Plaintext: b64("x") }))).toBe("ResourceUnavailable.CmkDisabled");
    expect(await codeOf(k.Decrypt({ CiphertextBlob: enc.CiphertextBlob ?? "" }))).toBe("ResourceUnavailable.CmkDisabled");
    expect(await codeOf(k.GenerateDataKey({ KeyId: keyId, KeySpec: "AES_256" }))).toBe("ResourceUnavailable.CmkDisabled");

    await k.EnableKey({ KeyId: keyId });
    const dec = await k.Decrypt({ CiphertextBlob: enc.CiphertextBlob ?? "" });
    expect(Buffer.from(dec.Plaintext ?? "", "base64").toString()).toBe("secret");
  });

  it("refuses a duplicate or malformed alias and an unmodelled key usage with the documented codes", async () => {
    const { k } = await start();
    await k.CreateKey({ Alias: "dup" });
    expect(await codeOf(k.CreateKey({ Alias: "dup" }))).toBe("InvalidParameterValue.AliasAlreadyExists");
    expect(await codeOf(k.CreateKey({ Alias: "-bad" }))).toBe("InvalidParameterValue.InvalidAlias");
    expect(await codeOf(k.CreateKey({ Alias: "kms-reserved" }))).toBe("InvalidParameterValue.InvalidAlias");
    expect(await codeOf(k.CreateKey({ Alias: "rsa", KeyUsage: "ASYMMETRIC_DECRYPT_RSA_2048" }))).toBe("InvalidParameterValue.InvalidKeyUsage");
    expect(await codeOf(k.DescribeKey({ KeyId: "00000000-0000-4000-8000-000000000000" }))).toBe("ResourceUnavailable.CmkNotFound");
  });

  it("updates alias and description, and round-trips tags through the tag API as the provider reads them", async () => {
    const { k, t } = await start();
    const keyId = (await k.CreateKey({ Alias: "a1" })).KeyId ?? "";
    await k.UpdateAlias({ KeyId: keyId, Alias: "a2" });
    await k.UpdateKeyDescription({ KeyId: keyId, Description: "new" });
    const meta = (await k.DescribeKey({ KeyId: keyId })).KeyMetadata;
    expect(meta).toMatchObject({ Alias: "a2", Description: "new" });

    const resource = `qcs::kms:${REGION}:uin/:key/${meta?.ResourceId}`;
    await t.ModifyResourceTags({ Resource: resource, ReplaceTags: [{ TagKey: "env", TagValue: "dev" }, { TagKey: "app", TagValue: "rec" }] });
    await t.ModifyResourceTags({ Resource: resource, DeleteTags: [{ TagKey: "app" }] });
    const read = await t.DescribeResourceTagsByResourceIds({ ServiceType: "kms", ResourcePrefix: "key", ResourceRegion: REGION, ResourceIds: [meta?.ResourceId ?? ""], Limit: 20, Offset: 0 });
    expect(read.Tags).toEqual([{ TagKey: "env", TagValue: "dev", ResourceId: meta?.ResourceId, Category: "Custom" }]);
    expect(await codeOf(t.ModifyResourceTags({ Resource: resource, ReplaceTags: [{ TagKey: "qcloud:x", TagValue: "y" }] }))).toBe("InvalidParameter.ReservedTagKey");

    // CAM is global: the provider tags and reads roles with an empty region (services/cam/resource_tc_cam_role.go).
    await t.ModifyResourceTags({ Resource: "qcs::cam::uin/:role/4611686018427397919", ReplaceTags: [{ TagKey: "app", TagValue: "rec" }] });
    const role = await t.DescribeResourceTagsByResourceIds({ ServiceType: "cam", ResourcePrefix: "role", ResourceRegion: "", ResourceIds: ["4611686018427397919"], Limit: 20, Offset: 0 });
    expect(role.Tags).toEqual([{ TagKey: "app", TagValue: "rec", ResourceId: "4611686018427397919", Category: "Custom" }]);
  });

  it("schedules deletion only for a disabled key, cancels it back to Disabled, and forgets the key after the window", async () => {
    const clock = manualClock();
    const { k } = await start(clock);
    const keyId = (await k.CreateKey({ Alias: "del" })).KeyId ?? "";
    expect(await codeOf(k.ScheduleKeyDeletion({ KeyId: keyId, PendingWindowInDays: 7 }))).toBe("ResourceUnavailable.CmkShouldBeDisabled");
    await k.DisableKey({ KeyId: keyId });
    expect(await codeOf(k.ScheduleKeyDeletion({ KeyId: keyId, PendingWindowInDays: 6 }))).toBe("InvalidParameter.InvalidPendingWindowInDays");
    await k.ScheduleKeyDeletion({ KeyId: keyId, PendingWindowInDays: 7 });
    const pending = (await k.DescribeKey({ KeyId: keyId })).KeyMetadata;
    expect(pending?.KeyState).toBe("PendingDelete");
    expect(pending?.DeletionDate).toBe(Math.floor(clock.now() / 1000) + 7 * 86400);
    expect(await codeOf(k.EnableKey({ KeyId: keyId }))).toBe("ResourceUnavailable.CmkStateNotSupport");
    expect(await codeOf(k.EnableKeyRotation({ KeyId: keyId }))).toBe("ResourceUnavailable.CmkStateNotSupport");
    expect(await codeOf(k.GenerateDataKey({ KeyId: keyId, KeySpec: "AES_128" }))).toBe("ResourceUnavailable.KeyPendingDelete");

    await k.CancelKeyDeletion({ KeyId: keyId });
    expect((await k.DescribeKey({ KeyId: keyId })).KeyMetadata?.KeyState).toBe("Disabled");
    expect(await codeOf(k.CancelKeyDeletion({ KeyId: keyId }))).toBe("ResourceUnavailable.CmkNotPendingDelete");

    await k.ScheduleKeyDeletion({ KeyId: keyId, PendingWindowInDays: 7 });
    clock.advance(7 * 86400_000);
    expect(await codeOf(k.DescribeKey({ KeyId: keyId }))).toBe("ResourceUnavailable.CmkNotFound");
  });

  it("archived keys decrypt but do not encrypt; CancelKeyArchive re-enables", async () => {
    const { k } = await start();
    const keyId = (await k.CreateKey({ Alias: "arch" })).KeyId ?? "";
    const enc = await k.Encrypt({ KeyId: keyId, Plaintext: b64("old") });
    await k.ArchiveKey({ KeyId: keyId });
    expect(await codeOf(k.Encrypt({ KeyId: keyId, Plaintext: b64("new") }))).toBe("ResourceUnavailable.CmkArchived");
    expect((await k.Decrypt({ CiphertextBlob: enc.CiphertextBlob ?? "" })).KeyId).toBe(keyId);
    await k.CancelKeyArchive({ KeyId: keyId });
    expect((await k.DescribeKey({ KeyId: keyId })).KeyMetadata?.KeyState).toBe("Enabled");
  });

  it("keeps keys, their state and their material across a restart", async () => {
    const first = await start();
    const keyId = (await first.k.CreateKey({ Alias: "persist" })).KeyId ?? "";
    const enc = await first.k.Encrypt({ KeyId: keyId, Plaintext: b64("kept") });
    await first.k.EnableKeyRotation({ KeyId: keyId });
    await first.server.close();

    const second = await start();
    const meta = (await second.k.DescribeKey({ KeyId: keyId })).KeyMetadata;
    expect(meta).toMatchObject({ Alias: "persist", KeyState: "Enabled", KeyRotationEnabled: true });
    const dec = await second.k.Decrypt({ CiphertextBlob: enc.CiphertextBlob ?? "" });
    expect(Buffer.from(dec.Plaintext ?? "", "base64").toString()).toBe("kept");
  });
});
