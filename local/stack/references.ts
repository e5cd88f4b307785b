// A tiny evaluator for the `${...}` references cdktf writes into cdk.tf.json. It knows exactly two forms —
// `<resource_type>.<name>.<attribute>` and `data.tencentcloud_user_info.<name>.<attribute>` — because those are
// all the stack uses where the local cloud reads it. Anything else (functions, indexes, other data sources) throws
// an UnresolvableReference naming where it was found, instead of running something that was never synthesized.
import { computedAttribute } from "./computed-attributes";
import { isBlock, type TfJson, type TfValue } from "./tf-json";

export interface LocalAccount {
  /** APPID (bucket-name suffix). */
  appId: string;
  /** Owner UIN. */
  uin: string;
}

export class UnresolvableReference extends Error {
  override name = "UnresolvableReference";
  constructor(
    readonly where: string,
    readonly expression: string,
    readonly reason: string,
  ) {
    super(`${where}: cannot resolve \${${expression}}: ${reason}`);
  }
}

const REFERENCE = /^(data\.)?([a-z][a-z0-9_]*)\.([A-Za-z0-9_-]+)\.([a-z][a-z0-9_]*)$/;
const USER_INFO: Record<string, keyof LocalAccount> = { app_id: "appId", owner_uin: "uin", uin: "uin" };
const MAX_DEPTH = 16;

export class ReferenceResolver {
  constructor(
    private readonly json: TfJson,
    private readonly account: LocalAccount,
  ) {}

  /** `value` with every reference replaced, recursively through arrays and objects (cdktf's "//" metadata dropped). */
  resolve(value: TfValue, where: string, depth = 0): TfValue {
    if (depth > MAX_DEPTH) throw new UnresolvableReference(where, "…", "references nest too deeply (a cycle?)");
    if (typeof value === "string") return this.resolveString(value, where, depth);
    if (Array.isArray(value)) return value.map((v, i) => this.resolve(v, `${where}[${i}]`, depth));
    if (isBlock(value)) {
      const out: Record<string, TfValue> = {};
      for (const [k, v] of Object.entries(value)) if (k !== "//") out[k] = this.resolve(v, `${where}.${k}`, depth);
      return out;
    }
    return value;
  }

  private resolveString(text: string, where: string, depth: number): TfValue {
    // A whole-string reference keeps the referenced type (layer_version is a number); embedded ones interpolate.
    const whole = /^\$\{([^}]*)\}$/.exec(text);
    if (whole) return this.lookup(whole[1], where, depth);
    // "$${" is Terraform's escape for a literal "${".
    return text.replace(/\$?\$\{([^}]*)\}/g, (match, expr: string) => {
      if (match.startsWith("$$")) return match.slice(1);
      const v = this.lookup(expr, where, depth);
      if (typeof v === "object" && v !== null) throw new UnresolvableReference(where, expr, "an object cannot be interpolated into a string");
      return String(v);
    });
  }

  private lookup(expression: string, where: string, depth: number): TfValue {
    const m = REFERENCE.exec(expression.trim());
    if (!m) throw new UnresolvableReference(where, expression, "only <type>.<name>.<attribute> references are modelled locally");
    const [, data, type, name, attribute] = m;
    if (data) {
      if (type !== "tencentcloud_user_info") throw new UnresolvableReference(where, expression, `data source ${type} is not modelled locally`);
      if (!this.json.data?.[type]?.[name]) throw new UnresolvableReference(where, expression, `no data.${type}.${name} in the stack`);
      const field = USER_INFO[attribute];
      if (!field) throw new UnresolvableReference(where, expression, `tencentcloud_user_info has no modelled attribute ${attribute} (known: ${Object.keys(USER_INFO).join(", ")})`);
      return this.account[field];
    }
    const block = this.json.resource?.[type]?.[name];
    if (!block) throw new UnresolvableReference(where, expression, `no resource ${type}.${name} in the stack`);
    const configured = block[attribute];
    if (configured !== undefined && attribute !== "//") return this.resolve(configured, `${type}.${name}.${attribute}`, depth + 1);
    const computed = computedAttribute(type, name, attribute);
    if (computed === undefined) {
      throw new UnresolvableReference(where, expression, `${type}.${attribute} is neither configured nor a computed attribute the local cloud models`);
    }
    return computed;
  }
}
