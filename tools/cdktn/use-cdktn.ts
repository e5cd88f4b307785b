/**
 * Runs this app on CDK Terrain (`cdktn`, the maintained fork of the archived cdktf) without touching a source file:
 * every `require("cdktf")` — ours, and the generated provider bindings' — resolves to `cdktn` instead. Both expose
 * the same API (App, TerraformStack, resources, backends, tokens), so the stacks are built by the same code.
 * Import this module first (`tsx --require ./tools/cdktn/use-cdktn.ts infra/main.ts`, see the README).
 */
import Module from "node:module";

type Resolve = (request: string, parent: unknown, isMain: boolean, options?: unknown) => string;
const mod = Module as unknown as { _resolveFilename: Resolve };
const original = mod._resolveFilename;
mod._resolveFilename = function (request, parent, isMain, options) {
  return original.call(this, request === "cdktf" ? "cdktn" : request.startsWith("cdktf/") ? `cdktn/${request.slice(6)}` : request, parent, isMain, options);
};
