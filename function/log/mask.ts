// The masking layer under every log line. Two nets, because either alone leaks: by key name (a field called
// `UserSig` is masked whatever it holds) and by value (a secret registered at runtime is scrubbed even when it hides
// inside an error message, a URL or an SDK's exception text).

/** How a registered value is shown: `secret` fully hidden, `id` keeps a few characters so operators can correlate. */
export type SecretKind = "secret" | "id";

export interface Masker {
  /** Scrub this value from every future line. Values shorter than 6 characters are ignored (too many false hits). */
  register(value: string | undefined, kind?: SecretKind): void;
  /** A deep copy of `value` that is safe to log. */
  scrub(value: unknown): unknown;
  /** Scrubs registered values and known credential patterns out of free text. */
  scrubText(text: string): string;
}

export const MASK = "***";
const MIN_REGISTERED_LENGTH = 6;

// Normalised key names (lower case, only letters/digits). A key is masked when it equals or ends with one of these.
const FULL_MASK_SUFFIXES = [
  "usersig",
  "secretkey",
  "token",
  "authorization",
  "signature",
  "sign",
  "privatemapkey",
  "password",
  "plaintext",
  "signingkey",
  "hmackey",
  "eventkey",
];
const PARTIAL_MASK_SUFFIXES = ["secretid", "accesskey", "accesskeyid"];

// Credentials that appear in text (TC3 and COS Authorization headers, URL query signatures).
const TEXT_PATTERNS: RegExp[] = [
  /(Signature=)[^,&\s"]+/gi,
  /(q-signature=)[^&\s"]+/gi,
  /(Credential=)[^,\s"]+/gi,
  /(x-cos-security-token[=:]\s*)[^&\s",]+/gi,
  /(X-TC-Token[=:]\s*)[^&\s",]+/gi,
];

function normaliseKey(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, "");
}

/** `AKIDabcd…wxyz` for ids long enough to keep 8 characters and still hide most; shorter ones are hidden entirely. */
export function partialMask(value: string): string {
  return value.length >= 16 ? `${value.slice(0, 4)}…${value.slice(-4)}` : MASK;
}

function maskForKey(key: string): "full" | "partial" | undefined {
  const k = normaliseKey(key);
  if (FULL_MASK_SUFFIXES.some((s) => k === s || k.endsWith(s))) return "full";
  if (PARTIAL_MASK_SUFFIXES.some((s) => k === s || k.endsWith(s))) return "partial";
  return undefined;
}

export function createMasker(): Masker {
  const registered = new Map<string, SecretKind>();
  let ordered: Array<[string, SecretKind]> = [];

  function scrubText(text: string): string {
    let out = text;
    // Longest first, so a secret that contains another registered secret is replaced whole.
    for (const [value, kind] of ordered) {
      if (out.includes(value)) out = out.split(value).join(kind === "id" ? partialMask(value) : MASK);
    }
    for (const re of TEXT_PATTERNS) out = out.replace(re, `$1${MASK}`);
    return out;
  }

  function scrubAny(value: unknown, seen: WeakSet<object>): unknown {
    if (typeof value === "string") return scrubText(value);
    if (typeof value !== "object" || value === null) return value;
    if (Buffer.isBuffer(value)) return `<${value.length} bytes>`;
    if (seen.has(value)) return "[circular]";
    seen.add(value);
    if (value instanceof Error) {
      const e = value as Error & { code?: unknown; statusCode?: unknown; requestId?: unknown };
      return scrubAny({ name: e.name, message: e.message, code: e.code, statusCode: e.statusCode, requestId: e.requestId }, seen);
    }
    if (Array.isArray(value)) return value.map((v) => scrubAny(v, seen));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const how = maskForKey(k);
      if (how === "full" && v !== undefined && v !== null && v !== "") out[k] = MASK;
      else if (how === "partial" && typeof v === "string") out[k] = partialMask(v);
      else out[k] = scrubAny(v, seen);
    }
    return out;
  }

  return {
    register(value, kind = "secret") {
      if (value === undefined || value.length < MIN_REGISTERED_LENGTH) return;
      if (registered.get(value) === "secret") return; // never downgrade a secret to a partially shown id
      registered.set(value, kind);
      ordered = [...registered.entries()].sort((a, b) => b[0].length - a[0].length);
    },
    scrub: (value) => scrubAny(value, new WeakSet()),
    scrubText,
  };
}
