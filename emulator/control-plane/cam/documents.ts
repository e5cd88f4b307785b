// Policy documents: CAM takes JSON with "version" and "statement"; a role's trust document also needs a principal.
import { Tc3ApiError } from "../../tc3/types";

export function checkPolicyDocument(doc: string, field: string, needPrincipal: boolean): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(doc);
  } catch {
    throw new Tc3ApiError("InvalidParameter.PolicyDocumentError", `${field} must be a JSON policy document (it does not parse)`);
  }
  const d = parsed as { version?: unknown; statement?: unknown };
  if (typeof d !== "object" || d === null || d.version !== "2.0" || !Array.isArray(d.statement) || d.statement.length === 0) {
    throw new Tc3ApiError("InvalidParameter.PolicyDocumentError", `${field} needs "version": "2.0" and a non-empty "statement" array`);
  }
  for (const [i, st] of (d.statement as Array<Record<string, unknown>>).entries()) {
    if (typeof st !== "object" || st === null || (st.effect !== "allow" && st.effect !== "deny")) {
      throw new Tc3ApiError("InvalidParameter.PolicyDocumentError", `${field}.statement[${i}].effect must be "allow" or "deny"`);
    }
    if (needPrincipal && (typeof st.principal !== "object" || st.principal === null)) {
      throw new Tc3ApiError("InvalidParameter.PolicyDocumentError", `${field}.statement[${i}] of a role's trust policy needs a principal`);
    }
    if (!needPrincipal && st.action === undefined) {
      throw new Tc3ApiError("InvalidParameter.PolicyDocumentError", `${field}.statement[${i}] needs an action`);
    }
  }
}
