// Request-field checks with the API 3.0 codes KMS answers for them.
import { Tc3ApiError } from "../tc3/types";

export function requiredString(params: Record<string, unknown>, name: string): string {
  const v = params[name];
  if (v === undefined || v === "") throw new Tc3ApiError("MissingParameter", `The request is missing a required parameter \`${name}\``);
  if (typeof v !== "string") throw new Tc3ApiError("InvalidParameter", `${name} must be a string (got ${typeof v})`);
  return v;
}

export function optionalString(params: Record<string, unknown>, name: string): string | undefined {
  const v = params[name];
  if (v === undefined) return undefined;
  if (typeof v !== "string") throw new Tc3ApiError("InvalidParameter", `${name} must be a string (got ${typeof v})`);
  return v;
}

export function optionalInteger(params: Record<string, unknown>, name: string): number | undefined {
  const v = params[name];
  if (v === undefined) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v)) throw new Tc3ApiError("InvalidParameter", `${name} must be an integer (got ${JSON.stringify(v)})`);
  return v;
}

/** Strict base64 (KMS takes Plaintext base64-encoded); undefined when the text is not base64. */
export function decodeBase64(text: string): Buffer | undefined {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
  return Buffer.from(text, "base64");
}
