// CLS control plane with the real cls.v20201016 client: the logset/topic calls the provider makes, the read-backs it
// compares with our config (auto_split, max_split_partitions, period, storage_type, hot_period, describes, tags),
// and the documented refusals (duplicate names, bad period, deleting a logset that still has topics).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cls } from "tencentcloud-sdk-nodejs/tencentcloud/services/cls";
import { tag } from "tencentcloud-sdk-nodejs/tencentcloud/services/tag";
import { clsControlService } from "../../../emulator/control-plane/cls";
import { tagControlService } from "../../../emulator/control-plane/tag";
import { clientOptions, codeOf, harness, REGION, type Harness } from "./services-fixture";

let h: Harness;
beforeEach(() => {
  h = harness();
});
afterEach(async () => {
  await h.close();
});

async function start() {
  const tags = tagControlService({ stateDir: h.stateDir });
  const server = await h.start([clsControlService({ stateDir: h.stateDir, tags }), tags]);
  return { c: new cls.v20201016.Client(clientOptions(server, "cls")), t: new tag.v20180813.Client(clientOptions(server, "tag")), close: () => server.close() };
}

describe("CLS control plane with the real SDK", () => {
  it("creates a logset and topic and reads them back with the provider's filters", async () => {
    const { c, t } = await start();
    const logsetId = (await c.CreateLogset({ LogsetName: "recorder-dev-logs" })).LogsetId ?? "";
    await t.ModifyResourceTags({ Resource: `qcs::cls:${REGION}:uin/:logset/${logsetId}`, ReplaceTags: [{ TagKey: "env", TagValue: "dev" }] });
    const logsets = await c.DescribeLogsets({ Filters: [{ Key: "logsetId", Values: [logsetId] }], Offset: 0, Limit: 100 });
    expect(logsets.Logsets).toEqual([expect.objectContaining({ LogsetId: logsetId, LogsetName: "recorder-dev-logs", TopicCount: 0, Tags: [{ Key: "env", Value: "dev" }] })]);

    const topicId = (await c.CreateTopic({ LogsetId: logsetId, TopicName: "recorder-dev-recorder", AutoSplit: true, MaxSplitPartitions: 10, StorageType: "hot", Period: 30, Describes: "", Tags: [{ Key: "app", Value: "rec" }] })).TopicId ?? "";
    const topics = await c.DescribeTopics({ Filters: [{ Key: "topicId", Values: [topicId] }], Offset: 0, Limit: 100 });
    expect(topics.Topics).toEqual([
      expect.objectContaining({ LogsetId: logsetId, TopicId: topicId, TopicName: "recorder-dev-recorder", PartitionCount: 1, AutoSplit: true, MaxSplitPartitions: 10, StorageType: "hot", Period: 30, HotPeriod: 0, Describes: "", IsWebTracking: false, Tags: [{ Key: "app", Value: "rec" }] }),
    ]);

    await c.ModifyTopic({ TopicId: topicId, Period: 60 });
    expect((await c.DescribeTopics({ Filters: [{ Key: "topicId", Values: [topicId] }] })).Topics?.[0].Period).toBe(60);
    expect((await c.DescribeTopics({ Filters: [{ Key: "topicId", Values: ["00000000-0000-0000-0000-000000000000"] }] })).Topics).toEqual([]);
  });

  it("refuses duplicate names, an invalid period, a storage type change, and deleting a logset that has topics", async () => {
    const { c } = await start();
    const logsetId = (await c.CreateLogset({ LogsetName: "logs" })).LogsetId ?? "";
    expect(await codeOf(c.CreateLogset({ LogsetName: "logs" }))).toBe("InvalidParameter.LogsetConflict");
    expect(await codeOf(c.CreateTopic({ LogsetId: logsetId, TopicName: "t", Period: 4000 }))).toBe("FailedOperation.InvalidPeriod");
    expect(await codeOf(c.CreateTopic({ LogsetId: "nope", TopicName: "t" }))).toBe("ResourceNotFound.LogsetNotExist");
    const topicId = (await c.CreateTopic({ LogsetId: logsetId, TopicName: "t" })).TopicId ?? "";
    expect(await codeOf(c.CreateTopic({ LogsetId: logsetId, TopicName: "t" }))).toBe("InvalidParameter.TopicConflict");
    expect(await codeOf(c.ModifyTopic({ TopicId: topicId, StorageType: "cold" }))).toBe("InvalidParameter");
    expect(await codeOf(c.DeleteLogset({ LogsetId: logsetId }))).toBe("FailedOperation.LogsetNotEmpty");
    await c.DeleteTopic({ TopicId: topicId });
    await c.DeleteLogset({ LogsetId: logsetId });
    expect((await c.DescribeLogsets({ Filters: [{ Key: "logsetId", Values: [logsetId] }] })).Logsets).toEqual([]);
  });

  it("keeps logsets and topics across a restart", async () => {
    const first = await start();
    const logsetId = (await first.c.CreateLogset({ LogsetName: "kept" })).LogsetId ?? "";
    const topicId = (await first.c.CreateTopic({ LogsetId: logsetId, TopicName: "kept-topic", Period: 7 })).TopicId ?? "";
    await first.close();
    const second = await start();
    expect((await second.c.DescribeTopics({ Filters: [{ Key: "topicId", Values: [topicId] }] })).Topics?.[0]).toMatchObject({ LogsetId: logsetId, Period: 7 });
  });
});
