// Tag 2018-08-13: the two actions the provider's TagService calls for every taggable resource
// (tencentcloud/services/tag/service_tencentcloud_tag.go: ModifyTags -> ModifyResourceTags, DescribeResourceTags ->
// DescribeResourceTagsByResourceIds). Other services that take Tags at create time record them here too, so a read
// through the tag API sees them as the real account would.
import { Tc3ApiError, type Tc3ServiceDef } from "../../tc3/types";
import { persistedState } from "../persisted-state";
import { invalid, optInt, optObjectArray, optString, optStringArray, reqString } from "../request-params";

/** Tag keys the platform keeps for itself (assumed: the console refuses these prefixes). */
const RESERVED_PREFIXES = ["qcloud:", "tencent:", "project"];
const MAX_TAGS_PER_RESOURCE = 50;

export interface TagControlService extends Tc3ServiceDef {
  /** Tags of a six-segment resource name, e.g. `qcs::kms:ap-guangzhou:uin/:key/creatorUin/1/<id>`. */
  tagsOf(resource: string): Record<string, string>;
  /** Replaces and deletes tags of a resource as ModifyResourceTags does (validated the same way). */
  modify(resource: string, replace: Record<string, string>, deleteKeys?: string[]): void;
  /** Forgets every tag of a deleted resource. */
  forget(resource: string): void;
}

interface ParsedResource {
  service: string;
  region: string;
  prefix: string;
  id: string;
}

/** `qcs::<service>:<region>:<uin|uid>/<account>:<prefix>/<id>`; the id may itself contain "/". */
export function parseResourceName(resource: string): ParsedResource | undefined {
  const m = /^qcs::([a-z0-9_-]+):([a-z0-9-]*):[a-z]+\/[^:]*:([^/]+)\/(.+)$/.exec(resource);
  return m ? { service: m[1], region: m[2], prefix: m[3], id: m[4] } : undefined;
}

/** The resource name the provider builds (tccommon.BuildTagResourceName). */
export function tagResourceName(service: string, prefix: string, region: string, id: string): string {
  return service === "cos" ? `qcs::${service}:${region}:uid/:${prefix}/${id}` : `qcs::${service}:${region}:uin/:${prefix}/${id}`;
}

function checkTag(key: string, value: string | undefined): void {
  if (key === "") throw new Tc3ApiError("InvalidParameterValue.TagKeyEmpty", "TagKey must not be empty");
  if (key.length > 127) throw new Tc3ApiError("InvalidParameterValue.TagKeyLengthExceeded", `TagKey must be at most 127 characters (got ${key.length})`);
  if (RESERVED_PREFIXES.some((p) => key.toLowerCase().startsWith(p))) {
    throw new Tc3ApiError("InvalidParameter.ReservedTagKey", `TagKey "${key}" uses a reserved prefix (${RESERVED_PREFIXES.join(", ")})`);
  }
  if (value !== undefined && value.length > 255) {
    throw new Tc3ApiError("InvalidParameterValue.TagValueLengthExceeded", `TagValue of "${key}" must be at most 255 characters (got ${value.length})`);
  }
}

export function tagControlService(opts: { stateDir?: string } = {}): TagControlService {
  const state = persistedState<{ resources: Record<string, Record<string, string>> }>(opts.stateDir, "tag", () => ({ resources: {} }));
  const resources = state.data.resources;

  const modify = (resource: string, replace: Record<string, string>, deleteKeys: string[] = []) => {
    if (!parseResourceName(resource)) {
      throw new Tc3ApiError("InvalidParameterValue.ResourceDescriptionError", `Resource must be a six-segment name qcs::<service>:<region>:uin/<account>:<type>/<id> (got ${JSON.stringify(resource)})`);
    }
    for (const [k, v] of Object.entries(replace)) checkTag(k, v);
    for (const k of deleteKeys) {
      if (Object.hasOwn(replace, k)) throw new Tc3ApiError("InvalidParameterValue.DeleteTagsParamError", `TagKey "${k}" is both in ReplaceTags and DeleteTags`);
    }
    const next = { ...(resources[resource] ?? {}), ...replace };
    for (const k of deleteKeys) delete next[k];
    if (Object.keys(next).length > MAX_TAGS_PER_RESOURCE) {
      throw new Tc3ApiError("LimitExceeded.ResourceAttachedTags", `A resource carries at most ${MAX_TAGS_PER_RESOURCE} tags (would have ${Object.keys(next).length})`);
    }
    if (Object.keys(next).length === 0) delete resources[resource];
    else resources[resource] = next;
    state.save();
  };

  return {
    service: "tag",
    version: "2018-08-13",
    tagsOf: (resource) => ({ ...(resources[resource] ?? {}) }),
    modify,
    forget(resource) {
      if (!resources[resource]) return;
      delete resources[resource];
      state.save();
    },
    actions: {
      ModifyResourceTags: (p) => {
        const resource = reqString(p, "Resource");
        const replace: Record<string, string> = {};
        for (const t of optObjectArray(p, "ReplaceTags") ?? []) {
          if (typeof t.TagKey !== "string" || typeof t.TagValue !== "string") throw invalid("ReplaceTags[]", "{TagKey: string, TagValue: string}", t, "InvalidParameter.Tag");
          replace[t.TagKey] = t.TagValue;
        }
        const deleteKeys = (optObjectArray(p, "DeleteTags") ?? []).map((t) => {
          if (typeof t.TagKey !== "string") throw invalid("DeleteTags[]", "{TagKey: string}", t, "InvalidParameterValue.DeleteTagsParamError");
          return t.TagKey;
        });
        modify(resource, replace, deleteKeys);
        return {};
      },
      DescribeResourceTagsByResourceIds: (p) => {
        const serviceType = reqString(p, "ServiceType");
        const prefix = reqString(p, "ResourcePrefix");
        // Global services (CAM) are tagged with an empty region, and the provider asks with ResourceRegion "".
        const region = optString(p, "ResourceRegion") ?? "";
        const ids = optStringArray(p, "ResourceIds");
        if (!ids || ids.length === 0) throw invalid("ResourceIds", "a non-empty array of resource ids", ids, "InvalidParameterValue.ResourceIdInvalid");
        const offset = optInt(p, "Offset") ?? 0;
        const limit = optInt(p, "Limit") ?? 15;
        const rows: Array<{ TagKey: string; TagValue: string; ResourceId: string; Category: string }> = [];
        for (const [name, tags] of Object.entries(resources)) {
          const r = parseResourceName(name);
          if (!r || r.service !== serviceType || r.prefix !== prefix || r.region !== region || !ids.includes(r.id)) continue;
          for (const [k, v] of Object.entries(tags)) rows.push({ TagKey: k, TagValue: v, ResourceId: r.id, Category: "Custom" });
        }
        return { TotalCount: rows.length, Offset: offset, Limit: limit, Tags: rows.slice(offset, offset + limit) };
      },
    },
  };
}
