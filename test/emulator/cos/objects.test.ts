// Proves the COS double's single-object operations against the real cos-nodejs-sdk-v5 3.0.0.
import { Readable } from "node:stream";
import { createHash } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { CosDouble } from "../../../emulator/cos/double";
import { BUCKET, cosClient, failureOf, OTHER_BUCKET, OTHER_REGION, REGION, startFixture } from "./fixture";

let double: CosDouble | undefined;
afterEach(async () => {
  await double?.close();
  double = undefined;
});

const md5 = (b: Buffer | string) => createHash("md5").update(b).digest("hex");

describe("COS double: objects via the real SDK", () => {
  it("stores a Buffer PUT with its Content-Type and x-cos-meta-*, returns the MD5 ETag and a request id", async () => {
    const d = (double = await startFixture());
    const body = Buffer.from("hello recorder");
    const res = await cosClient(d).putObject({ Bucket: BUCKET, Region: REGION, Key: "rec/a b+c(1).txt", Body: body, ContentType: "text/plain", Headers: { "x-cos-meta-room": "1234" } });
    expect(res.statusCode).toBe(200);
    expect(res.ETag).toBe(`"${md5(body)}"`);
    expect(res.headers?.["x-cos-request-id"]).toBeTruthy();
    expect(d.getObjectDirect(BUCKET, "rec/a b+c(1).txt")).toEqual(body);
    const stat = d.statObjectDirect(BUCKET, "rec/a b+c(1).txt");
    expect(stat?.contentType).toBe("text/plain");
    expect(stat?.meta).toEqual({ "x-cos-meta-room": "1234" });
  });

  it("answers a chunked (no Content-Length) stream PUT with 411 MissingContentLength and stores nothing", async () => {
    const d = (double = await startFixture());
    const err = await failureOf(cosClient(d).putObject({ Bucket: BUCKET, Region: REGION, Key: "rec/stream.mp4", Body: Readable.from([Buffer.alloc(1000, 1), Buffer.alloc(1000, 2)]) }));
    expect(err.statusCode).toBe(411);
    expect(err.code).toBe("MissingContentLength");
    expect(d.listKeys(BUCKET)).toEqual([]);
    expect(d.requests.at(-1)).toMatchObject({ method: "PUT", operation: "PutObject", status: 411 });
  });

  it("gets an object whole and by Range (206)", async () => {
    const d = (double = await startFixture());
    d.putObjectDirect(BUCKET, "rec/file.bin", Buffer.from("0123456789"), { "Content-Type": "application/x-test" });
    const c = cosClient(d);
    const whole = await c.getObject({ Bucket: BUCKET, Region: REGION, Key: "rec/file.bin" });
    expect(whole.Body).toEqual(Buffer.from("0123456789"));
    expect(whole.headers?.["content-type"]).toBe("application/x-test");
    const part = await c.getObject({ Bucket: BUCKET, Region: REGION, Key: "rec/file.bin", Range: "bytes=2-5" });
    expect(part.statusCode).toBe(206);
    expect(part.Body).toEqual(Buffer.from("2345"));
    expect(part.headers?.["content-range"]).toBe("bytes 2-5/10");
    const tail = await c.getObject({ Bucket: BUCKET, Region: REGION, Key: "rec/file.bin", Range: "bytes=-3" });
    expect(tail.Body).toEqual(Buffer.from("789"));
    const beyond = await failureOf(c.getObject({ Bucket: BUCKET, Region: REGION, Key: "rec/file.bin", Range: "bytes=10-" }));
    expect([beyond.statusCode, beyond.code]).toEqual([416, "InvalidRange"]);
  });

  it("answers GET of a missing key with NoSuchKey and HEAD with a bodiless 404 (SDK code \"404\")", async () => {
    const d = (double = await startFixture());
    const c = cosClient(d);
    const get = await failureOf(c.getObject({ Bucket: BUCKET, Region: REGION, Key: "nope" }));
    expect([get.statusCode, get.code]).toEqual([404, "NoSuchKey"]);
    const head = await failureOf(c.headObject({ Bucket: BUCKET, Region: REGION, Key: "nope" }));
    expect([head.statusCode, head.code]).toEqual([404, "404"]);
    d.putObjectDirect(BUCKET, "yes", "abc");
    const ok = await c.headObject({ Bucket: BUCKET, Region: REGION, Key: "yes" });
    expect(ok.headers?.["content-length"]).toBe("3");
    expect(ok.ETag).toBe(`"${md5("abc")}"`);
  });

  it("deletes with 204, also for a missing key", async () => {
    const d = (double = await startFixture());
    d.putObjectDirect(BUCKET, "gone", "x");
    const c = cosClient(d);
    expect((await c.deleteObject({ Bucket: BUCKET, Region: REGION, Key: "gone" })).statusCode).toBe(204);
    expect(d.getObjectDirect(BUCKET, "gone")).toBeUndefined();
    expect((await c.deleteObject({ Bucket: BUCKET, Region: REGION, Key: "never" })).statusCode).toBe(204);
  });

  it("copies from another bucket in another region (URL-encoded source key), byte-identical, with CopyObjectResult", async () => {
    const d = (double = await startFixture());
    const body = Buffer.from("source bytes \u00fc");
    d.putObjectDirect(OTHER_BUCKET, "in/a b(1).mp4", body, { "content-type": "video/mp4", "x-cos-meta-src": "1" });
    const source = `${OTHER_BUCKET}.cos.${OTHER_REGION}.myqcloud.com/${"in/a b(1).mp4".split("/").map(encodeURIComponent).join("/")}`;
    const res = await cosClient(d).putObjectCopy({ Bucket: BUCKET, Region: REGION, Key: "out/copy.mp4", CopySource: source });
    expect(res.ETag).toBe(`"${md5(body)}"`);
    expect(d.getObjectDirect(BUCKET, "out/copy.mp4")).toEqual(body);
    expect(d.statObjectDirect(BUCKET, "out/copy.mp4")?.meta).toEqual({ "x-cos-meta-src": "1" });
    const missing = await failureOf(cosClient(d).putObjectCopy({ Bucket: BUCKET, Region: REGION, Key: "x", CopySource: `${OTHER_BUCKET}.cos.${OTHER_REGION}.myqcloud.com/none` }));
    expect([missing.statusCode, missing.code]).toEqual([404, "NoSuchKey"]);
  });

  it("refuses to overwrite with x-cos-forbid-overwrite: true (409 FileAlreadyExists), but writes a new key", async () => {
    const d = (double = await startFixture());
    d.putObjectDirect(BUCKET, "final.mp4", "original");
    const c = cosClient(d);
    const err = await failureOf(c.putObject({ Bucket: BUCKET, Region: REGION, Key: "final.mp4", Body: Buffer.from("new"), Headers: { "x-cos-forbid-overwrite": "true" } }));
    expect([err.statusCode, err.code]).toEqual([409, "FileAlreadyExists"]);
    expect(d.getObjectDirect(BUCKET, "final.mp4")?.toString()).toBe("original");
    await c.putObject({ Bucket: BUCKET, Region: REGION, Key: "fresh.mp4", Body: Buffer.from("new"), Headers: { "x-cos-forbid-overwrite": "true" } });
    expect(d.getObjectDirect(BUCKET, "fresh.mp4")?.toString()).toBe("new");
  });

  it("rejects a body whose Content-MD5 does not match (400 BadDigest)", async () => {
    const d = (double = await startFixture());
    const err = await failureOf(cosClient(d).putObject({ Bucket: BUCKET, Region: REGION, Key: "k", Body: Buffer.from("abc"), Headers: { "Content-MD5": Buffer.alloc(16).toString("base64") } }));
    expect([err.statusCode, err.code]).toEqual([400, "BadDigest"]);
    expect(d.listKeys(BUCKET)).toEqual([]);
  });

  it("lists a bucket with prefix, delimiter and marker/max-keys paging", async () => {
    const d = (double = await startFixture());
    for (const k of ["rec/1/a.mp4", "rec/1/b.mp4", "rec/2/a.mp4", "rec/top.json", "other/x"]) d.putObjectDirect(BUCKET, k, k);
    const c = cosClient(d);
    const all = await c.getBucket({ Bucket: BUCKET, Region: REGION, Prefix: "rec/" });
    expect(all.Contents.map((o) => o.Key)).toEqual(["rec/1/a.mp4", "rec/1/b.mp4", "rec/2/a.mp4", "rec/top.json"]);
    expect(all.Contents[0]).toMatchObject({ Size: "11", ETag: `"${md5("rec/1/a.mp4")}"` });
    expect(all.Contents[0].LastModified).toMatch(/^\d{4}-\d\d-\d\dT/);
    const page1 = await c.getBucket({ Bucket: BUCKET, Region: REGION, Prefix: "rec/", MaxKeys: 2 });
    expect(page1.IsTruncated).toBe("true");
    expect(page1.Contents.map((o) => o.Key)).toEqual(["rec/1/a.mp4", "rec/1/b.mp4"]);
    const page2 = await c.getBucket({ Bucket: BUCKET, Region: REGION, Prefix: "rec/", Marker: page1.NextMarker, MaxKeys: 2 });
    expect(page2.Contents.map((o) => o.Key)).toEqual(["rec/2/a.mp4", "rec/top.json"]);
    expect(page2.IsTruncated).toBe("false");
    const grouped = await c.getBucket({ Bucket: BUCKET, Region: REGION, Prefix: "rec/", Delimiter: "/" });
    expect(grouped.CommonPrefixes.map((p) => p.Prefix)).toEqual(["rec/1/", "rec/2/"]);
    expect(grouped.Contents.map((o) => o.Key)).toEqual(["rec/top.json"]);
  });

  it("answers a bucket it does not hold, or one addressed in the wrong region, with 404 NoSuchBucket", async () => {
    const d = (double = await startFixture());
    const c = cosClient(d);
    const missing = await failureOf(c.putObject({ Bucket: "nobody-1250000000", Region: REGION, Key: "k", Body: Buffer.from("x") }));
    expect([missing.statusCode, missing.code]).toEqual([404, "NoSuchBucket"]);
    const wrongRegion = await failureOf(c.getObject({ Bucket: BUCKET, Region: OTHER_REGION, Key: "k" }));
    expect(wrongRegion.code).toBe("NoSuchBucket");
  });

  it("accepts the SDK's Proxy option (absolute-form request targets)", async () => {
    const d = (double = await startFixture());
    const c = cosClient(d, { Ip: undefined, Proxy: `http://${d.hostPort}` });
    await c.putObject({ Bucket: BUCKET, Region: REGION, Key: "via/proxy", Body: Buffer.from("p") });
    expect(d.getObjectDirect(BUCKET, "via/proxy")?.toString()).toBe("p");
    expect(d.requests.at(-1)?.host).toBe(`${BUCKET}.cos.${REGION}.myqcloud.com`);
  });
});
