// The TRTC server API as the real SDK sees it: authentication, parameter checks, UserSig, and how recording
// tasks start, report and stop (Delete, MaxIdleTime, RemoveUser, DismissRoom, string rooms).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { durationSeconds } from "../../../emulator/trtc/media-probe";
import { trtcBase64 } from "../../../emulator/trtc/naming";
import { LEAVE_CODE } from "../../../emulator/trtc/recording-task";
import { APP, APP_KEY, BUCKET, errorCode, recordingRequest, ROBOT, startWorld, TC3_KEY, trtcClient, type World, startRecording } from "./fixture";
import { mintUserSig } from "../../../emulator/trtc/usersig-mint";

let w: World;
let nextRoom = 5000;
beforeAll(async () => {
  w = await startWorld();
});
afterAll(async () => {
  await w.close();
});

describe("authentication and parameters", () => {
  it("refuses a request signed with the wrong SecretKey (the TC3 framework's AuthFailure.SignatureFailure)", async () => {
    const forged = trtcClient(w.trtc.hostPort, { secretId: TC3_KEY.secretId, secretKey: "not-the-key" });
    expect(await errorCode(forged.DescribeCloudRecording({ SdkAppId: APP, TaskId: "x".repeat(84) }))).toBe("AuthFailure.SignatureFailure");
  });

  it("refuses a UserSig signed with another key, issued to another user, or expired (InvalidParameter.UserSig)", async () => {
    const room = nextRoom++;
    const otherKey = recordingRequest(room, { UserSig: mintUserSig(APP, "some-other-key", ROBOT) });
    const otherUser = recordingRequest(room, { UserSig: mintUserSig(APP, APP_KEY, "someone_else") });
    const expiring = recordingRequest(room, { UserSig: mintUserSig(APP, APP_KEY, ROBOT, 60) });
    expect(await errorCode(w.client.CreateCloudRecording(otherKey))).toBe("InvalidParameter.UserSig");
    expect(await errorCode(w.client.CreateCloudRecording(otherUser))).toBe("InvalidParameter.UserSig");
    await w.clock.advance(120_000);
    expect(await errorCode(w.client.CreateCloudRecording(expiring))).toBe("InvalidParameter.UserSig");
  });

  it("requires CloudStorage keys, a mixed RecordMode and a known SdkAppId", async () => {
    const room = nextRoom++;
    const base = recordingRequest(room);
    const noSecret = { ...base, StorageParams: { CloudStorage: { ...base.StorageParams.CloudStorage!, SecretKey: "" } } };
    expect(await errorCode(w.client.CreateCloudRecording(noSecret))).toBe("MissingParameter.SecretKey");
    const noAccess = { ...base, StorageParams: { CloudStorage: { ...base.StorageParams.CloudStorage!, AccessKey: "" } } };
    expect(await errorCode(w.client.CreateCloudRecording(noAccess))).toBe("MissingParameter.AccessKey");
    expect(await errorCode(w.client.CreateCloudRecording({ ...base, StorageParams: {} }))).toBe("MissingParameter.CloudStorage");
    expect(await errorCode(w.client.CreateCloudRecording(recordingRequest(room, {}, { OutputFormat: 9 })))).toBe("InvalidParameter.OutOfRange");
    expect(await errorCode(w.client.CreateCloudRecording({ ...base, SdkAppId: 1400999999 }))).toBe("FailedOperation.SdkAppIdNotExist");
    expect(await errorCode(w.client.CreateCloudRecording({ ...base, RoomId: "abc" }))).toBe("InvalidParameter.RoomId");
  });

  it("refuses a robot UserId that is already a user in the room", async () => {
    const room = nextRoom++;
    w.trtc.room(APP, room).join(ROBOT);
    expect(await errorCode(w.client.CreateCloudRecording(recordingRequest(room)))).toBe("InvalidParameter.UserId");
  });

  it("answers FailedOperation.TaskNotExist for a TaskId it never issued", async () => {
    const unknown = "D0e6x89Rsp-esui8b4iOs3gqSzfJsasfAt5ItrFuFf1CadUFnZT7EsBMcwRCGY6m5ECaEoW4PboiqfSZBAA.";
    expect(await errorCode(w.client.DescribeCloudRecording({ SdkAppId: APP, TaskId: unknown }))).toBe("FailedOperation.TaskNotExist");
    expect(await errorCode(w.client.DeleteCloudRecording({ SdkAppId: APP, TaskId: unknown }))).toBe("FailedOperation.TaskNotExist");
  });
});

describe("task lifecycle", () => {
  it("issues an opaque 84-character TaskId and reports Idle without anchors, InProgress with one", async () => {
    const room = nextRoom++;
    const TaskId = await startRecording(w.client, recordingRequest(room));
    expect(TaskId).toMatch(/^[A-Za-z0-9+\-.]{84}$/);
    expect((await w.client.DescribeCloudRecording({ SdkAppId: APP, TaskId })).Status).toBe("Idle");
    w.trtc.room(APP, room).join("teacher");
    expect((await w.client.DescribeCloudRecording({ SdkAppId: APP, TaskId })).Status).toBe("InProgress");
    await w.clock.advance(1000);
    await w.client.DeleteCloudRecording({ SdkAppId: APP, TaskId });
  });

  it("stops by itself after MaxIdleTime seconds without an anchor; the file ends when the last anchor left", async () => {
    const room = nextRoom++;
    const TaskId = await startRecording(w.client, recordingRequest(room, {}, { MaxIdleTime: 5 }));
    const r = w.trtc.room(APP, room);
    r.join("teacher");
    await w.clock.advance(2000);
    r.leave("teacher");
    await w.clock.advance(4900);
    expect((await w.client.DescribeCloudRecording({ SdkAppId: APP, TaskId })).Status).toBe("Idle");
    await w.clock.advance(100);
    const task = w.trtc.task(TaskId);
    expect(task?.leaveCode).toBe(LEAVE_CODE.idle);
    expect(r.has(ROBOT)).toBe(false);
    await task?.finished;
    const [key] = w.cos.listKeys(BUCKET, `rec/class7/${TaskId}/`);
    expect(Math.round(await durationSeconds(await w.download(key)))).toBe(2);
  });

  it("an anchor returning within MaxIdleTime keeps the task alive", async () => {
    const room = nextRoom++;
    const TaskId = await startRecording(w.client, recordingRequest(room, {}, { MaxIdleTime: 5 }));
    const r = w.trtc.room(APP, room);
    r.join("teacher");
    r.leave("teacher");
    await w.clock.advance(4000);
    r.join("teacher");
    await w.clock.advance(10_000);
    expect((await w.client.DescribeCloudRecording({ SdkAppId: APP, TaskId })).Status).toBe("InProgress");
    await w.client.DeleteCloudRecording({ SdkAppId: APP, TaskId });
  });

  it("stops when the robot is kicked with RemoveUser; afterwards Modify and Delete answer TaskFinished, Describe Exited then TaskFinished, then nothing", async () => {
    const room = nextRoom++;
    const TaskId = await startRecording(w.client, recordingRequest(room));
    w.trtc.room(APP, room).join("teacher");
    await w.clock.advance(1000);
    await w.client.RemoveUser({ SdkAppId: APP, RoomId: room, UserIds: [ROBOT] });
    const task = w.trtc.task(TaskId);
    expect(task?.leaveCode).toBe(LEAVE_CODE.removed);
    expect(await errorCode(w.client.DeleteCloudRecording({ SdkAppId: APP, TaskId }))).toBe("FailedOperation.TaskFinished");
    expect(await errorCode(w.client.ModifyCloudRecording({ SdkAppId: APP, TaskId, MixLayoutParams: { MixLayoutMode: 3 } }))).toBe("FailedOperation.TaskFinished");
    expect((await w.client.DescribeCloudRecording({ SdkAppId: APP, TaskId })).Status).toBe("Exited");
    await task?.finished;
    expect(task?.uploaded.map((f) => f.fileName)).toEqual([`${APP}_${room}.mp4`]);
    expect(await errorCode(w.client.DescribeCloudRecording({ SdkAppId: APP, TaskId }))).toBe("FailedOperation.TaskFinished");
    await w.clock.advance(1);
    expect(await errorCode(w.client.DescribeCloudRecording({ SdkAppId: APP, TaskId }))).toBe("FailedOperation.TaskNotExist");
  });

  it("stops when the room is dismissed (LeaveCode 2) and the room is then gone", async () => {
    const room = nextRoom++;
    const TaskId = await startRecording(w.client, recordingRequest(room));
    const r = w.trtc.room(APP, room);
    r.join("teacher");
    await w.clock.advance(1000);
    await w.client.DismissRoom({ SdkAppId: APP, RoomId: room });
    expect(w.trtc.task(TaskId)?.leaveCode).toBe(LEAVE_CODE.dismissed);
    expect(r.exists).toBe(false);
    expect(await errorCode(w.client.DismissRoom({ SdkAppId: APP, RoomId: room }))).toBe("FailedOperation.RoomNotExist");
    await w.trtc.task(TaskId)?.finished;
  });

  it("records string rooms (RoomIdType 0) and stops on RemoveUserByStrRoomId; file names carry the room in TRTC base64", async () => {
    const TaskId = await startRecording(w.client, recordingRequest("class-7???"));
    const r = w.trtc.room(APP, "class-7???");
    r.join("teacher");
    expect(w.trtc.room(APP, 7).exists).toBe(false);
    await w.clock.advance(1000);
    expect(await errorCode(w.client.RemoveUser({ SdkAppId: APP, RoomId: 7, UserIds: [ROBOT] }))).toBe("FailedOperation.RoomNotExist");
    await w.client.RemoveUserByStrRoomId({ SdkAppId: APP, RoomId: "class-7???", UserIds: [ROBOT] });
    const task = w.trtc.task(TaskId);
    expect(task?.leaveCode).toBe(LEAVE_CODE.removed);
    await task?.finished;
    // base64 "Y2xhc3MtNz8/Pw==": "/" is written "-" and "=" is written "."
    expect(trtcBase64("class-7???")).toBe("Y2xhc3MtNz8-Pw..");
    expect(w.cos.listKeys(BUCKET, `rec/class7/${TaskId}/`)).toEqual([`rec/class7/${TaskId}/${APP}_Y2xhc3MtNz8-Pw...mp4`]);
  });

  it("a second task with the same robot UserId interrupts the first (LeaveCode 101)", async () => {
    const room = nextRoom++;
    const first = await startRecording(w.client, recordingRequest(room));
    const second = await startRecording(w.client, recordingRequest(room));
    expect(w.trtc.task(first)?.leaveCode).toBe(LEAVE_CODE.replaced);
    expect(w.trtc.task(second)?.phase).toBe("recording");
    await w.client.DeleteCloudRecording({ SdkAppId: APP, TaskId: second });
  });

  it("writes no file when no anchor was ever in the room", async () => {
    const room = nextRoom++;
    const TaskId = await startRecording(w.client, recordingRequest(room));
    w.trtc.room(APP, room).join("viewer", { role: 21 });
    await w.clock.advance(3000);
    await w.client.DeleteCloudRecording({ SdkAppId: APP, TaskId });
    await w.trtc.task(TaskId)?.finished;
    expect(w.cos.listKeys(BUCKET, `rec/class7/${TaskId}/`)).toEqual([]);
  });
});
