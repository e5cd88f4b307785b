// x-cos-copy-source names the source as `<bucket>-<appid>.cos.<region>.myqcloud.com/<key>` with the key
// URL-encoded (the SDK sends it verbatim, so callers encode it), optionally `?versionId=`; and
// x-cos-copy-source-range is `bytes=<first>-<last>`.
import { CosError } from "./errors";

export interface CopySource {
  bucket: string;
  region: string;
  key: string;
}

const SOURCE = /^\/?([a-z0-9-]+-\d+)\.cos\.([a-z0-9-]+)\.(?:myqcloud\.com|tencentcos\.cn)\/(.+)$/;

export function parseCopySource(value: string): CopySource {
  const withoutVersion = value.replace(/\?versionId=[^&]*$/, "");
  const m = SOURCE.exec(withoutVersion);
  if (!m) throw new CosError(400, "InvalidArgument", `x-cos-copy-source must be <bucket>-<appid>.cos.<region>.myqcloud.com/<url-encoded key> (got "${value}")`);
  let key: string;
  try {
    key = decodeURIComponent(m[3]);
  } catch {
    throw new CosError(400, "InvalidArgument", `x-cos-copy-source key is not valid percent-encoding (got "${m[3]}")`);
  }
  return { bucket: m[1], region: m[2], key };
}

/** [first, last] inclusive, checked against the source size. */
export function parseCopyRange(value: string, size: number): [number, number] {
  const m = /^bytes=(\d+)-(\d+)$/.exec(value);
  if (!m) throw new CosError(400, "InvalidArgument", `x-cos-copy-source-range must be bytes=<first>-<last> (got "${value}")`);
  const first = Number(m[1]);
  const last = Number(m[2]);
  if (first > last || last >= size) {
    throw new CosError(400, "InvalidArgument", `x-cos-copy-source-range ${value} is outside the source object (size ${size})`);
  }
  return [first, last];
}
