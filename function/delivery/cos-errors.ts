// COS SDK errors as values delivery can act on: is it worth retrying, and a one-line description for the status
// record (code and message only: the SDK's error object also carries request details we do not want to echo).
import type { CosLocation } from "./types";

export interface CosFailure {
  /** HTTP status, when the service answered. */
  status?: number;
  /** COS error code ("NoSuchKey", "AccessDenied", ...), an HTTP status as a string, or a network code. */
  code: string;
  message: string;
}

function field(obj: object, name: string): unknown {
  return (obj as Record<string, unknown>)[name];
}

export function asCosFailure(err: unknown): CosFailure {
  if (err instanceof Error || (typeof err === "object" && err !== null)) {
    const status = field(err, "statusCode");
    const code = field(err, "code");
    const message = field(err, "message");
    const inner = field(err, "error");
    const innerMessage = inner instanceof Error ? inner.message : typeof inner === "string" ? inner : undefined;
    return {
      status: typeof status === "number" ? status : undefined,
      code: typeof code === "string" && code !== "" ? code : typeof status === "number" ? String(status) : "NetworkError",
      message: typeof message === "string" && message !== "" ? message : (innerMessage ?? "no message"),
    };
  }
  return { code: "Unknown", message: String(err) };
}

/**
 * 4xx answers are decisions (no permission, no such bucket, bad request) that a retry will not change; 408 and 429
 * are the exceptions. 5xx and network errors are worth retrying.
 */
export function isPermanent(f: CosFailure): boolean {
  if (f.status === undefined) return false;
  if (f.status === 408 || f.status === 429) return false;
  return f.status >= 400 && f.status < 500;
}

export function isNotFound(f: CosFailure): boolean {
  return f.status === 404 || f.code === "NoSuchKey" || f.code === "404";
}

export function describeCosFailure(op: string, loc: CosLocation, f: CosFailure): string {
  const status = f.status !== undefined ? `${f.status} ` : "";
  return `${op} ${loc.bucket}/${loc.key}: ${status}${f.code}: ${f.message}`;
}

/** The error a stage throws; `message` is one of the outcome messages delivery reports. */
export class StageError extends Error {
  constructor(
    readonly outcome: "record failed" | "COS read failed" | "transcode failed" | "COS write failed",
    readonly detail: string,
    /** A retry later (new invocation) cannot help: e.g. AccessDenied on the target. */
    readonly permanent = false,
  ) {
    super(`${outcome}: ${detail}`);
  }
}
