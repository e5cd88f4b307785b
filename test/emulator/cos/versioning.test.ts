// Bucket versioning in the COS double, as COS documents it (PUT Object: x-cos-forbid-overwrite only works on buckets
// that never had versioning; PUT Bucket versioning: enabled can only be suspended).
import { afterEach, describe, expect, it } from "vitest";
import type { CosDouble } from "../../../emulator/cos/double";
import { startCosDouble } from "../../../emulator/cos/double";
import { cosOptionsFor } from "../../../emulator/endpoints";
import COS from "cos-nodejs-sdk-v5";
import { BUCKET, cosClient, failureOf, KEY, REGION, startFixture } from "./fixture";

let double: CosDouble | undefined;
afterEach(async () => {
  await double?.close();
  double = undefined;
});

const forbid = { "x-cos-forbid-overwrite": "true" };

describe("COS double: bucket versioning", () => {
  it("refuses an overwrite with x-cos-forbid-overwrite on a bucket that never had versioning (409 FileAlreadyExists)", async () => {
    const d = (double = await startFixture());
    const c = cosClient(d);
    await c.putObject({ Bucket: BUCKET, Region: REGION, Key: "claim", Body: Buffer.from("first"), Headers: forbid });
    const err = await failureOf(c.putObject({ Bucket: BUCKET, Region: REGION, Key: "claim", Body: Buffer.from("second"), Headers: forbid }));
    expect(err.statusCode).toBe(409);
    expect(err.code).toBe("FileAlreadyExists");
    expect(d.getObjectDirect(BUCKET, "claim")?.toString()).toBe("first");
    expect((await c.getBucketVersioning({ Bucket: BUCKET, Region: REGION })).VersioningConfiguration.Status).toBeUndefined();
  });

  for (const state of ["Enabled", "Suspended"] as const) {
    it(`ignores x-cos-forbid-overwrite on a bucket whose versioning is ${state} and keeps the old version`, async () => {
      const d = (double = await startCosDouble({ credentials: [KEY], buckets: [{ name: BUCKET, region: REGION, versioning: state }] }));
      const c = new COS({ SecretId: KEY.secretId, SecretKey: KEY.secretKey, ...cosOptionsFor(d.hostPort) });
      await c.putObject({ Bucket: BUCKET, Region: REGION, Key: "claim", Body: Buffer.from("first"), Headers: forbid });
      const second = await c.putObject({ Bucket: BUCKET, Region: REGION, Key: "claim", Body: Buffer.from("second"), Headers: forbid });
      expect(second.statusCode).toBe(200);
      expect(d.getObjectDirect(BUCKET, "claim")?.toString()).toBe("second");
      expect(d.versionsDirect(BUCKET, "claim").map(String)).toEqual(["first", "second"]);
      expect(Boolean(second.headers?.["x-cos-version-id"])).toBe(state === "Enabled");
      expect((await c.getBucketVersioning({ Bucket: BUCKET, Region: REGION })).VersioningConfiguration.Status).toBe(state);
      await c.deleteObject({ Bucket: BUCKET, Region: REGION, Key: "claim" });
      expect(d.getObjectDirect(BUCKET, "claim")).toBeUndefined();
      expect(d.versionsDirect(BUCKET, "claim").map(String)).toEqual(["first", "second"]);
    });
  }

  it("enables and suspends versioning through the API, and a suspended bucket still ignores forbid-overwrite", async () => {
    const d = (double = await startFixture());
    const c = cosClient(d);
    await c.putBucketVersioning({ Bucket: BUCKET, Region: REGION, VersioningConfiguration: { Status: "Enabled" } });
    await c.putBucketVersioning({ Bucket: BUCKET, Region: REGION, VersioningConfiguration: { Status: "Suspended" } });
    expect((await c.getBucketVersioning({ Bucket: BUCKET, Region: REGION })).VersioningConfiguration.Status).toBe("Suspended");
    await c.putObject({ Bucket: BUCKET, Region: REGION, Key: "k", Body: Buffer.from("a"), Headers: forbid });
    const again = await c.putObject({ Bucket: BUCKET, Region: REGION, Key: "k", Body: Buffer.from("b"), Headers: forbid });
    expect(again.statusCode).toBe(200);
  });
});
