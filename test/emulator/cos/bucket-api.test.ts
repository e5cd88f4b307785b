// The COS bucket APIs with the real cos-nodejs-sdk-v5: create/head/delete, ACL, lifecycle, CORS, tagging and the
// "not configured" answers the SDK itself recognises (it turns NoSuchCORSConfiguration / NoSuchLifecycleConfiguration
// / NoSuchTagSet into empty results, sdk/base.js), plus persistence of buckets and their configuration.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startCosDouble, type CosDouble } from "../../../emulator/cos/double";
import { cosClient, failureOf, KEY, REGION } from "./fixture";

const APPID = "1250000000";
const NEW = `deploy-state-${APPID}`;

let doubles: CosDouble[] = [];
let dirs: string[] = [];
afterEach(async () => {
  await Promise.all(doubles.map((d) => d.close()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  doubles = [];
  dirs = [];
});

async function start(stateDir?: string): Promise<CosDouble> {
  const d = await startCosDouble({ credentials: [KEY], stateDir, appId: APPID });
  doubles.push(d);
  return d;
}

describe("COS bucket APIs with the real cos-nodejs-sdk-v5", () => {
  it("creates a bucket, reports it on HEAD and GET location, refuses a second create, and deletes it only when empty", async () => {
    const d = await start();
    const cos = cosClient(d);
    await cos.putBucket({ Bucket: NEW, Region: REGION, ACL: "private" });
    expect((await cos.headBucket({ Bucket: NEW, Region: REGION })).statusCode).toBe(200);
    expect((await cos.getBucketLocation({ Bucket: NEW, Region: REGION })).LocationConstraint).toBe(REGION);
    expect((await failureOf(cos.putBucket({ Bucket: NEW, Region: REGION }))).code).toBe("BucketAlreadyExists");

    await cos.putObject({ Bucket: NEW, Region: REGION, Key: "a.txt", Body: "x" });
    const notEmpty = await failureOf(cos.deleteBucket({ Bucket: NEW, Region: REGION }));
    expect(notEmpty).toMatchObject({ statusCode: 409, code: "BucketNotEmpty" });
    await cos.deleteObject({ Bucket: NEW, Region: REGION, Key: "a.txt" });
    await cos.deleteBucket({ Bucket: NEW, Region: REGION });
    expect((await failureOf(cos.headBucket({ Bucket: NEW, Region: REGION }))).statusCode).toBe(404);
  });

  it("refuses bucket names without a 10-digit APPID, with another account's APPID, and unknown canned ACLs", async () => {
    const d = await start();
    const cos = cosClient(d);
    expect(await failureOf(cos.putBucket({ Bucket: "noappid-12345", Region: REGION }))).toMatchObject({ statusCode: 400, code: "InvalidBucketName" });
    expect(await failureOf(cos.putBucket({ Bucket: `-bad-${APPID}`, Region: REGION }))).toMatchObject({ statusCode: 400, code: "InvalidBucketName" });
    expect(await failureOf(cos.putBucket({ Bucket: "other-1300000000", Region: REGION }))).toMatchObject({ statusCode: 403, code: "AccessDenied" });
    expect(await failureOf(cos.putBucket({ Bucket: NEW, Region: REGION, ACL: "authenticated-read" as "private" }))).toMatchObject({ statusCode: 400, code: "InvalidArgument" });
  });

  it("answers ACLs as grants the provider maps back to the canned ACL", async () => {
    const d = await start();
    const cos = cosClient(d);
    await cos.putBucket({ Bucket: NEW, Region: REGION });
    const priv = await cos.getBucketAcl({ Bucket: NEW, Region: REGION });
    expect(priv.ACL).toBe("private");
    expect(priv.Owner.ID).toBe(`qcs::cam::uin/${APPID}:uin/${APPID}`);
    await cos.putBucketAcl({ Bucket: NEW, Region: REGION, ACL: "public-read" });
    const pub = await cos.getBucketAcl({ Bucket: NEW, Region: REGION });
    expect(pub.ACL).toBe("public-read");
    expect(pub.Grants).toEqual(
      expect.arrayContaining([expect.objectContaining({ Permission: "READ", Grantee: expect.objectContaining({ URI: "http://cam.qcloud.com/groups/global/AllUsers" }) })]),
    );
  });

  it("stores lifecycle rules and answers them back; an absent configuration is the SDK's empty result", async () => {
    const d = await start();
    const cos = cosClient(d);
    await cos.putBucket({ Bucket: NEW, Region: REGION });
    expect((await cos.getBucketLifecycle({ Bucket: NEW, Region: REGION })).Rules).toEqual([]);
    await cos.putBucketLifecycle({
      Bucket: NEW,
      Region: REGION,
      Rules: [{ ID: "staging", Status: "Enabled", Filter: { Prefix: "" }, Expiration: { Days: 30 }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } }],
    });
    const rules = (await cos.getBucketLifecycle({ Bucket: NEW, Region: REGION })).Rules;
    expect(rules).toEqual([{ ID: "staging", Status: "Enabled", Filter: { Prefix: "" }, Expiration: { Days: "30" }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: "7" } }]);
    const bad = await failureOf(cos.putBucketLifecycle({ Bucket: NEW, Region: REGION, Rules: [{ ID: "x", Status: "On" as "Enabled", Filter: { Prefix: "" }, Expiration: { Days: 1 } }] }));
    expect(bad).toMatchObject({ statusCode: 400, code: "MalformedXML" });
    await cos.deleteBucketLifecycle({ Bucket: NEW, Region: REGION });
    expect((await cos.getBucketLifecycle({ Bucket: NEW, Region: REGION })).Rules).toEqual([]);
  });

  it("stores CORS rules and tags, and deletes them", async () => {
    const d = await start();
    const cos = cosClient(d);
    await cos.putBucket({ Bucket: NEW, Region: REGION });
    expect((await cos.getBucketCors({ Bucket: NEW, Region: REGION })).CORSRules).toEqual([]);
    await cos.putBucketCors({ Bucket: NEW, Region: REGION, CORSRules: [{ AllowedOrigin: ["https://example.com"], AllowedMethod: ["GET", "PUT"], AllowedHeader: ["*"], MaxAgeSeconds: 600 }] });
    const cors = (await cos.getBucketCors({ Bucket: NEW, Region: REGION })).CORSRules;
    expect(cors[0]).toMatchObject({ AllowedOrigins: ["https://example.com"], AllowedMethods: ["GET", "PUT"] });
    await cos.deleteBucketCors({ Bucket: NEW, Region: REGION });
    expect((await cos.getBucketCors({ Bucket: NEW, Region: REGION })).CORSRules).toEqual([]);

    expect((await cos.getBucketTagging({ Bucket: NEW, Region: REGION })).Tags).toEqual([]);
    await cos.putBucketTagging({ Bucket: NEW, Region: REGION, Tags: [{ Key: "env", Value: "dev" }] });
    expect((await cos.getBucketTagging({ Bucket: NEW, Region: REGION })).Tags).toEqual([{ Key: "env", Value: "dev" }]);
    await cos.deleteBucketTagging({ Bucket: NEW, Region: REGION });
    expect((await cos.getBucketTagging({ Bucket: NEW, Region: REGION })).Tags).toEqual([]);
  });

  it("answers the sub-resources the provider reads but never configures here with their 'no such configuration' errors", async () => {
    const d = await start();
    const cos = cosClient(d);
    await cos.putBucket({ Bucket: NEW, Region: REGION });
    // The SDK itself recognises these codes as "not configured" (sdk/base.js getBucketWebsite, getBucketEncryption).
    expect((await cos.getBucketWebsite({ Bucket: NEW, Region: REGION })).WebsiteConfiguration).toEqual({});
    // (the SDK's 404 branch answers EncryptionConfiguration, a field its typings do not declare)
    const encryption = (await cos.getBucketEncryption({ Bucket: NEW, Region: REGION })) as unknown as { EncryptionConfiguration: unknown };
    expect(encryption.EncryptionConfiguration).toEqual({ Rules: [] });
  });

  it("keeps buckets and their configuration across a restart of the emulator", async () => {
    const stateDir = mkdtempSync(join(tmpdir(), "cos-state-"));
    dirs.push(stateDir);
    const first = await start(stateDir);
    const cos1 = cosClient(first);
    await cos1.putBucket({ Bucket: NEW, Region: REGION, ACL: "public-read" });
    await cos1.putBucketVersioning({ Bucket: NEW, Region: REGION, VersioningConfiguration: { Status: "Enabled" } });
    await cos1.putBucketTagging({ Bucket: NEW, Region: REGION, Tags: [{ Key: "k", Value: "v" }] });
    await first.close();
    doubles = doubles.filter((x) => x !== first);

    const second = await start(stateDir);
    const cos2 = cosClient(second);
    expect((await cos2.headBucket({ Bucket: NEW, Region: REGION })).statusCode).toBe(200);
    expect((await cos2.getBucketAcl({ Bucket: NEW, Region: REGION })).ACL).toBe("public-read");
    expect((await cos2.getBucketVersioning({ Bucket: NEW, Region: REGION })).VersioningConfiguration.Status).toBe("Enabled");
    expect((await cos2.getBucketTagging({ Bucket: NEW, Region: REGION })).Tags).toEqual([{ Key: "k", Value: "v" }]);
  });
});
