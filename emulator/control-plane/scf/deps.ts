// What the SCF action handlers share: the state, the code source, the other services they consult, and the clock.
import { randomBytes } from "node:crypto";
import type { TagControlService } from "../tag";
import { beijingTime } from "../request-params";
import type { CodeSource } from "./code-source";
import type { CfsLookup, VpcLookup } from "./network-check";
import type { ScfStore } from "./store";

export interface ScfDeps {
  store: ScfStore;
  code: CodeSource;
  cfs?: CfsLookup;
  vpc?: VpcLookup;
  /** Checks a function's Role; without it any role name is taken. */
  roleExists?: (name: string) => boolean;
  tags: TagControlService;
  region: string;
  now: () => number;
  /** Public host of function URLs, e.g. "ap-guangzhou.tencentscf.com"; the URL id is prefixed to it. */
  functionUrlDomain: string;
}

export function timestamp(deps: ScfDeps): string {
  return beijingTime(deps.now());
}

/** Random lower-case id of `n` characters, the shape of SCF's lam-xxxxxxxx function ids. */
export function shortId(n = 8): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  return [...randomBytes(n)].map((b) => alphabet[b % alphabet.length]).join("");
}

/** The tag resource name the provider uses for a function (BuildTagResourceName("scf", "namespace", ...)). */
export function functionTagResource(region: string, namespace: string, name: string): string {
  return `qcs::scf:${region}:uin/:namespace/${namespace}/function/${name}`;
}
