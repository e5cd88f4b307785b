/**
 * Bundles function/ with esbuild into one CommonJS file (SCF's Node runtimes load `index.js` at the zip root) and
 * packages it deterministically. Only what the handler imports lands in the bundle; bundle size and cold start are
 * product metrics, so the SDKs are imported per service inside function/.
 */
import { build, type Plugin } from "esbuild";
import { join } from "node:path";

export interface FunctionBundleOptions {
  /** Entry file. @default function/index.ts under `root` */
  entry?: string;
  /** Repository root. */
  root: string;
  /** Minify the output. @default true */
  minify?: boolean;
  /** Extra esbuild plugins (the naive-bundle benchmark uses none of ours). */
  plugins?: Plugin[];
  /** Node target matching the SCF runtime. @default "node18" (Nodejs18.15) */
  target?: string;
}

/**
 * Packages the SDKs pull in for code paths the recorder never runs. Replacing them with tiny shims keeps the bundle
 * small (bundle size and cold start are product metrics, see bench/bundle):
 * - node-fetch's whatwg-url fallback (Node ≥ 18 has the URL global) and form-data's mime database (no form uploads);
 * - cos-nodejs-sdk-v5's fork of `request` loads cookie jars (tough-cookie + the public suffix list), HTTP-signature
 *   and AWS v4 auth (sshpk, tweetnacl, …), OAuth and HAR support eagerly; COS needs none of them. The cookie jar shim
 *   keeps no cookies (COS sets none); the others throw if ever reached, so a misuse is loud, not silent.
 */
const SHIMS: Record<string, string> = {
  "whatwg-url": "module.exports = { URL: globalThis.URL, URLSearchParams: globalThis.URLSearchParams };",
  // mime-types derives lookups from this table; the recorder always sets Content-Type itself.
  "mime-db":
    'module.exports = { "application/json": { extensions: ["json"] }, "audio/mpeg": { extensions: ["mp3"] }, "video/mp4": { extensions: ["mp4"] }, "application/xml": { extensions: ["xml"] }, "application/octet-stream": { extensions: ["bin"] } };',
  "tough-cookie":
    "class CookieJar { setCookieSync() { return undefined; } getCookieStringSync() { return ''; } getCookiesSync() { return []; } }\n" +
    "module.exports = { CookieJar, Cookie: { parse() { return undefined; } } };",
  "http-signature": "module.exports = { sign() { throw new Error('http-signature auth is not bundled'); } };",
  aws4: "module.exports = { sign() { throw new Error('aws4 signing is not bundled'); } };",
  "oauth-sign": "module.exports = { hmacsign() { throw new Error('oauth is not bundled'); }, rsasign() { throw new Error('oauth is not bundled'); }, plaintext() { throw new Error('oauth is not bundled'); }, sign() { throw new Error('oauth is not bundled'); }, rfc3986(s) { return s; } };",
  "har-validator": "module.exports = { request() { return Promise.reject(new Error('HAR is not bundled')); } };",
};

export const unusedDependencyShims: Plugin = {
  name: "unused-dependency-shims",
  setup(b) {
    const names = Object.keys(SHIMS).map((n) => n.replace(/[-/\\^$*+?.()|[\]{}]/g, "\\$&"));
    const filter = new RegExp(`^(${names.join("|")})$`);
    b.onResolve({ filter }, (args) => ({ path: args.path, namespace: "shim" }));
    b.onLoad({ filter: /.*/, namespace: "shim" }, (args) => ({ contents: SHIMS[args.path], loader: "js" }));
  },
};

export async function bundleFunction(options: FunctionBundleOptions): Promise<Buffer> {
  const result = await build({
    entryPoints: [options.entry ?? join(options.root, "function", "index.ts")],
    bundle: true,
    platform: "node",
    format: "cjs",
    target: options.target ?? "node18",
    minify: options.minify ?? true,
    write: false,
    legalComments: "none",
    // Absolute paths in the output would make the hash depend on where the repository was cloned.
    absWorkingDir: options.root,
    sourcemap: false,
    logLevel: "silent",
    plugins: options.plugins ?? [unusedDependencyShims],
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error("bundleFunction: esbuild produced no output");
  return Buffer.from(file.contents);
}
