// Bucket-level APIs beyond listing and versioning: PUT/DELETE Bucket, GET location, ACL, lifecycle, CORS, tagging,
// and the "not configured" answers for the sub-resources tencentcloud_cos_bucket reads on every refresh (website,
// encryption, accelerate, logging, object lock, origin, domain, replication). Sources: the COS XML API docs
// (https://cloud.tencent.com/document/api/436/7738 PUT Bucket, https://www.tencentcloud.com/document/product/436/7732
// DELETE Bucket), the error codes cos-nodejs-sdk-v5 itself recognises (sdk/base.js) and what the provider does with
// each answer (services/cos/service_tencentcloud_cos.go); docs/fidelity.md has the table.
import type { CosOpContext, CosOpHandler } from "./context";
import { ownerOf } from "./context";
import { CosError } from "./errors";
import { header } from "./request";
import type { CannedBucketAcl, CosBucket } from "./store";
import { parseXmlBody, type XmlObject } from "./xml";

/** The provider's validator (tccommon.ValidateCosBucketName) and COS's rule: <name>-<10-digit APPID>, ≤ 60 chars. */
const BUCKET_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?-[0-9]{10}$/;
const CANNED: readonly CannedBucketAcl[] = ["private", "public-read", "public-read-write"];
const ALL_USERS = "http://cam.qcloud.com/groups/global/AllUsers";
const MAX_LIFECYCLE_RULES = 1000;
const MAX_CORS_RULES = 100;
const MAX_TAGS = 50;

function cannedAcl(ctx: { req: CosOpContext["req"] }): CannedBucketAcl | undefined {
  const v = header(ctx.req.headers, "x-cos-acl") ?? header(ctx.req.headers, "x-amz-acl");
  if (v === undefined) return undefined;
  if (!(CANNED as readonly string[]).includes(v)) throw new CosError(400, "InvalidArgument", `x-cos-acl must be one of ${CANNED.join(", ")} (got "${v}")`);
  return v as CannedBucketAcl;
}

function asArray(v: unknown): unknown[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function record(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new CosError(400, "MalformedXML", `${what} must be an XML element`);
  return v as Record<string, unknown>;
}

function isEmptyBucket(bucket: CosBucket): boolean {
  return bucket.objects.size === 0 && bucket.noncurrent.size === 0 && bucket.uploads.size === 0;
}

export interface PutBucketOptions {
  /** When set, a bucket name whose APPID differs is refused (the account can only create its own buckets). */
  appId?: string;
}

/** PUT Bucket: runs without an existing bucket, so it takes the store rather than a bucket. */
export function putBucket(ctx: Omit<CosOpContext, "bucket">, opts: PutBucketOptions = {}): CosBucket {
  const { req, body, store, respond } = ctx;
  if (req.bucket.length > 60 || !BUCKET_NAME.test(req.bucket)) {
    throw new CosError(400, "InvalidBucketName", `The specified bucket name is not valid: <name>-<APPID>, lower-case letters, digits and "-", not starting or ending with "-", APPID 10 digits, at most 60 characters (got "${req.bucket}")`);
  }
  const appId = req.bucket.slice(req.bucket.lastIndexOf("-") + 1);
  if (opts.appId !== undefined && appId !== opts.appId) throw new CosError(403, "AccessDenied", `The bucket's APPID ${appId} is not this account's (${opts.appId})`);
  const existing = store.named(req.bucket);
  if (existing) throw new CosError(409, "BucketAlreadyExists", `The requested bucket name ${req.bucket} already exists${existing.region === req.region ? "" : ` (in ${existing.region})`}`);
  const acl = cannedAcl(ctx) ?? "private";
  if (body.length > 0) {
    // S3 clients (aws-sdk-go) send CreateBucketConfiguration/LocationConstraint; COS clients may send BucketAZConfig.
    const doc = record(parseXmlBody(body, []).CreateBucketConfiguration ?? {}, "CreateBucketConfiguration");
    const location = doc.LocationConstraint;
    if (location !== undefined && location !== "" && location !== req.region) {
      throw new CosError(400, "InvalidLocationConstraint", `LocationConstraint ${String(location)} differs from the endpoint's region ${req.region}`);
    }
    if (doc.BucketAZConfig !== undefined && doc.BucketAZConfig !== "SAZ") {
      throw new CosError(400, "InvalidArgument", `BucketAZConfig ${String(doc.BucketAZConfig)} is not modelled by this emulator (single-AZ buckets only)`);
    }
  }
  const bucket = store.createBucket(req.bucket, req.region);
  bucket.config = { acl };
  respond.send(200, {});
  return bucket;
}

export const deleteBucket: CosOpHandler = ({ bucket, store, respond }) => {
  if (!isEmptyBucket(bucket)) {
    throw new CosError(409, "BucketNotEmpty", "The bucket you tried to delete is not empty (objects, noncurrent versions or unfinished multipart uploads remain)");
  }
  store.deleteBucket(bucket.name);
  respond.send(204, {});
};

export const getBucketLocation: CosOpHandler = ({ bucket, respond }) => respond.xml(200, "LocationConstraint", { "#text": bucket.region });

function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** GET Bucket acl: the owner's FULL_CONTROL, plus AllUsers READ (and WRITE) for the public canned ACLs. */
export const getBucketAcl: CosOpHandler = ({ bucket, respond }) => {
  const owner = ownerOf(bucket);
  const grantee = (inner: string, type: string) => `<Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="${type}">${inner}</Grantee>`;
  const ownerXml = `<ID>${escapeXml(owner.ID)}</ID><DisplayName>${escapeXml(owner.DisplayName)}</DisplayName>`;
  const grants = [`<Grant>${grantee(ownerXml, "CanonicalUser")}<Permission>FULL_CONTROL</Permission></Grant>`];
  if (bucket.config.acl !== "private") grants.push(`<Grant>${grantee(`<URI>${ALL_USERS}</URI>`, "Group")}<Permission>READ</Permission></Grant>`);
  if (bucket.config.acl === "public-read-write") grants.push(`<Grant>${grantee(`<URI>${ALL_USERS}</URI>`, "Group")}<Permission>WRITE</Permission></Grant>`);
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<AccessControlPolicy><Owner>${ownerXml}</Owner><AccessControlList>${grants.join("")}</AccessControlList></AccessControlPolicy>`;
  // cos-nodejs-sdk-v5 prefers this header over decoding the grants (sdk/base.js getBucketAcl): COS sends it.
  respond.send(200, { "Content-Type": "application/xml", "x-cos-acl": bucket.config.acl }, xml);
};

/** PUT Bucket acl: a canned ACL header, or an AccessControlPolicy body reduced to the canned ACL it amounts to. */
export const putBucketAcl: CosOpHandler = (ctx) => {
  const { body, bucket, respond } = ctx;
  const canned = cannedAcl(ctx);
  if (canned !== undefined) {
    bucket.config.acl = canned;
  } else if (body.length > 0) {
    const policy = record(parseXmlBody(body, ["Grant"]).AccessControlPolicy, "AccessControlPolicy");
    const list = record(policy.AccessControlList ?? {}, "AccessControlList");
    const publicPermissions = asArray(list.Grant)
      .map((g) => record(g, "Grant"))
      .filter((g) => typeof g.Grantee === "object" && (g.Grantee as Record<string, unknown>).URI === ALL_USERS)
      .map((g) => String(g.Permission ?? ""));
    const read = publicPermissions.includes("READ") || publicPermissions.includes("FULL_CONTROL");
    const write = publicPermissions.includes("WRITE") || publicPermissions.includes("FULL_CONTROL");
    bucket.config.acl = read && write ? "public-read-write" : read ? "public-read" : "private";
  } else {
    throw new CosError(400, "InvalidRequest", "PUT Bucket acl needs an x-cos-acl header or an AccessControlPolicy body");
  }
  respond.send(200, {});
};

function positiveInt(v: unknown, what: string): void {
  if (v !== undefined && !/^[1-9]\d*$/.test(String(v))) throw new CosError(400, "InvalidArgument", `${what} must be a positive integer (got "${String(v)}")`);
}

/** Checks one lifecycle Rule the way COS documents it: ID ≤ 255, Status Enabled|Disabled, a Filter, one action or more. */
function checkLifecycleRule(rule: Record<string, unknown>, index: number): void {
  const where = `Rule[${index}]`;
  if (rule.ID !== undefined && String(rule.ID).length > 255) throw new CosError(400, "InvalidArgument", `${where}.ID must be at most 255 characters`);
  if (rule.Status !== "Enabled" && rule.Status !== "Disabled") throw new CosError(400, "MalformedXML", `${where}.Status must be Enabled or Disabled (got ${JSON.stringify(rule.Status ?? "")})`);
  if (rule.Filter === undefined && rule.Prefix === undefined) throw new CosError(400, "MalformedXML", `${where} needs a Filter`);
  const actions = ["Expiration", "Transition", "NoncurrentVersionExpiration", "NoncurrentVersionTransition", "AbortIncompleteMultipartUpload"];
  if (!actions.some((a) => rule[a] !== undefined)) throw new CosError(400, "MalformedXML", `${where} needs at least one of ${actions.join(", ")}`);
  if (rule.Expiration !== undefined) {
    const e = record(rule.Expiration, `${where}.Expiration`);
    positiveInt(e.Days, `${where}.Expiration.Days`);
    if (e.Days === undefined && e.Date === undefined && e.ExpiredObjectDeleteMarker === undefined) throw new CosError(400, "MalformedXML", `${where}.Expiration needs Days, Date or ExpiredObjectDeleteMarker`);
  }
  if (rule.AbortIncompleteMultipartUpload !== undefined) {
    positiveInt(record(rule.AbortIncompleteMultipartUpload, `${where}.AbortIncompleteMultipartUpload`).DaysAfterInitiation, `${where}.AbortIncompleteMultipartUpload.DaysAfterInitiation`);
  }
  if (rule.NoncurrentVersionExpiration !== undefined) {
    positiveInt(record(rule.NoncurrentVersionExpiration, `${where}.NoncurrentVersionExpiration`).NoncurrentDays, `${where}.NoncurrentVersionExpiration.NoncurrentDays`);
  }
}

export const putBucketLifecycle: CosOpHandler = ({ req, body, bucket, respond }) => {
  if (header(req.headers, "content-md5") === undefined) throw new CosError(400, "InvalidRequest", "Missing required header for this request: Content-MD5");
  const doc = record(parseXmlBody(body, ["Rule", "Transition", "NoncurrentVersionTransition"]).LifecycleConfiguration, "LifecycleConfiguration");
  const rules = asArray(doc.Rule).map((r, i) => record(r, `Rule[${i}]`));
  if (rules.length === 0) throw new CosError(400, "MalformedXML", "LifecycleConfiguration needs at least one Rule");
  if (rules.length > MAX_LIFECYCLE_RULES) throw new CosError(400, "InvalidArgument", `at most ${MAX_LIFECYCLE_RULES} lifecycle rules (got ${rules.length})`);
  rules.forEach(checkLifecycleRule);
  // An empty <ID></ID> (what the provider sends when id is unset) names no rule, so it cannot clash.
  const ids = rules.flatMap((r) => (r.ID === undefined || r.ID === "" ? [] : [String(r.ID)]));
  if (new Set(ids).size !== ids.length) throw new CosError(400, "InvalidArgument", "lifecycle rule IDs must be unique");
  bucket.config.lifecycle = rules;
  respond.send(200, {});
};

export const getBucketLifecycle: CosOpHandler = ({ bucket, respond }) => {
  if (!bucket.config.lifecycle) throw new CosError(404, "NoSuchLifecycleConfiguration", "The lifecycle configuration does not exist");
  respond.xml(200, "LifecycleConfiguration", { Rule: bucket.config.lifecycle as XmlObject[] });
};

export const deleteBucketLifecycle: CosOpHandler = ({ bucket, respond }) => {
  delete bucket.config.lifecycle;
  respond.send(204, {});
};

export const putBucketCors: CosOpHandler = ({ body, bucket, respond }) => {
  const doc = record(parseXmlBody(body, ["CORSRule", "AllowedOrigin", "AllowedMethod", "AllowedHeader", "ExposeHeader"]).CORSConfiguration, "CORSConfiguration");
  const rules = asArray(doc.CORSRule).map((r, i) => record(r, `CORSRule[${i}]`));
  if (rules.length === 0 || rules.length > MAX_CORS_RULES) throw new CosError(400, "InvalidArgument", `CORSConfiguration needs 1..${MAX_CORS_RULES} CORSRule (got ${rules.length})`);
  rules.forEach((r, i) => {
    if (asArray(r.AllowedOrigin).length === 0 || asArray(r.AllowedMethod).length === 0) throw new CosError(400, "MalformedXML", `CORSRule[${i}] needs AllowedOrigin and AllowedMethod`);
    for (const m of asArray(r.AllowedMethod)) {
      if (!["GET", "PUT", "POST", "DELETE", "HEAD"].includes(String(m))) throw new CosError(400, "InvalidArgument", `CORSRule[${i}].AllowedMethod must be GET, PUT, POST, DELETE or HEAD (got "${String(m)}")`);
    }
  });
  bucket.config.cors = { rules, responseVary: doc.ResponseVary === undefined ? undefined : String(doc.ResponseVary) };
  respond.send(200, {});
};

export const getBucketCors: CosOpHandler = ({ bucket, respond }) => {
  const cors = bucket.config.cors;
  if (!cors) throw new CosError(404, "NoSuchCORSConfiguration", "The CORS configuration does not exist");
  respond.xml(200, "CORSConfiguration", { CORSRule: cors.rules as XmlObject[], ResponseVary: cors.responseVary ?? "false" });
};

export const deleteBucketCors: CosOpHandler = ({ bucket, respond }) => {
  delete bucket.config.cors;
  respond.send(204, {});
};

export const putBucketTagging: CosOpHandler = ({ body, bucket, respond }) => {
  const doc = record(parseXmlBody(body, ["Tag"]).Tagging, "Tagging");
  const tags: Record<string, string> = {};
  for (const [i, t] of asArray(record(doc.TagSet ?? {}, "TagSet").Tag).entries()) {
    const tag = record(t, `Tag[${i}]`);
    const key = String(tag.Key ?? "");
    if (key === "" || key.length > 127) throw new CosError(400, "InvalidTag", `Tag[${i}].Key must be 1-127 characters (got "${key}")`);
    if (Object.hasOwn(tags, key)) throw new CosError(400, "InvalidTag", `Tag key "${key}" appears twice`);
    tags[key] = String(tag.Value ?? "");
  }
  if (Object.keys(tags).length > MAX_TAGS) throw new CosError(400, "InvalidTag", `at most ${MAX_TAGS} tags per bucket`);
  bucket.config.tags = tags;
  respond.send(200, {});
};

export const getBucketTagging: CosOpHandler = ({ bucket, respond }) => {
  const tags = bucket.config.tags;
  if (!tags || Object.keys(tags).length === 0) throw new CosError(404, "NoSuchTagSet", "The TagSet does not exist");
  respond.xml(200, "Tagging", { TagSet: { Tag: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) } });
};

export const deleteBucketTagging: CosOpHandler = ({ bucket, respond }) => {
  delete bucket.config.tags;
  respond.send(204, {});
};

/** A sub-resource this emulator never configures: COS answers 404 with its "no such configuration" code. */
function notConfigured(code: string, what: string): CosOpHandler {
  return () => {
    throw new CosError(404, code, `The ${what} configuration does not exist`);
  };
}

export const BUCKET_CONFIG_OPERATIONS = {
  DeleteBucket: deleteBucket,
  GetBucketLocation: getBucketLocation,
  GetBucketAcl: getBucketAcl,
  PutBucketAcl: putBucketAcl,
  GetBucketLifecycle: getBucketLifecycle,
  PutBucketLifecycle: putBucketLifecycle,
  DeleteBucketLifecycle: deleteBucketLifecycle,
  GetBucketCors: getBucketCors,
  PutBucketCors: putBucketCors,
  DeleteBucketCors: deleteBucketCors,
  GetBucketTagging: getBucketTagging,
  PutBucketTagging: putBucketTagging,
  DeleteBucketTagging: deleteBucketTagging,
  GetBucketWebsite: notConfigured("NoSuchWebsiteConfiguration", "website"),
  GetBucketEncryption: notConfigured("NoSuchEncryptionConfiguration", "encryption"),
  GetBucketObjectLock: notConfigured("NoSuchObjectLockConfiguration", "object lock"),
  GetBucketOrigin: notConfigured("NoSuchOriginConfiguration", "origin-pull"),
  GetBucketDomain: notConfigured("NoSuchDomainConfiguration", "custom domain"),
  GetBucketReplication: notConfigured("ReplicationConfigurationnotFoundError", "replication"),
  GetBucketIntelligentTiering: notConfigured("NoSuchIntelligentTieringConfiguration", "intelligent tiering"),
  // Never enabled: S3-compatible APIs answer an empty document rather than an error (assumed for COS).
  GetBucketAccelerate: (({ respond }) => respond.xml(200, "AccelerateConfiguration", {})) as CosOpHandler,
  GetBucketLogging: (({ respond }) => respond.xml(200, "BucketLoggingStatus", {})) as CosOpHandler,
} satisfies Record<string, CosOpHandler>;

export type BucketConfigOperation = keyof typeof BUCKET_CONFIG_OPERATIONS | "PutBucket";

/** Bucket-level requests (empty key) this file answers; undefined for the rest (listing, versioning, uploads). */
export function classifyBucketConfig(method: string, has: (name: string) => boolean): BucketConfigOperation | undefined {
  const sub: Array<[string, string]> = [
    ["acl", "Acl"],
    ["lifecycle", "Lifecycle"],
    ["cors", "Cors"],
    ["tagging", "Tagging"],
    ["website", "Website"],
    ["encryption", "Encryption"],
    ["object-lock", "ObjectLock"],
    ["origin", "Origin"],
    ["domain", "Domain"],
    ["replication", "Replication"],
    ["intelligenttiering", "IntelligentTiering"],
    ["intelligent-tiering", "IntelligentTiering"],
    ["accelerate", "Accelerate"],
    ["logging", "Logging"],
    ["location", "Location"],
  ];
  for (const [query, name] of sub) {
    if (!has(query)) continue;
    const op = `${method === "GET" ? "Get" : method === "PUT" ? "Put" : method === "DELETE" ? "Delete" : "?"}Bucket${name}`;
    return Object.hasOwn(BUCKET_CONFIG_OPERATIONS, op) ? (op as BucketConfigOperation) : undefined;
  }
  const anySub = ["versioning", "uploads", "list-type", "versions"].some(has);
  if (anySub) return undefined;
  if (method === "PUT") return "PutBucket";
  if (method === "DELETE") return "DeleteBucket";
  return undefined;
}

/** Operations after which the bucket list or a bucket's configuration changed (what a state folder must save). */
export const BUCKET_MUTATIONS: ReadonlySet<string> = new Set([
  "PutBucket",
  "DeleteBucket",
  "PutBucketAcl",
  "PutBucketLifecycle",
  "DeleteBucketLifecycle",
  "PutBucketCors",
  "DeleteBucketCors",
  "PutBucketTagging",
  "DeleteBucketTagging",
  "PutBucketVersioning",
]);

