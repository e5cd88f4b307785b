// Attributes Terraform only knows after apply (ids, versions). Locally there is no apply, so each gets a stable
// value derived from the resource address: the same stack always deploys with the same ids, and two resources never
// share one. Only attributes listed here exist; anything else a stack references fails loudly in references.ts.
import { createHash } from "node:crypto";
import type { TfValue } from "./tf-json";

function hex(address: string, length: number): string {
  return createHash("sha256").update(address).digest("hex").slice(0, length);
}

/** KMS KeyIds are UUIDs. */
function uuidOf(address: string): string {
  const h = hex(address, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const prefixed = (prefix: string) => (address: string) => `${prefix}-${hex(address, 8)}`;

const COMPUTED: Record<string, Record<string, (address: string) => TfValue>> = {
  tencentcloud_kms_key: { id: uuidOf, key_id: uuidOf },
  // id is CreateCfsFileSystem's FileSystemId (cfs-…); fs_id is the mount target's FSID, the NFS root id (no cfs- prefix),
  // which SCF's CfsConfig does not accept (resource_tc_cfs_file_system.go reads it from DescribeMountTargets).
  tencentcloud_cfs_file_system: { fs_id: (address) => hex(address, 8), id: prefixed("cfs") },
  tencentcloud_cfs_access_group: { id: prefixed("pgroup") },
  // A fresh layer and a fresh function version are number 1.
  tencentcloud_scf_layer: { layer_version: () => 1 },
  tencentcloud_scf_function_version: { function_version: () => "1" },
  tencentcloud_api_gateway_service: { id: prefixed("service") },
  tencentcloud_vpc: { id: prefixed("vpc") },
  tencentcloud_subnet: { id: prefixed("subnet") },
  tencentcloud_cls_logset: { id: uuidOf },
  tencentcloud_cls_topic: { id: uuidOf },
  tencentcloud_cam_role: { id: () => "4611686018427397919" },
};

/** The local value of a computed attribute, or undefined when the local cloud does not model it. */
export function computedAttribute(type: string, name: string, attribute: string): TfValue | undefined {
  const make = COMPUTED[type]?.[attribute];
  return make ? make(`${type}.${name}.${attribute}`) : undefined;
}
