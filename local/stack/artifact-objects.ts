// Where the local cloud finds the code a stack takes from the artifact bucket. The publish step uploads
// `<kind>/<sha256>.zip` from the local artifact store to COS; locally the store itself plays that bucket, so the
// zip a function runs is exactly the one `npm run publish` would upload (matched by its full SHA-256).
import { join } from "node:path";
import { ArtifactStore } from "../../infra/artifacts/artifact-store";

/** Resolves a COS object key of the artifact bucket to a local zip path, or explains why it cannot. */
export type ArtifactObjectResolver = (bucket: string, key: string) => string;

const OBJECT_KEY = /^(recorder-bundle|ffmpeg-layer)\/([0-9a-f]{64})\.zip$/;

export function storeArtifactResolver(artifactsDir: string): ArtifactObjectResolver {
  const store = new ArtifactStore(artifactsDir);
  return (bucket, key) => {
    const m = OBJECT_KEY.exec(key);
    if (!m) throw new Error(`artifact bucket ${bucket}: object ${JSON.stringify(key)} is not <kind>/<sha256>.zip, which is all the publish step writes`);
    const rec = Object.values(store.readManifest().artifacts).find((a) => a.kind === m[1] && a.sha256 === m[2]);
    const path = rec && store.find(rec.kind, rec.hash) ? join(store.dir, rec.file) : undefined;
    if (!path) throw new Error(`artifact bucket ${bucket}: ${key} was never published from ${artifactsDir} (run \`npm run build\`)`);
    return path;
  };
}
