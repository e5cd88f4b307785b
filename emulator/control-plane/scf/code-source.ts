// Function and layer code: inline (Code.ZipFile, base64) or from COS (CosBucketName without -appid + CosObjectName +
// CosBucketRegion, as the SCF Code type documents). Bytes are kept content-addressed in the state folder so the
// local data plane can run exactly what was applied.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Tc3ApiError } from "../../tc3/types";
import type { StoredCode } from "./model";

/** Reads an object from the emulated COS, if one is wired; undefined when the bucket or key does not exist. */
export type CosObjectReader = (bucketLongName: string, region: string, key: string) => Buffer | undefined | Promise<Buffer | undefined>;

export interface CodeSourceOptions {
  stateDir?: string;
  appId: string;
  /** Without it, COS code is recorded by reference only (no bytes, no zip path). */
  readCosObject?: CosObjectReader;
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const EMPTY_ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x05, 0x06]);

function str(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

export class CodeSource {
  constructor(private readonly opts: CodeSourceOptions) {}

  private keep(bytes: Buffer, source: StoredCode["source"], field: string): StoredCode {
    if (!bytes.subarray(0, 4).equals(ZIP_MAGIC) && !bytes.subarray(0, 4).equals(EMPTY_ZIP_MAGIC)) {
      throw new Tc3ApiError("InvalidParameterValue.ZipFile", `${field} is not a zip archive (it must start with PK\\x03\\x04)`);
    }
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    let zipPath: string | undefined;
    if (this.opts.stateDir) {
      const dir = join(this.opts.stateDir, "scf-code");
      mkdirSync(dir, { recursive: true });
      zipPath = join(dir, `${sha256}.zip`);
      if (!existsSync(zipPath)) writeFileSync(zipPath, bytes);
    }
    return { source, sha256, size: bytes.length, zipPath };
  }

  /**
   * Code from a Code/Content object or from UpdateFunctionCode's top-level fields. `field` names the object in
   * error messages ("Code", "Content").
   */
  async resolve(code: Record<string, unknown>, field: string): Promise<StoredCode> {
    const zip = str(code.ZipFile);
    const bucket = str(code.CosBucketName);
    const object = str(code.CosObjectName);
    const region = str(code.CosBucketRegion);
    if (zip !== undefined) {
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(zip)) throw new Tc3ApiError("InvalidParameterValue.ZipFile", `${field}.ZipFile must be base64 of a zip archive`);
      return this.keep(Buffer.from(zip, "base64"), "ZipFile", `${field}.ZipFile`);
    }
    if (bucket === undefined && object === undefined && region === undefined) {
      throw new Tc3ApiError("MissingParameter.Code", `${field} needs ZipFile, or CosBucketName + CosObjectName + CosBucketRegion`);
    }
    if (bucket === undefined) throw new Tc3ApiError("InvalidParameterValue.CosBucketName", `${field}.CosBucketName is required with CosObjectName`);
    if (object === undefined) throw new Tc3ApiError("InvalidParameterValue.CosObjectName", `${field}.CosObjectName is required with CosBucketName`);
    if (region === undefined) throw new Tc3ApiError("InvalidParameterValue.CosBucketRegion", `${field}.CosBucketRegion is required with CosBucketName`);
    // The API takes the bucket name without the -<appid> suffix and appends the account's APPID itself, so a name
    // that already carries it addresses `<name>-<appid>-<appid>`, which does not exist.
    if (bucket.endsWith(`-${this.opts.appId}`)) {
      throw new Tc3ApiError(
        "InvalidParameterValue.CosBucketName",
        `${field}.CosBucketName must be the bucket name without the -${this.opts.appId} suffix (got "${bucket}"; SCF appends the APPID itself)`,
      );
    }
    const cos = { bucket, object, region };
    if (!this.opts.readCosObject) return { source: "Cos", size: 0, cos };
    const key = object.replace(/^\//, "");
    const bytes = await this.opts.readCosObject(`${bucket}-${this.opts.appId}`, region, key);
    if (!bytes) {
      throw new Tc3ApiError("ResourceNotFound.CosObject", `COS object ${key} was not found in bucket ${bucket}-${this.opts.appId} (${region})`);
    }
    return { ...this.keep(bytes, "Cos", `${field} (cos://${bucket}-${this.opts.appId}/${key})`), cos };
  }
}
