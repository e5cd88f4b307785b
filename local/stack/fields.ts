// Typed reads of one resolved Terraform block; a wrong or missing field is a StackShapeError naming the address.
import { isBlock, StackShapeError, type TfBlock, type TfValue } from "./tf-json";

export class Fields {
  constructor(
    readonly address: string,
    readonly block: TfBlock,
  ) {}

  string(field: string, fallback?: string): string {
    const v = this.block[field];
    if (v === undefined && fallback !== undefined) return fallback;
    if (typeof v !== "string") throw new StackShapeError(this.address, field, "a string", v);
    return v;
  }

  optionalString(field: string): string | undefined {
    const v = this.block[field];
    if (v === undefined) return undefined;
    if (typeof v !== "string") throw new StackShapeError(this.address, field, "a string", v);
    return v;
  }

  number(field: string, fallback?: number): number {
    const v = this.block[field];
    if (v === undefined && fallback !== undefined) return fallback;
    // Terraform JSON accepts numbers written as strings.
    const n = typeof v === "string" && /^\d+$/.test(v) ? Number(v) : v;
    if (typeof n !== "number" || !Number.isFinite(n)) throw new StackShapeError(this.address, field, "a number", v);
    return n;
  }

  boolean(field: string, fallback: boolean): boolean {
    const v = this.block[field];
    if (v === undefined) return fallback;
    if (typeof v === "boolean") return v;
    if (v === "true" || v === "TRUE") return true;
    if (v === "false" || v === "FALSE") return false;
    throw new StackShapeError(this.address, field, "a boolean", v);
  }

  stringMap(field: string): Record<string, string> {
    const v = this.block[field];
    if (v === undefined) return {};
    if (!isBlock(v)) throw new StackShapeError(this.address, field, "a map of strings", v);
    const out: Record<string, string> = {};
    for (const [k, val] of Object.entries(v)) {
      if (typeof val !== "string") throw new StackShapeError(this.address, `${field}.${k}`, "a string", val);
      out[k] = val;
    }
    return out;
  }

  /** A nested block list (Terraform JSON writes a single nested block as an object or a one-element list). */
  blocks(field: string): Fields[] {
    const v: TfValue | undefined = this.block[field];
    if (v === undefined || v === null) return [];
    const list = Array.isArray(v) ? v : [v];
    return list.map((item, i) => {
      if (!isBlock(item)) throw new StackShapeError(this.address, `${field}[${i}]`, "a block", item);
      return new Fields(`${this.address}.${field}[${i}]`, item);
    });
  }
}
