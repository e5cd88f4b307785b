// Every value in a raw request that may be a secret, whatever shape it arrived in, so the log masker can scrub it
// from any later text. Callers put secrets where they should not: a body JSON-encoded as a string, CosConfig as a
// string, a UserSig inside an array or an object. Strings are parsed as JSON (a few levels deep) and walked; every
// string under a secret-named key (at any depth) counts, whatever is around it.

export interface RequestSecrets {
  /** Fully masked values (UserSig, SecretKey, tokens, …). */
  secrets: string[];
  /** Shown as a prefix/suffix only (SecretId). */
  ids: string[];
}

const SECRET_KEY = /(usersig|secretkey|token|signature|sign|password|privatemapkey|cosconfig)$/;
const ID_KEY = /(secretid|accesskey|accesskeyid)$/;
const MAX_NODES = 10_000;
const MAX_STRING_DEPTH = 3;

function normalise(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, "");
}

export function collectRequestSecrets(raw: unknown): RequestSecrets {
  const out: RequestSecrets = { secrets: [], ids: [] };
  let nodes = 0;
  const walk = (value: unknown, under: "secret" | "id" | undefined, stringDepth: number): void => {
    if (++nodes > MAX_NODES) return;
    if (typeof value === "string") {
      if (under === "secret") out.secrets.push(value);
      else if (under === "id") out.ids.push(value);
      if (stringDepth < MAX_STRING_DEPTH && /^\s*[{["]/.test(value)) {
        try {
          walk(JSON.parse(value) as unknown, under, stringDepth + 1);
        } catch {
          // not JSON: nothing more inside
        }
      }
      return;
    }
    if (typeof value !== "object" || value === null) return;
    if (Array.isArray(value)) {
      for (const item of value) walk(item, under, stringDepth);
      return;
    }
    for (const [k, v] of Object.entries(value)) {
      const key = normalise(k);
      // CosConfig is walked for its own keys; only a non-object CosConfig is secret as a whole.
      const kind = key === "cosconfig" ? (typeof v === "object" && v !== null ? under : "secret") : SECRET_KEY.test(key) ? "secret" : ID_KEY.test(key) ? "id" : under;
      walk(v, kind, stringDepth);
    }
  };
  // A body that is itself a string is the request in some encoding: hide it whole as well.
  walk(raw, typeof raw === "string" ? "secret" : undefined, 0);
  return out;
}
