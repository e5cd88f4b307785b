/**
 * Construction-time prop validation. Every error names the construct, the prop, the rule and the value, e.g.
 * `RecorderFunction: props.recorderTimeoutSeconds must be 1..900 (the provider refuses more) (got 86400)`.
 */
export class PropError extends Error {
  constructor(
    readonly construct: string,
    readonly prop: string,
    readonly rule: string,
    readonly value: unknown,
  ) {
    super(`${construct}: props.${prop} must be ${rule} (got ${JSON.stringify(value) ?? "undefined"})`);
    this.name = "PropError";
  }
}

export class PropChecker {
  constructor(private readonly construct: string) {}

  check(ok: boolean, prop: string, rule: string, value: unknown): void {
    if (!ok) throw new PropError(this.construct, prop, rule, value);
  }

  intRange(value: number, prop: string, min: number, max: number, why = ""): void {
    this.check(Number.isInteger(value) && value >= min && value <= max, prop, `an integer ${min}..${max}${why ? ` (${why})` : ""}`, value);
  }

  matches(value: string, prop: string, pattern: RegExp, rule: string): void {
    this.check(typeof value === "string" && pattern.test(value), prop, rule, value);
  }
}

/** Names of SCF functions, layers and similar: the provider's rule for scf_function.name. */
export const SCF_NAME = /^[A-Za-z](?:[A-Za-z0-9_:-]{0,58}[A-Za-z0-9:])?$/;
