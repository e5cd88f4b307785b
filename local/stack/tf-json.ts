// The parts of a synthesized cdk.tf.json the local cloud reads. Terraform JSON is untyped; these helpers read
// fields with an error that names the resource address and the field, so a changed construct fails loudly here.

export type { TfBlock, TfJson, TfValue } from "../../infra/synthesized/tf-json";
import type { TfBlock, TfJson, TfValue } from "../../infra/synthesized/tf-json";

/** A field that is missing or of the wrong type in the synthesized JSON. */
export class StackShapeError extends Error {
  override name = "StackShapeError";
  constructor(
    readonly address: string,
    readonly field: string,
    readonly expected: string,
    readonly got: unknown,
  ) {
    super(`${address}: ${field}: expected ${expected}, got ${JSON.stringify(got) ?? "nothing"}`);
  }
}

export function isBlock(v: TfValue | undefined): v is TfBlock {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function resourcesOf(json: TfJson, type: string): Array<{ address: string; name: string; block: TfBlock }> {
  return Object.entries(json.resource?.[type] ?? {}).map(([name, block]) => ({ address: `${type}.${name}`, name, block }));
}
