// tencentcloud_cos_bucket (provider v1.83.25) manages buckets through aws-sdk-go's S3 client, which signs AWS SigV4.
// These requests are signed by the aws4 library the same way and replay the provider's create sequence for the
// staging bucket (PUT Bucket with x-amz-acl and LocationConstraint, PUT acl, PUT lifecycle with Content-MD5, PUT
// versioning, DELETE + PUT tagging) and its refresh reads, through a forward proxy's absolute-form target as well.
import { createHash } from "node:crypto";
import { request } from "node:http";
import aws4 from "aws4";
import { afterEach, describe, expect, it } from "vitest";
import { startCosDouble, type CosDouble } from "../../../emulator/cos/double";
import { KEY, REGION } from "./fixture";

const BUCKET = "recorder-staging-1250000000";
const HOST = `${BUCKET}.cos.${REGION}.myqcloud.com`;

let double: CosDouble | undefined;
afterEach(async () => {
  await double?.close();
  double = undefined;
});

interface S3Reply {
  status: number;
  code?: string;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

interface S3Call {
  method: "GET" | "PUT" | "DELETE" | "HEAD";
  /** Path with query, e.g. "/?acl". */
  path: string;
  body?: string;
  headers?: Record<string, string>;
  secretKey?: string;
  region?: string;
  /** Send the absolute-form target a forward proxy receives (HTTP_PROXY), not the origin form. */
  viaProxy?: boolean;
  /** Changes the body after signing. */
  tamper?: string;
}

function s3(d: CosDouble, call: S3Call): Promise<S3Reply> {
  const body = call.body ?? "";
  const signed = aws4.sign(
    { host: HOST, method: call.method, path: call.path, service: "s3", region: call.region ?? REGION, body, headers: { ...(call.headers ?? {}) } },
    { accessKeyId: KEY.secretId, secretAccessKey: call.secretKey ?? KEY.secretKey },
  );
  const [ip, port] = d.hostPort.split(":");
  const sent = call.tamper ?? body;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: ip,
        port: Number(port),
        method: call.method,
        path: call.viaProxy ? `http://${HOST}${call.path}` : call.path,
        headers: { ...(signed.headers as Record<string, string>), "Content-Length": String(Buffer.byteLength(sent)) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({ status: res.statusCode ?? 0, code: /<Code>([^<]+)<\/Code>/.exec(text)?.[1], body: text, headers: res.headers });
        });
      },
    );
    req.on("error", reject);
    req.end(sent);
  });
}

const md5 = (s: string) => createHash("md5").update(s).digest("base64");
const LIFECYCLE =
  '<LifecycleConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Rule><ID></ID><Filter><Prefix></Prefix></Filter><Status>Enabled</Status>' +
  "<Expiration><Days>30</Days></Expiration><AbortIncompleteMultipartUpload><DaysAfterInitiation>7</DaysAfterInitiation></AbortIncompleteMultipartUpload></Rule></LifecycleConfiguration>";

describe("COS bucket APIs under AWS SigV4 (the provider's aws-sdk-go S3 client)", () => {
  it("accepts the provider's create sequence and answers its refresh reads", async () => {
    const d = (double = await startCosDouble({ credentials: [KEY] }));
    const create = await s3(d, {
      method: "PUT",
      path: "/",
      headers: { "x-amz-acl": "private" },
      body: `<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LocationConstraint>${REGION}</LocationConstraint></CreateBucketConfiguration>`,
      viaProxy: true,
    });
    expect(create.status).toBe(200);
    expect((await s3(d, { method: "PUT", path: "/?acl", headers: { "x-amz-acl": "private" } })).status).toBe(200);
    expect((await s3(d, { method: "PUT", path: "/?lifecycle", body: LIFECYCLE, headers: { "Content-MD5": md5(LIFECYCLE) } })).status).toBe(200);
    expect((await s3(d, { method: "PUT", path: "/?versioning", body: "<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>" })).status).toBe(200);
    expect((await s3(d, { method: "DELETE", path: "/?tagging" })).status).toBe(204);
    const tagging = "<Tagging><TagSet><Tag><Key>env</Key><Value>dev</Value></Tag></TagSet></Tagging>";
    expect((await s3(d, { method: "PUT", path: "/?tagging", body: tagging, headers: { "Content-MD5": md5(tagging) } })).status).toBe(200);

    expect((await s3(d, { method: "HEAD", path: "/" })).status).toBe(200);
    const lifecycle = await s3(d, { method: "GET", path: "/?lifecycle" });
    expect(lifecycle.body).toContain("<Expiration><Days>30</Days></Expiration>");
    expect(lifecycle.body).toContain("<DaysAfterInitiation>7</DaysAfterInitiation>");
    // No ExpiredObjectDeleteMarker unless it was sent: the provider would read it back as a change.
    expect(lifecycle.body).not.toContain("ExpiredObjectDeleteMarker");
    expect((await s3(d, { method: "GET", path: "/?versioning" })).body).toContain("<Status>Enabled</Status>");
    expect((await s3(d, { method: "GET", path: "/?tagging" })).body).toContain("<Key>env</Key><Value>dev</Value>");
    expect(await s3(d, { method: "GET", path: "/?website" })).toMatchObject({ status: 404, code: "NoSuchWebsiteConfiguration" });
    expect(await s3(d, { method: "GET", path: "/?encryption" })).toMatchObject({ status: 404, code: "NoSuchEncryptionConfiguration" });
    expect(await s3(d, { method: "GET", path: "/?object-lock" })).toMatchObject({ status: 404, code: "NoSuchObjectLockConfiguration" });
    expect((await s3(d, { method: "GET", path: "/?accelerate" })).status).toBe(200);
    expect((await s3(d, { method: "GET", path: "/?logging" })).status).toBe(200);
    expect(await s3(d, { method: "GET", path: "/?cors" })).toMatchObject({ status: 404, code: "NoSuchCORSConfiguration" });
  });

  it("suspends versioning after it was enabled, but never turns it off", async () => {
    const d = (double = await startCosDouble({ credentials: [KEY] }));
    await s3(d, { method: "PUT", path: "/" });
    await s3(d, { method: "PUT", path: "/?versioning", body: "<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>" });
    await s3(d, { method: "PUT", path: "/?versioning", body: "<VersioningConfiguration><Status>Suspended</Status></VersioningConfiguration>" });
    expect((await s3(d, { method: "GET", path: "/?versioning" })).body).toContain("<Status>Suspended</Status>");
  });

  it("refuses a lifecycle without Content-MD5, a bad signature, a body changed after signing and a wrong scope region", async () => {
    const d = (double = await startCosDouble({ credentials: [KEY] }));
    await s3(d, { method: "PUT", path: "/" });
    expect(await s3(d, { method: "PUT", path: "/?lifecycle", body: LIFECYCLE })).toMatchObject({ status: 400, code: "InvalidRequest" });
    expect(await s3(d, { method: "GET", path: "/?acl", secretKey: "wrong-secret-key-000000000000000" })).toMatchObject({ status: 403, code: "SignatureDoesNotMatch" });
    const tagging = "<Tagging><TagSet><Tag><Key>a</Key><Value>b</Value></Tag></TagSet></Tagging>";
    expect(await s3(d, { method: "PUT", path: "/?tagging", body: tagging, tamper: tagging.replace("<Value>b", "<Value>c") })).toMatchObject({ status: 400, code: "XAmzContentSHA256Mismatch" });
    expect(await s3(d, { method: "GET", path: "/?acl", region: "ap-shanghai" })).toMatchObject({ status: 400, code: "AuthorizationHeaderMalformed" });
  });

  it("deletes a bucket only when it is empty, after which HEAD answers 404 (what the provider waits for)", async () => {
    const d = (double = await startCosDouble({ credentials: [KEY] }));
    await s3(d, { method: "PUT", path: "/" });
    expect((await s3(d, { method: "PUT", path: "/status/r1.json", body: "{}" })).status).toBe(200);
    expect(await s3(d, { method: "DELETE", path: "/" })).toMatchObject({ status: 409, code: "BucketNotEmpty" });
    expect((await s3(d, { method: "DELETE", path: "/status/r1.json" })).status).toBe(204);
    expect((await s3(d, { method: "DELETE", path: "/" })).status).toBe(204);
    expect((await s3(d, { method: "HEAD", path: "/" })).status).toBe(404);
  });
});
