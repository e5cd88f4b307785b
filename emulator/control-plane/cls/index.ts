// CLS 2020-10-16: logsets and topics as tencentcloud_cls_logset / tencentcloud_cls_topic use them (provider v1.83.25,
// services/cls/resource_tc_cls_{logset,topic}.go): CreateLogset/DescribeLogsets/ModifyLogset/DeleteLogset and
// CreateTopic/DescribeTopics/ModifyTopic/DeleteTopic, filtered by {Key, Values} as the provider sends them. Tags of
// both live in the shared tag store (the provider reads logset tags through the tag API and topic tags from
// DescribeTopics). Log ingestion and search are not modelled.
import { randomUUID } from "node:crypto";
import { Tc3ApiError, type Tc3Handler, type Tc3ServiceDef } from "../../tc3/types";
import { persistedState } from "../persisted-state";
import { beijingTime, invalid, oneOf, optBool, optInt, optObjectArray, optString, reqString } from "../request-params";
import { tagResourceName, type TagControlService } from "../tag";

export interface ClsControlOptions {
  stateDir?: string;
  tags?: TagControlService;
  now?: () => number;
}

interface LogsetRecord {
  logsetId: string;
  logsetName: string;
  createTime: string;
  region: string;
}

interface TopicRecord {
  topicId: string;
  logsetId: string;
  topicName: string;
  partitionCount: number;
  autoSplit: boolean;
  maxSplitPartitions: number;
  storageType: "hot" | "cold";
  /** Days; 3640 = kept forever. */
  period: number;
  hotPeriod: number;
  describes: string;
  isWebTracking: boolean;
  bizType: number;
  status: boolean;
  createTime: string;
  region: string;
}

interface ClsState {
  logsets: Record<string, LogsetRecord>;
  topics: Record<string, TopicRecord>;
}

/** CLS keeps logs 1..3600 days (cold storage 7..3600), or 3640 = permanently (cls_models.d.ts CreateTopicRequest.Period). */
function checkPeriod(period: number, storageType: string): void {
  const min = storageType === "cold" ? 7 : 1;
  if (!(period >= min && period <= 3600) && period !== 3640) {
    throw new Tc3ApiError("FailedOperation.InvalidPeriod", `Period must be ${min}..3600 days or 3640 (permanent) for ${storageType} storage (got ${period})`);
  }
}

function tagPairs(p: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries((optObjectArray(p, "Tags") ?? []).map((t) => [String(t.Key ?? ""), String(t.Value ?? "")]));
}

/** Matches the CLS Filters array ({Key, Values}); each key lists the record field it compares. */
function matches(filters: Record<string, unknown>[], fields: Record<string, string>): boolean {
  return filters.every((f) => {
    const key = String(f.Key ?? "");
    if (!Object.hasOwn(fields, key)) throw invalid("Filters[].Key", `one of ${Object.keys(fields).join(", ")}`, key, "InvalidParameterValue");
    const values = Array.isArray(f.Values) ? f.Values.map(String) : [];
    return values.includes(fields[key]);
  });
}

export function clsControlService(opts: ClsControlOptions = {}): Tc3ServiceDef {
  const now = opts.now ?? Date.now;
  const state = persistedState<ClsState>(opts.stateDir, "cls", () => ({ logsets: {}, topics: {} }));
  const data = state.data;
  const save = () => state.save();
  const logsetTags = (l: LogsetRecord) => tagResourceName("cls", "logset", l.region, l.logsetId);
  const topicTags = (t: TopicRecord) => tagResourceName("cls", "topic", t.region, t.topicId);
  const tagList = (resource: string) => Object.entries(opts.tags?.tagsOf(resource) ?? {}).map(([Key, Value]) => ({ Key, Value }));

  const logset = (id: string): LogsetRecord => {
    const l = Object.hasOwn(data.logsets, id) ? data.logsets[id] : undefined;
    if (!l) throw new Tc3ApiError("ResourceNotFound.LogsetNotExist", `Logset ${id} does not exist`);
    return l;
  };
  const topic = (id: string): TopicRecord => {
    const t = Object.hasOwn(data.topics, id) ? data.topics[id] : undefined;
    if (!t) throw new Tc3ApiError("ResourceNotFound.TopicNotExist", `Topic ${id} does not exist`);
    return t;
  };
  const topicInfo = (t: TopicRecord) => ({
    LogsetId: t.logsetId,
    TopicId: t.topicId,
    TopicName: t.topicName,
    PartitionCount: t.partitionCount,
    Index: false,
    CreateTime: t.createTime,
    Status: t.status,
    Tags: tagList(topicTags(t)),
    AutoSplit: t.autoSplit,
    MaxSplitPartitions: t.maxSplitPartitions,
    StorageType: t.storageType,
    Period: t.period,
    Describes: t.describes,
    HotPeriod: t.hotPeriod,
    KeyId: "",
    BizType: t.bizType,
    IsWebTracking: t.isWebTracking,
    IsSourceFrom: false,
  });
  const applyTopicFields = (t: TopicRecord, p: Record<string, unknown>) => {
    const period = optInt(p, "Period");
    if (period !== undefined) {
      checkPeriod(period, t.storageType);
      t.period = period;
    }
    const hot = optInt(p, "HotPeriod");
    if (hot !== undefined) t.hotPeriod = hot;
    if (t.hotPeriod !== 0 && (t.hotPeriod < 7 || t.hotPeriod >= t.period)) {
      throw invalid("HotPeriod", `0 (off) or 7..Period-1 (${t.period - 1})`, t.hotPeriod, "InvalidParameter");
    }
    const autoSplit = optBool(p, "AutoSplit");
    if (autoSplit !== undefined) t.autoSplit = autoSplit;
    const maxSplit = optInt(p, "MaxSplitPartitions");
    if (maxSplit !== undefined) {
      if (maxSplit < 1 || maxSplit > 50) throw invalid("MaxSplitPartitions", "1..50", maxSplit, "InvalidParameter");
      t.maxSplitPartitions = maxSplit;
    }
    const describes = optString(p, "Describes");
    if (describes !== undefined) t.describes = describes;
    const web = optBool(p, "IsWebTracking");
    if (web !== undefined) t.isWebTracking = web;
    const status = optBool(p, "Status");
    if (status !== undefined) t.status = status;
  };

  const actions: Record<string, Tc3Handler> = {
    CreateLogset: (p, ctx) => {
      const logsetName = reqString(p, "LogsetName");
      if (logsetName.length > 255) throw invalid("LogsetName", "at most 255 characters", logsetName.length);
      if (Object.values(data.logsets).some((l) => l.logsetName === logsetName)) throw new Tc3ApiError("InvalidParameter.LogsetConflict", `A logset named ${logsetName} already exists`);
      const l: LogsetRecord = { logsetId: randomUUID(), logsetName, createTime: beijingTime(now()), region: ctx.region ?? "ap-guangzhou" };
      data.logsets[l.logsetId] = l;
      const tags = tagPairs(p);
      if (Object.keys(tags).length > 0) opts.tags?.modify(logsetTags(l), tags);
      save();
      return { LogsetId: l.logsetId };
    },
    DescribeLogsets: (p) => {
      const filters = optObjectArray(p, "Filters") ?? [];
      const all = Object.values(data.logsets).filter((l) => matches(filters, { logsetId: l.logsetId, logsetName: l.logsetName }));
      const offset = optInt(p, "Offset") ?? 0;
      const limit = optInt(p, "Limit") ?? 20;
      return {
        TotalCount: all.length,
        Logsets: all.slice(offset, offset + limit).map((l) => ({
          LogsetId: l.logsetId,
          LogsetName: l.logsetName,
          CreateTime: l.createTime,
          Tags: tagList(logsetTags(l)),
          TopicCount: Object.values(data.topics).filter((t) => t.logsetId === l.logsetId).length,
          RoleName: "",
        })),
      };
    },
    ModifyLogset: (p) => {
      const l = logset(reqString(p, "LogsetId"));
      const name = optString(p, "LogsetName");
      if (name !== undefined) {
        if (Object.values(data.logsets).some((x) => x !== l && x.logsetName === name)) throw new Tc3ApiError("InvalidParameter.LogsetConflict", `A logset named ${name} already exists`);
        l.logsetName = name;
      }
      save();
      return {};
    },
    DeleteLogset: (p) => {
      const l = logset(reqString(p, "LogsetId"));
      const topics = Object.values(data.topics).filter((t) => t.logsetId === l.logsetId);
      if (topics.length > 0) throw new Tc3ApiError("FailedOperation.LogsetNotEmpty", `Logset ${l.logsetId} still has ${topics.length} topic(s): delete them first`);
      delete data.logsets[l.logsetId];
      opts.tags?.forget(logsetTags(l));
      save();
      return {};
    },
    CreateTopic: (p, ctx) => {
      const l = logset(reqString(p, "LogsetId"));
      const topicName = reqString(p, "TopicName");
      if (Object.values(data.topics).some((t) => t.logsetId === l.logsetId && t.topicName === topicName)) {
        throw new Tc3ApiError("InvalidParameter.TopicConflict", `Logset ${l.logsetId} already has a topic named ${topicName}`);
      }
      const partitionCount = optInt(p, "PartitionCount") ?? 1;
      if (partitionCount < 1 || partitionCount > 10) throw invalid("PartitionCount", "1..10", partitionCount, "InvalidParameter");
      const storageType = oneOf("StorageType", optString(p, "StorageType") ?? "hot", ["hot", "cold"] as const, "InvalidParameter");
      const bizType = optInt(p, "BizType") ?? 0;
      if (bizType !== 0 && bizType !== 1) throw invalid("BizType", "0 (logs) or 1 (metrics)", bizType, "InvalidParameter");
      if (optInt(p, "Encryption") === 1) throw new Tc3ApiError("UnsupportedOperation", "topic encryption is not modelled by this emulator");
      const t: TopicRecord = {
        topicId: randomUUID(),
        logsetId: l.logsetId,
        topicName,
        partitionCount,
        autoSplit: true,
        maxSplitPartitions: 50,
        storageType,
        period: 30,
        hotPeriod: 0,
        describes: "",
        isWebTracking: false,
        bizType,
        status: true,
        createTime: beijingTime(now()),
        region: ctx.region ?? l.region,
      };
      applyTopicFields(t, p);
      data.topics[t.topicId] = t;
      const tags = tagPairs(p);
      if (Object.keys(tags).length > 0) opts.tags?.modify(topicTags(t), tags);
      save();
      return { TopicId: t.topicId };
    },
    DescribeTopics: (p) => {
      const filters = optObjectArray(p, "Filters") ?? [];
      const all = Object.values(data.topics).filter((t) => matches(filters, { topicId: t.topicId, topicName: t.topicName, logsetId: t.logsetId, logsetName: data.logsets[t.logsetId]?.logsetName ?? "" }));
      const offset = optInt(p, "Offset") ?? 0;
      const limit = optInt(p, "Limit") ?? 20;
      return { TotalCount: all.length, Topics: all.slice(offset, offset + limit).map(topicInfo) };
    },
    ModifyTopic: (p) => {
      const t = topic(reqString(p, "TopicId"));
      const name = optString(p, "TopicName");
      if (name !== undefined) {
        if (Object.values(data.topics).some((x) => x !== t && x.logsetId === t.logsetId && x.topicName === name)) throw new Tc3ApiError("InvalidParameter.TopicConflict", `Logset ${t.logsetId} already has a topic named ${name}`);
        t.topicName = name;
      }
      const storageType = optString(p, "StorageType");
      if (storageType !== undefined && storageType !== t.storageType) throw new Tc3ApiError("InvalidParameter", `StorageType cannot change (${t.storageType} → ${storageType})`);
      applyTopicFields(t, p);
      if (p.Tags !== undefined) {
        const tags = tagPairs(p);
        const old = opts.tags?.tagsOf(topicTags(t)) ?? {};
        opts.tags?.modify(topicTags(t), tags, Object.keys(old).filter((k) => !Object.hasOwn(tags, k)));
      }
      save();
      return {};
    },
    DeleteTopic: (p) => {
      const t = topic(reqString(p, "TopicId"));
      delete data.topics[t.topicId];
      opts.tags?.forget(topicTags(t));
      save();
      return {};
    },
  };

  return { service: "cls", version: "2020-10-16", actions };
}
