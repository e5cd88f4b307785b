// The COS XML API double: a node:http server that plays every bucket it holds, addressed by virtual host, verifying
// each request's signature the way COS does and answering in COS's wire format.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { FaultInjector } from "../faults";
import { readBody } from "../tc3/read-body";
import type { Tc3Credential } from "../tc3/types";
import { CosError } from "./errors";
import { checkContentMd5 } from "./object-headers";
import { classifyCosRequest, COS_OPERATIONS, NEEDS_CONTENT_LENGTH } from "./operation";
import { header, parseCosRequest, type CosRequest } from "./request";
import { CosResponder, newCosRequestId } from "./respond";
import type { CosStore } from "./store";
import { BUCKET_MUTATIONS, putBucket } from "./bucket-config";
import { verifyAnyCosSignature } from "./verify-sigv4";

export interface CosListenerOptions {
  credentials: readonly Tc3Credential[];
  store: CosStore;
  faults: FaultInjector;
  /** Clock in ms since the epoch. */
  now: () => number;
  /** Every request, appended when it arrives; status is filled in once answered (0 when the connection was reset). */
  requests: CosRequestRecord[];
  /** The account's APPID: PUT Bucket refuses a bucket name ending in another one. @default any APPID */
  appId?: string;
  /** Called after a bucket was created or deleted or its configuration changed (persistence hook). */
  onBucketChange?: () => void;
}

export interface CosRequestRecord {
  method: string;
  host: string;
  /** Decoded path, "/<key>". */
  path: string;
  query: Record<string, string>;
  status: number;
  /** Operation name, e.g. "UploadPart"; absent when the request could not be parsed or is not modelled. */
  operation?: string;
}

async function handle(opts: CosListenerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = newCosRequestId();
  const clock = () => new Date(opts.now());
  const body = await readBody(req);
  let parsed: CosRequest;
  try {
    parsed = parseCosRequest(req);
  } catch (e) {
    const err = e instanceof CosError ? e : new CosError(400, "InvalidRequest", String(e));
    new CosResponder(res, requestId, req.method === "HEAD", header(req.headers, "host") ?? "", clock).error(err.status, err.code, err.message);
    opts.requests.push({ method: req.method ?? "", host: header(req.headers, "host") ?? "", path: req.url ?? "", query: {}, status: err.status });
    return;
  }
  const operation = classifyCosRequest(parsed);
  const record: CosRequestRecord = { method: parsed.method, host: parsed.host, path: parsed.path, query: parsed.query, status: 0, operation };
  opts.requests.push(record);
  const respond = new CosResponder(res, requestId, parsed.method === "HEAD", `${parsed.host}${parsed.rawPath}`, clock);
  try {
    const info = { method: parsed.method, path: parsed.path, query: parsed.query, host: parsed.host, action: operation };
    if (await opts.faults.apply(info, req, res, (status, code) => respond.error(status, code, `injected fault: ${code}`))) return;

    if (operation && operation !== "PutBucket" && NEEDS_CONTENT_LENGTH.has(operation) && header(req.headers, "content-length") === undefined) {
      throw new CosError(411, "MissingContentLength", "You must provide the Content-Length HTTP header (chunked transfer is not accepted)");
    }
    if (operation === "PutBucket") {
      // The only operation that runs before its bucket exists.
      verifyAnyCosSignature(parsed, body, opts.credentials, Math.floor(opts.now() / 1000));
      checkContentMd5(req.headers, body);
      putBucket({ req: parsed, body, store: opts.store, respond, now: clock }, { appId: opts.appId });
      opts.onBucketChange?.();
      return;
    }
    const bucket = opts.store.bucket(parsed.bucket, parsed.region);
    if (!bucket) throw new CosError(404, "NoSuchBucket", `The specified bucket ${parsed.bucket} does not exist in ${parsed.region}`);
    verifyAnyCosSignature(parsed, body, opts.credentials, Math.floor(opts.now() / 1000));
    if (!operation) throw new CosError(501, "NotImplemented", `${parsed.method} ${parsed.rawPath} (query: ${Object.keys(parsed.query).join(",") || "none"}) is not modelled by this double`);
    checkContentMd5(req.headers, body);
    COS_OPERATIONS[operation]({ req: parsed, body, bucket, store: opts.store, respond, now: clock });
    if (BUCKET_MUTATIONS.has(operation)) opts.onBucketChange?.();
  } catch (e) {
    if (e instanceof CosError) respond.error(e.status, e.code, e.message);
    else respond.error(500, "InternalError", e instanceof Error ? e.message : String(e));
  } finally {
    record.status = res.headersSent ? res.statusCode : 0;
  }
}

export function createCosListener(opts: CosListenerOptions): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(opts, req, res).catch(() => res.destroy());
  };
}
