// The publish step against the signature-checking COS emulator, with the real cos-nodejs-sdk-v5: content-addressed
// upload verified by size and ETag, idempotent repeats, verify-only promotion, and refusals that say what to do.
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CosDouble } from "../../emulator/cos/double";
import type { ArtifactRef } from "../../infra/artifacts/artifact-store";
import { publishArtifact, SHA256_META } from "../../tools/publish/publish";
import { BUCKET, REGION, cosClient, startFixture } from "../emulator/cos/fixture";

const dir = mkdtempSync(join(tmpdir(), "publish-"));
function artifact(bytes: Buffer): ArtifactRef {
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const path = join(dir, `${sha256}.zip`);
  writeFileSync(path, bytes);
  return { kind: "recorder-bundle", hash: sha256.slice(0, 16), sha256, path, size: bytes.length, sourceCommit: "unknown" };
}

describe("publishing artifacts to the artifact bucket", () => {
  let cos: CosDouble;
  const bucket = { bucket: BUCKET, region: REGION };
  beforeAll(async () => {
    cos = await startFixture();
  });
  afterAll(async () => {
    await cos.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("uploads <kind>/<sha256>.zip once, verified, and leaves it alone the second time", async () => {
    const ref = artifact(Buffer.from("zip bytes of one bundle"));
    const client = cosClient(cos);
    expect(await publishArtifact(client, bucket, ref, { upload: true })).toBe("uploaded");
    const head = await client.headObject({ Bucket: BUCKET, Region: REGION, Key: `recorder-bundle/${ref.sha256}.zip` });
    expect((head.headers as Record<string, string>)[SHA256_META]).toBe(ref.sha256);
    const puts = () => cos.requests.filter((r) => r.method === "PUT").length;
    const before = puts();
    expect(await publishArtifact(client, bucket, ref, { upload: true })).toBe("already-published");
    expect(puts()).toBe(before);
  });

  it("verifies only, for a promoted pin: present is fine, absent is an error naming what to do", async () => {
    const client = cosClient(cos);
    const published = artifact(Buffer.from("published by dev"));
    await publishArtifact(client, bucket, published, { upload: true });
    expect(await publishArtifact(client, bucket, { ...published, path: undefined }, { upload: false })).toBe("already-published");
    const missing = artifact(Buffer.from("never published"));
    await expect(publishArtifact(client, bucket, missing, { upload: false })).rejects.toThrow(/is not in rec-1250000000 .*promotion never uploads/);
  });

  it("refuses an object under the same content address that holds other bytes, and never overwrites it", async () => {
    const client = cosClient(cos);
    const ref = artifact(Buffer.from("the real bytes"));
    await client.putObject({ Bucket: BUCKET, Region: REGION, Key: `recorder-bundle/${ref.sha256}.zip`, Body: Buffer.from("tampered") });
    await expect(publishArtifact(client, bucket, ref, { upload: true })).rejects.toThrow(/holds other bytes .*a content address must never change/);
  });

  it("names a missing bucket and a zip that changed since it was built", async () => {
    const client = cosClient(cos);
    const ref = artifact(Buffer.from("some bytes"));
    await expect(publishArtifact(client, { bucket: "nope-1250000000", region: REGION }, ref, { upload: true })).rejects.toThrow(/artifact bucket nope-1250000000 \(ap-guangzhou\) does not exist/);
    writeFileSync(ref.path!, "changed after the build");
    await expect(publishArtifact(client, bucket, ref, { upload: true })).rejects.toThrow(/is not recorder-bundle .* any more/);
  });
});
