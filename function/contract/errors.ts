// Field errors are values the caller can act on: which field, what we wanted, what we got. They travel to the
// caller (400 body, status record, callback), so `got` must never carry a secret — see `describeGot`.

/** One thing wrong with a request, e.g. `{ field: "CosConfig.Region", expected: "a COS region like ap-guangzhou", got: "" }`. */
export interface FieldError {
  /** Dotted path of the field in the seed's request, e.g. `CosConfig.Bucket`. */
  field: string;
  /** What would have been accepted, in words a caller understands. */
  expected: string;
  /** What was given, rendered as text (secrets masked, long values shortened). */
  got: string;
}

const MAX_GOT_CHARS = 80;

/**
 * Renders a given value for `FieldError.got`. Strings are shown JSON-quoted so an empty string or trailing space is
 * visible; `secret` values only reveal their type and length — enough to debug "empty" vs "wrong" without leaking.
 */
export function describeGot(value: unknown, opts: { secret?: boolean } = {}): string {
  if (value === undefined) return "nothing (field missing)";
  if (value === null) return "null";
  if (opts.secret) {
    if (typeof value === "string") return value.length === 0 ? '""' : `a string of ${value.length} characters (masked)`;
    return `a ${Array.isArray(value) ? "list" : typeof value} (masked)`;
  }
  if (typeof value === "string") {
    const shown = value.length > MAX_GOT_CHARS ? `${value.slice(0, MAX_GOT_CHARS)}…` : value;
    return JSON.stringify(shown);
  }
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

export function fieldError(field: string, expected: string, given: unknown, opts: { secret?: boolean } = {}): FieldError {
  return { field, expected, got: describeGot(given, opts) };
}
