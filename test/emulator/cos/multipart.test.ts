// Proves multipart upload in the COS double against the real SDK: its uploadFile/sliceCopyFile flows end
// byte-identical, and the hand-driven API enforces COS's ordering, ETag and minimum-size rules.
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { CosDouble } from "../../../emulator/cos/double";
import { BUCKET, cosClient, failureOf, OTHER_BUCKET, OTHER_REGION, REGION, startFixture } from "./fixture";

const MiB = 1024 * 1024;
let double: CosDouble | undefined;
let dir: string | undefined;
afterEach(async () => {
  await double?.close();
  double = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

const md5 = (b: Buffer) => createHash("md5").update(b).digest();

async function tempFile(bytes: Buffer): Promise<string> {
  dir = await mkdtemp(join(tmpdir(), "cos-double-"));
  const path = join(dir, "upload.bin");
  await writeFile(path, bytes);
  return path;
}

describe("COS double: SDK multipart flows", () => {
  it("uploadFile above SliceSize goes multipart (list, init, parts, complete) and ends byte-identical with a -N ETag", async () => {
    const d = (double = await startFixture());
    const data = randomBytes(3 * MiB + 12345);
    const FilePath = await tempFile(data);
    const res = await cosClient(d).uploadFile({ Bucket: BUCKET, Region: REGION, Key: "rec/big.mp4", FilePath, SliceSize: MiB, ChunkSize: MiB });
    expect(d.getObjectDirect(BUCKET, "rec/big.mp4")?.equals(data)).toBe(true);
    const partMd5s = [0, 1, 2, 3].map((i) => md5(data.subarray(i * MiB, (i + 1) * MiB)));
    const expectedEtag = `"${createHash("md5").update(Buffer.concat(partMd5s)).digest("hex")}-4"`;
    expect(res.ETag).toBe(expectedEtag);
    expect(d.statObjectDirect(BUCKET, "rec/big.mp4")?.etag).toBe(expectedEtag);
    const ops = d.requests.map((r) => r.operation);
    expect(ops[0]).toBe("ListMultipartUploads");
    expect(ops[1]).toBe("InitiateMultipartUpload");
    expect(ops.filter((o) => o === "UploadPart")).toHaveLength(4);
    expect(ops.at(-1)).toBe("CompleteMultipartUpload");
    expect(d.requests.every((r) => r.status === 200)).toBe(true);
    expect(d.listUploadsDirect(BUCKET)).toEqual([]);
  });

  it("sliceCopyFile above CopySliceSize copies with UploadPartCopy ranges across regions, byte-identical", async () => {
    const d = (double = await startFixture());
    const data = randomBytes(2 * MiB + 777);
    d.putObjectDirect(OTHER_BUCKET, "src/in.mp4", data);
    await cosClient(d, { CopySliceSize: MiB, CopyChunkSize: MiB }).sliceCopyFile({
      Bucket: BUCKET,
      Region: REGION,
      Key: "dst/out.mp4",
      CopySource: `${OTHER_BUCKET}.cos.${OTHER_REGION}.myqcloud.com/src/in.mp4`,
    });
    expect(d.getObjectDirect(BUCKET, "dst/out.mp4")?.equals(data)).toBe(true);
    expect(d.requests.filter((r) => r.operation === "UploadPartCopy")).toHaveLength(3);
  });
});

describe("COS double: multipart API by hand", () => {
  it("init, upload, list parts, complete; then init + abort leaves nothing behind", async () => {
    const d = (double = await startFixture());
    const c = cosClient(d);
    const p1 = randomBytes(MiB);
    const p2 = randomBytes(100);
    const init = await c.multipartInit({ Bucket: BUCKET, Region: REGION, Key: "m/obj", ContentType: "video/mp4" });
    expect(init.UploadId).toMatch(/^\d{10}[0-9a-f]{64}$/);
    const u1 = await c.multipartUpload({ Bucket: BUCKET, Region: REGION, Key: "m/obj", UploadId: init.UploadId, PartNumber: 1, Body: p1 });
    const u2 = await c.multipartUpload({ Bucket: BUCKET, Region: REGION, Key: "m/obj", UploadId: init.UploadId, PartNumber: 2, Body: p2 });
    expect(u1.ETag).toBe(`"${md5(p1).toString("hex")}"`);

    const listing = await c.multipartListPart({ Bucket: BUCKET, Region: REGION, Key: "m/obj", UploadId: init.UploadId });
    expect(listing.Part.map((p) => [p.PartNumber, p.ETag, p.Size])).toEqual([
      ["1", u1.ETag, String(MiB)],
      ["2", u2.ETag, "100"],
    ]);
    const uploads = await c.multipartList({ Bucket: BUCKET, Region: REGION, Prefix: "m/", Delimiter: "" });
    expect(uploads.Upload.map((u) => [u.Key, u.UploadId])).toEqual([["m/obj", init.UploadId]]);

    await c.multipartComplete({ Bucket: BUCKET, Region: REGION, Key: "m/obj", UploadId: init.UploadId, Parts: [{ PartNumber: 1, ETag: u1.ETag }, { PartNumber: 2, ETag: u2.ETag }] });
    expect(d.getObjectDirect(BUCKET, "m/obj")?.equals(Buffer.concat([p1, p2]))).toBe(true);
    expect(d.statObjectDirect(BUCKET, "m/obj")?.contentType).toBe("video/mp4");

    const again = await c.multipartInit({ Bucket: BUCKET, Region: REGION, Key: "m/aborted" });
    await c.multipartUpload({ Bucket: BUCKET, Region: REGION, Key: "m/aborted", UploadId: again.UploadId, PartNumber: 1, Body: p2 });
    const abort = await c.multipartAbort({ Bucket: BUCKET, Region: REGION, Key: "m/aborted", UploadId: again.UploadId });
    expect(abort.statusCode).toBe(204);
    expect(d.listUploadsDirect(BUCKET)).toEqual([]);
    const after = await failureOf(c.multipartListPart({ Bucket: BUCKET, Region: REGION, Key: "m/aborted", UploadId: again.UploadId }));
    expect([after.statusCode, after.code]).toEqual([404, "NoSuchUpload"]);
    expect(d.getObjectDirect(BUCKET, "m/aborted")).toBeUndefined();
  });

  it("rejects a non-last part under 1 MiB (EntityTooSmall), a wrong ETag (InvalidPart) and descending order (InvalidPartOrder)", async () => {
    const d = (double = await startFixture());
    const c = cosClient(d);
    const { UploadId } = await c.multipartInit({ Bucket: BUCKET, Region: REGION, Key: "bad" });
    const small = await c.multipartUpload({ Bucket: BUCKET, Region: REGION, Key: "bad", UploadId, PartNumber: 1, Body: randomBytes(MiB - 1) });
    const last = await c.multipartUpload({ Bucket: BUCKET, Region: REGION, Key: "bad", UploadId, PartNumber: 2, Body: randomBytes(10) });
    const complete = (Parts: Array<{ PartNumber: number; ETag: string }>) => failureOf(c.multipartComplete({ Bucket: BUCKET, Region: REGION, Key: "bad", UploadId, Parts }));
    expect((await complete([{ PartNumber: 1, ETag: small.ETag }, { PartNumber: 2, ETag: last.ETag }])).code).toBe("EntityTooSmall");
    expect((await complete([{ PartNumber: 1, ETag: `"${"0".repeat(32)}"` }, { PartNumber: 2, ETag: last.ETag }])).code).toBe("InvalidPart");
    expect((await complete([{ PartNumber: 2, ETag: last.ETag }, { PartNumber: 1, ETag: small.ETag }])).code).toBe("InvalidPartOrder");
    expect((await complete([{ PartNumber: 3, ETag: last.ETag }])).code).toBe("InvalidPart");
    // A single small part is fine: the size floor applies to every part but the last.
    await c.multipartComplete({ Bucket: BUCKET, Region: REGION, Key: "bad", UploadId, Parts: [{ PartNumber: 2, ETag: last.ETag }] });
    expect(d.getObjectDirect(BUCKET, "bad")).toHaveLength(10);
  });

  it("rejects an unknown upload id and an out-of-range part number", async () => {
    const d = (double = await startFixture());
    const c = cosClient(d);
    const unknown = await failureOf(c.multipartUpload({ Bucket: BUCKET, Region: REGION, Key: "k", UploadId: "nope", PartNumber: 1, Body: Buffer.from("x") }));
    expect([unknown.statusCode, unknown.code]).toEqual([404, "NoSuchUpload"]);
    const { UploadId } = await c.multipartInit({ Bucket: BUCKET, Region: REGION, Key: "k" });
    const high = await failureOf(c.multipartUpload({ Bucket: BUCKET, Region: REGION, Key: "k", UploadId, PartNumber: 10001, Body: Buffer.from("x") }));
    expect([high.statusCode, high.code]).toEqual([400, "InvalidArgument"]);
    const otherKey = await failureOf(c.multipartUpload({ Bucket: BUCKET, Region: REGION, Key: "other", UploadId, PartNumber: 1, Body: Buffer.from("x") }));
    expect(otherKey.code).toBe("NoSuchUpload");
  });

  it("honours x-cos-forbid-overwrite given at initiation when completing onto an existing key", async () => {
    const d = (double = await startFixture());
    d.putObjectDirect(BUCKET, "taken", "old");
    const c = cosClient(d);
    const { UploadId } = await c.multipartInit({ Bucket: BUCKET, Region: REGION, Key: "taken", Headers: { "x-cos-forbid-overwrite": "true" } });
    const p = await c.multipartUpload({ Bucket: BUCKET, Region: REGION, Key: "taken", UploadId, PartNumber: 1, Body: Buffer.from("new") });
    const err = await failureOf(c.multipartComplete({ Bucket: BUCKET, Region: REGION, Key: "taken", UploadId, Parts: [{ PartNumber: 1, ETag: p.ETag }] }));
    expect([err.statusCode, err.code]).toEqual([409, "FileAlreadyExists"]);
    expect(d.getObjectDirect(BUCKET, "taken")?.toString()).toBe("old");
  });
});
