/**
 * Review output goes into pull-request comments, which outlive any rotation: a value is masked when its attribute
 * name looks secret (secret_key, password, token, private key, key material, UserSig, HMAC, access-key secret) or when
 * the value itself looks like one (PEM private key, Tencent SecretId `AKID…`, JWT, TRTC UserSig, long key-like
 * strings assigned to key-ish names). A pure reference (`${tencentcloud_kms_key.k.id}`) reveals nothing and is kept.
 */
import type { Json } from "./model";

export const MASKED = "«masked»";

const SECRET_NAME = /(secret|passw(or)?d|token|private_?key|key_?material|credential|usersig|hmac|signing_?key|access_?key_?secret|api_?key)/i;
/** Names that match the pattern above but are known not to hold secrets (a prefix, an enum, a display name). */
const NOT_SECRET_NAMES = new Set(["RECORDER_SECRETS_PREFIX", "secret_name", "access_key_type", "key_usage", "token_type"]);

const SECRET_VALUES: RegExp[] = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/, // PEM private keys
  /\bAKID[0-9A-Za-z]{13,}\b/, // Tencent Cloud SecretId
  /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/, // JWT
  /\beJ[wy][A-Za-z0-9*_-]{40,}/, // TRTC UserSig (zlib-compressed, URL-safe base64 starts eJw / eJy)
];

const REFERENCE_ONLY = /^\$\{[^}]*\}$/;

/** Path segments: `environment.DB_PASSWORD` → [environment, DB_PASSWORD]; `document⟨json⟩.x` → [document, x]. */
const segments = (path: string): string[] => path.split(/[.[\]⟨⟩]+/).filter(Boolean);

export function isSecretName(path: string): boolean {
  return segments(path).some((s) => !NOT_SECRET_NAMES.has(s) && SECRET_NAME.test(s));
}

export function looksSecret(value: Json | undefined): boolean {
  return typeof value === "string" && SECRET_VALUES.some((re) => re.test(value));
}

/** The value as it may be shown. */
export function maskValue(path: string, value: Json | undefined): Json | undefined {
  if (value === undefined || value === null) return value;
  if (typeof value === "string" && REFERENCE_ONLY.test(value)) return value;
  if (isSecretName(path) || looksSecret(value)) return MASKED;
  return value;
}
