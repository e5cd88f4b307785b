// KMS 2019-01-18 control actions (what tencentcloud_kms_key calls: CreateKey, DisableKey/EnableKey,
// EnableKeyRotation/DisableKeyRotation, ArchiveKey/CancelKeyArchive, UpdateAlias, UpdateKeyDescription, DescribeKey,
// ScheduleKeyDeletion) on the same keyring as the data-plane double (emulator/kms), so a key Terraform creates is the
// key Encrypt/Decrypt/GenerateDataKey use, and a key Terraform disables fails them with CmkDisabled. One host
// (kms.tencentcloudapi.com) and one version serve both, so this one service def carries both action sets.
import { Keyring, type KeyRecord, type KeyState } from "../../kms/keyring";
import { kmsService, type KmsService } from "../../kms/service";
import { Tc3ApiError, type Tc3Handler } from "../../tc3/types";
import { persistedState } from "../persisted-state";
import { invalid, oneOf, optInt, optObjectArray, optString, optStringArray, reqInt, reqString } from "../request-params";
import { tagResourceName, type TagControlService } from "../tag";

export interface KmsControlOptions {
  /** State folder; without it keys live in memory only. */
  stateDir?: string;
  /** Where CreateKey's Tags go and where the provider reads them back (tag.tencentcloudapi.com). */
  tags?: TagControlService;
  /** The account's UIN: CreatorUin and ResourceId (creatorUin/<uin>/<keyId>). @default "100000000001" */
  uin?: string;
  /** Clock in ms. @default Date.now */
  now?: () => number;
}

/** KMS accepts only symmetric ENCRYPT_DECRYPT keys here; the asymmetric usages are real but not modelled. */
const KEY_USAGES = ["ENCRYPT_DECRYPT"] as const;
const DAY = 86_400;

function keyMetadata(r: KeyRecord, uin: string) {
  const c = r.control;
  return {
    KeyId: r.keyId,
    Alias: r.alias ?? "",
    CreateTime: c?.createTime ?? 0,
    Description: c?.description ?? "",
    KeyState: r.state,
    KeyUsage: c?.keyUsage ?? "ENCRYPT_DECRYPT",
    // KeyMetadata.Type: 2 = FIPS 140-2 keys, the kind KMS creates by default.
    Type: 2,
    CreatorUin: Number(c?.creatorUin ?? uin),
    KeyRotationEnabled: c?.rotationEnabled ?? false,
    Owner: "user",
    NextRotateTime: c?.rotationEnabled ? c.createTime + c.rotateDays * DAY : 0,
    DeletionDate: r.state === "PendingDelete" ? (c?.deletionDate ?? 0) : 0,
    Origin: c?.origin ?? "TENCENT_KMS",
    ValidTo: 0,
    ResourceId: `creatorUin/${c?.creatorUin ?? uin}/${r.keyId}`,
    RotateDays: c?.rotationEnabled ? c.rotateDays : 0,
    LastRotateTime: 0,
    IsSyncReplica: 0,
  };
}

function checkAlias(alias: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,59}$/.test(alias)) {
    throw new Tc3ApiError("InvalidParameterValue.InvalidAlias", `Alias must be 1-60 letters, digits, _ or -, starting with a letter or digit (got ${JSON.stringify(alias)})`);
  }
  if (alias.startsWith("kms-")) throw new Tc3ApiError("InvalidParameterValue.InvalidAlias", `Alias prefix "kms-" is reserved for cloud products (got ${JSON.stringify(alias)})`);
}

function checkDescription(description: string): void {
  if (Buffer.byteLength(description) > 1024) throw invalid("Description", "at most 1024 bytes", `${Buffer.byteLength(description)} bytes`);
}

function stateError(r: KeyRecord, action: string): Tc3ApiError {
  return new Tc3ApiError("ResourceUnavailable.CmkStateNotSupport", `${action} cannot be performed on CMK ${r.keyId} in state ${r.state}`);
}

export function kmsControlService(opts: KmsControlOptions = {}): KmsService {
  const uin = opts.uin ?? "100000000001";
  const now = opts.now ?? Date.now;
  const state = persistedState<{ keys: Record<string, KeyRecord> }>(opts.stateDir, "kms", () => ({ keys: {} }));
  const keyring = new Keyring(state.data.keys, () => state.save());
  const data = kmsService({ keyring });

  /** Keys past their deletion date are gone, as in real KMS. */
  const purge = () => {
    const nowSec = Math.floor(now() / 1000);
    for (const r of Object.values(keyring.records)) {
      if (r.state === "PendingDelete" && (r.control?.deletionDate ?? Infinity) <= nowSec) {
        keyring.remove(r.keyId);
      }
    }
  };
  const existing = (p: Record<string, unknown>): KeyRecord => {
    const keyId = reqString(p, "KeyId");
    const r = keyring.record(keyId);
    if (!r) throw new Tc3ApiError("ResourceUnavailable.CmkNotFound", `The CMK ${keyId} does not exist`);
    return r;
  };
  const aliasFree = (alias: string, except?: string) => {
    const holder = keyring.keyIdOf(alias);
    if (holder && holder !== except) throw new Tc3ApiError("InvalidParameterValue.AliasAlreadyExists", `Alias ${JSON.stringify(alias)} is already used by CMK ${holder}`);
  };
  const transition = (p: Record<string, unknown>, action: string, from: readonly KeyState[], to: KeyState) => {
    const r = existing(p);
    if (r.state === to) return {};
    if (!from.includes(r.state)) throw stateError(r, action);
    keyring.update(r.keyId, (k) => {
      k.state = to;
    });
    return {};
  };
  const control = (r: KeyRecord) => {
    r.control ??= { description: "", keyUsage: "ENCRYPT_DECRYPT", origin: "TENCENT_KMS", createTime: Math.floor(now() / 1000), rotationEnabled: false, rotateDays: 365, creatorUin: uin };
    return r.control;
  };

  const actions: Record<string, Tc3Handler> = {
    CreateKey: (p, ctx) => {
      const alias = reqString(p, "Alias");
      checkAlias(alias);
      const description = optString(p, "Description") ?? "";
      checkDescription(description);
      const keyUsage = oneOf("KeyUsage", optString(p, "KeyUsage") ?? "ENCRYPT_DECRYPT", KEY_USAGES, "InvalidParameterValue.InvalidKeyUsage");
      const type = optInt(p, "Type") ?? 1;
      if (type !== 1 && type !== 2) throw invalid("Type", "1 (KMS creates the material) or 2 (EXTERNAL, material imported)", type, "InvalidParameterValue.InvalidType");
      const hsm = optString(p, "HsmClusterId");
      if (hsm) throw new Tc3ApiError("InvalidParameterValue.InvalidHsmClusterId", `HsmClusterId ${hsm} does not exist (this account has no KMS exclusive edition)`);
      const tags = optObjectArray(p, "Tags") ?? [];
      aliasFree(alias);
      const createTime = Math.floor(now() / 1000);
      const keyId = keyring.createKey(alias);
      const origin = type === 2 ? "EXTERNAL" : "TENCENT_KMS";
      keyring.update(keyId, (r) => {
        r.state = type === 2 ? "PendingImport" : "Enabled";
        r.control = { description, keyUsage, origin, createTime, rotationEnabled: false, rotateDays: 365, creatorUin: uin };
      });
      if (tags.length > 0 && opts.tags) {
        const replace = Object.fromEntries(tags.map((t) => [String(t.TagKey ?? ""), String(t.TagValue ?? "")]));
        opts.tags.modify(tagResourceName("kms", "key", ctx.region ?? "", `creatorUin/${uin}/${keyId}`), replace);
      }
      const r = keyring.record(keyId) as KeyRecord;
      return { KeyId: keyId, Alias: alias, CreateTime: createTime, Description: description, KeyState: r.state, KeyUsage: keyUsage, TagCode: 0, TagMsg: "" };
    },
    DescribeKey: (p) => ({ KeyMetadata: keyMetadata(existing(p), uin) }),
    DescribeKeys: (p) => {
      const ids = optStringArray(p, "KeyIds");
      if (!ids || ids.length === 0) throw new Tc3ApiError("MissingParameter", "The request is missing a required parameter `KeyIds`");
      if (ids.length > 100) throw invalid("KeyIds", "at most 100 ids", ids.length);
      return { KeyMetadatas: ids.flatMap((id) => (keyring.record(id) ? [keyMetadata(keyring.record(id) as KeyRecord, uin)] : [])) };
    },
    ListKeys: (p) => {
      const offset = optInt(p, "Offset") ?? 0;
      const limit = optInt(p, "Limit") ?? 10;
      const all = Object.values(keyring.records);
      return { Keys: all.slice(offset, offset + limit).map((r) => ({ KeyId: r.keyId })), TotalCount: all.length };
    },
    EnableKey: (p) => transition(p, "EnableKey", ["Disabled"], "Enabled"),
    DisableKey: (p) => transition(p, "DisableKey", ["Enabled"], "Disabled"),
    ArchiveKey: (p) => transition(p, "ArchiveKey", ["Enabled", "Disabled"], "Archived"),
    CancelKeyArchive: (p) => transition(p, "CancelKeyArchive", ["Archived"], "Enabled"),
    EnableKeyRotation: (p) => {
      const r = existing(p);
      const days = optInt(p, "RotateDays") ?? 365;
      if (days < 7 || days > 365) throw invalid("RotateDays", "7..365", days, "InvalidParameterValue");
      const c = control(r);
      if (c.origin === "EXTERNAL") throw new Tc3ApiError("UnsupportedOperation.ExternalCmkCanNotRotate", `CMK ${r.keyId} has imported (EXTERNAL) material and cannot rotate`);
      // Documented: CmkStateNotSupport. Which states: assumed PendingDelete and PendingImport; a Disabled key is
      // accepted (the provider enables rotation right after disabling a key whose is_enabled is false).
      if (r.state === "PendingDelete" || r.state === "PendingImport") throw stateError(r, "EnableKeyRotation");
      keyring.update(r.keyId, () => {
        c.rotationEnabled = true;
        c.rotateDays = days;
      });
      return {};
    },
    DisableKeyRotation: (p) => {
      const r = existing(p);
      const c = control(r);
      keyring.update(r.keyId, () => {
        c.rotationEnabled = false;
      });
      return {};
    },
    GetKeyRotationStatus: (p) => {
      const r = existing(p);
      const m = keyMetadata(r, uin);
      return { KeyRotationEnabled: m.KeyRotationEnabled, NextRotateTime: m.NextRotateTime, RotateDays: m.RotateDays, LastRotateTime: 0 };
    },
    UpdateAlias: (p) => {
      const alias = reqString(p, "Alias");
      checkAlias(alias);
      const r = existing(p);
      aliasFree(alias, r.keyId);
      keyring.update(r.keyId, (k) => {
        k.alias = alias;
      });
      return {};
    },
    UpdateKeyDescription: (p) => {
      const description = reqString(p, "Description");
      checkDescription(description);
      const r = existing(p);
      const c = control(r);
      keyring.update(r.keyId, () => {
        c.description = description;
      });
      return {};
    },
    ScheduleKeyDeletion: (p) => {
      const r = existing(p);
      const days = reqInt(p, "PendingWindowInDays");
      if (days < 7 || days > 30) throw invalid("PendingWindowInDays", "7..30", days, "InvalidParameter.InvalidPendingWindowInDays");
      if (r.state === "Enabled" || r.state === "Archived") {
        throw new Tc3ApiError("ResourceUnavailable.CmkShouldBeDisabled", `CMK ${r.keyId} is ${r.state}: disable it before scheduling its deletion`);
      }
      if (r.state === "PendingDelete") throw stateError(r, "ScheduleKeyDeletion");
      const c = control(r);
      keyring.update(r.keyId, (k) => {
        k.state = "PendingDelete";
        c.deletionDate = Math.floor(now() / 1000) + days * DAY;
        c.pendingWindowInDays = days;
      });
      return { KeyId: r.keyId };
    },
    CancelKeyDeletion: (p) => {
      const r = existing(p);
      if (r.state !== "PendingDelete") throw new Tc3ApiError("ResourceUnavailable.CmkNotPendingDelete", `CMK ${r.keyId} is ${r.state}, not PendingDelete`);
      keyring.update(r.keyId, (k) => {
        // Assumed (as in every KMS): a key whose deletion is cancelled comes back disabled.
        k.state = "Disabled";
        delete control(k).deletionDate;
      });
      return { KeyId: r.keyId };
    },
  };

  const all: Record<string, Tc3Handler> = { ...data.actions, ...actions };
  const withPurge: Record<string, Tc3Handler> = Object.fromEntries(
    Object.entries(all).map(([name, handler]) => [
      name,
      (p: Record<string, unknown>, ctx: Parameters<Tc3Handler>[1]) => {
        purge();
        return handler(p, ctx);
      },
    ]),
  );
  return { ...data, actions: withPurge };
}

/** The keys the local cloud's data plane knows by id and alias (LocalDeployment.kmsKeys); their state decides what Encrypt/Decrypt answer. */
export function localKmsKeys(kms: KmsService): Array<{ keyId: string; alias?: string }> {
  return Object.values(kms.keyring.records).map((r) => ({ keyId: r.keyId, alias: r.alias }));
}
