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
 * Packages the SDKs pull in for code paths we never run on Node ≥ 18 (node-fetch's whatwg-url fallback for the URL
 * global; form-data's mime database for multipart form uploads). Replacing them with tiny shims keeps the bundle small.
 */
export const unusedDependencyShims: Plugin = {
  name: "unused-dependency-shims",
  setup(b) {
    b.onResolve({ filter: /^whatwg-url$/ }, () => ({ path: "whatwg-url", namespace: "shim" }));
    b.onResolve({ filter: /^mime-db$/ }, () => ({ path: "mime-db", namespace: "shim" }));
    b.onLoad({ filter: /^whatwg-url$/, namespace: "shim" }, () => ({
      contents: "module.exports = { URL: globalThis.URL, URLSearchParams: globalThis.URLSearchParams };",
      loader: "js",
    }));
    b.onLoad({ filter: /^mime-db$/, namespace: "shim" }, () => ({
      // mime-types derives lookups from this table; the recorder always sets Content-Type itself.
      contents:
        'module.exports = { "application/json": { extensions: ["json"] }, "audio/mpeg": { extensions: ["mp3"] }, "video/mp4": { extensions: ["mp4"] }, "application/xml": { extensions: ["xml"] }, "application/octet-stream": { extensions: ["bin"] } };',
      loader: "js",
    }));
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
