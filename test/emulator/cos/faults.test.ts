// Proves fault injection in the COS double drives the real SDK's retry paths: an injected 500 or a reset on one
// UploadPart is retried and the object still ends byte-identical; a persistent fault surfaces as the SDK's error.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { CosDouble } from "../../../emulator/cos/double";
import { BUCKET, cosClient, failureOf, REGION, startFixture } from "./fixture";

const MiB = 1024 * 1024;
let double: CosDouble | undefined;
let dir: string | undefined;
afterEach(async () => {
  await double?.close();
  double = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

async function tempFile(bytes: Buffer): Promise<string> {
  dir = await mkdtemp(join(tmpdir(), "cos-double-faults-"));
  const path = join(dir, "upload.bin");
  await writeFile(path, bytes);
  return path;
}

describe("COS double faults with the real SDK", () => {
  it("a 500 on one UploadPart is retried by the SDK and the object ends byte-identical", async () => {
    const d = (double = await startFixture());
    d.faults.add({ match: (r) => r.action === "UploadPart" && r.query.partNumber === "2", times: 1, fault: { kind: "status", status: 500 } });
    const data = randomBytes(3 * MiB);
    await cosClient(d).uploadFile({ Bucket: BUCKET, Region: REGION, Key: "f/500.mp4", FilePath: await tempFile(data), SliceSize: MiB, ChunkSize: MiB });
    expect(d.getObjectDirect(BUCKET, "f/500.mp4")?.equals(data)).toBe(true);
    expect(d.faults.applied).toHaveLength(1);
    const part2 = d.requests.filter((r) => r.operation === "UploadPart" && r.query.partNumber === "2").map((r) => r.status);
    expect(part2).toEqual([500, 200]);
  });

  it("a connection reset on one UploadPart is retried and the object ends byte-identical", async () => {
    const d = (double = await startFixture());
    d.faults.add({ match: "UploadPart", times: 1, fault: { kind: "reset" } });
    const data = randomBytes(2 * MiB + 5);
    await cosClient(d).uploadFile({ Bucket: BUCKET, Region: REGION, Key: "f/reset.mp4", FilePath: await tempFile(data), SliceSize: MiB, ChunkSize: MiB });
    expect(d.getObjectDirect(BUCKET, "f/reset.mp4")?.equals(data)).toBe(true);
    expect(d.faults.applied.map((a) => a.info.action)).toEqual(["UploadPart"]);
    expect(d.requests.filter((r) => r.operation === "UploadPart").map((r) => r.status)).toContain(0);
  });

  it("a 503 on a Buffer PutObject is retried (4 attempts at most) and succeeds on the next", async () => {
    const d = (double = await startFixture());
    d.faults.add({ match: "PUT /f/", times: 3, fault: { kind: "status", status: 503, code: "SlowDown" } });
    await cosClient(d).putObject({ Bucket: BUCKET, Region: REGION, Key: "f/put", Body: Buffer.from("after retries") });
    expect(d.getObjectDirect(BUCKET, "f/put")?.toString()).toBe("after retries");
    expect(d.requests.map((r) => r.status)).toEqual([503, 503, 503, 200]);
  });

  it("a persistent 500 surfaces as the SDK's InternalError after its retries", async () => {
    const d = (double = await startFixture());
    d.faults.add({ match: "PutObject", times: Infinity, fault: { kind: "status", status: 500 } });
    const err = await failureOf(cosClient(d).putObject({ Bucket: BUCKET, Region: REGION, Key: "f/never", Body: Buffer.from("x") }));
    expect([err.statusCode, err.code]).toEqual([500, "InternalError"]);
    expect(d.requests).toHaveLength(4);
    expect(d.listKeys(BUCKET)).toEqual([]);
  });
});
