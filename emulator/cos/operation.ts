// Names the COS operation a request is, from method, sub-resource and headers. The name is what fault rules match
// on ("UploadPart" fails part uploads only, not UploadPartCopy) and what the request log records.
import { BUCKET_CONFIG_OPERATIONS, classifyBucketConfig } from "./bucket-config";
import type { CosOpHandler } from "./context";
import { getBucket, headBucket, listMultipartUploads } from "./listing";
import { abortMultipartUpload, completeMultipartUpload, initiateMultipartUpload, listParts, uploadPart, uploadPartCopy } from "./multipart";
import { deleteObject, getObject, headObject, putObject, putObjectCopy } from "./objects";
import type { CosRequest } from "./request";
import { getBucketVersioning, putBucketVersioning } from "./versioning";

export const COS_OPERATIONS = {
  HeadBucket: headBucket,
  GetBucket: getBucket,
  ListMultipartUploads: listMultipartUploads,
  GetBucketVersioning: getBucketVersioning,
  PutBucketVersioning: putBucketVersioning,
  PutObject: putObject,
  PutObjectCopy: putObjectCopy,
  GetObject: getObject,
  HeadObject: headObject,
  DeleteObject: deleteObject,
  InitiateMultipartUpload: initiateMultipartUpload,
  UploadPart: uploadPart,
  UploadPartCopy: uploadPartCopy,
  ListParts: listParts,
  CompleteMultipartUpload: completeMultipartUpload,
  AbortMultipartUpload: abortMultipartUpload,
  ...BUCKET_CONFIG_OPERATIONS,
} satisfies Record<string, CosOpHandler>;

export type CosOperation = keyof typeof COS_OPERATIONS;

/**
 * The operation, or undefined for requests this double does not model (answered 501 NotImplemented). PutBucket has
 * no entry in COS_OPERATIONS: it runs before a bucket exists (server.ts).
 */
export function classifyCosRequest(req: CosRequest): CosOperation | "PutBucket" | undefined {
  const has = (name: string) => Object.hasOwn(req.queryLower, name);
  const copy = req.headers["x-cos-copy-source"] !== undefined;
  if (req.key === "") {
    if (req.method === "HEAD") return "HeadBucket";
    const config = classifyBucketConfig(req.method, has);
    if (config) return config;
    if (req.method === "GET" && has("versioning")) return "GetBucketVersioning";
    if (req.method === "PUT" && has("versioning")) return "PutBucketVersioning";
    if (req.method === "GET") return has("uploads") ? "ListMultipartUploads" : "GetBucket";
    return undefined;
  }
  switch (req.method) {
    case "PUT":
      if (has("uploadid") || has("partnumber")) return copy ? "UploadPartCopy" : "UploadPart";
      return copy ? "PutObjectCopy" : "PutObject";
    case "POST":
      if (has("uploads")) return "InitiateMultipartUpload";
      if (has("uploadid")) return "CompleteMultipartUpload";
      return undefined;
    case "GET":
      return has("uploadid") ? "ListParts" : "GetObject";
    case "HEAD":
      return "HeadObject";
    case "DELETE":
      return has("uploadid") ? "AbortMultipartUpload" : "DeleteObject";
    default:
      return undefined;
  }
}

/** Operations whose body is object data: COS needs its length up front (no chunked transfer). */
export const NEEDS_CONTENT_LENGTH: ReadonlySet<CosOperation> = new Set<CosOperation>(["PutObject", "UploadPart"]);
