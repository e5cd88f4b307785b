// Alarm notice templates (tencentcloud_monitor_alarm_notice, created by the observability construct when a webhook is
// configured): CreateAlarmNotice, DescribeAlarmNotices, ModifyAlarmNotice, DeleteAlarmNotices. Provider v1.83.25
// services/monitor/resource_tc_monitor_alarm_notice.go reads Name, NoticeType, NoticeLanguage, UserNotices, URLNotices
// (URL, IsValid, ValidationCode, StartTime, EndTime, Weekday), CLSNotices and PolicyIds back from DescribeAlarmNotices.
import { randomBytes } from "node:crypto";
import { Tc3ApiError, type Tc3Handler } from "../../tc3/types";
import { beijingTime, invalid, oneOf, optObjectArray, optStringArray, reqString } from "../request-params";

export interface NoticeRecord {
  id: string;
  name: string;
  noticeType: "ALARM" | "OK" | "ALL";
  noticeLanguage: "zh-CN" | "en-US";
  userNotices: Record<string, unknown>[];
  urlNotices: Record<string, unknown>[];
  clsNotices: Record<string, unknown>[];
  updatedAt: string;
}

function fields(p: Record<string, unknown>) {
  const urlNotices = (optObjectArray(p, "URLNotices") ?? []).map((u, i) => {
    if (typeof u.URL !== "string" || !/^https?:\/\/\S+$/.test(u.URL)) throw invalid(`URLNotices[${i}].URL`, "an http(s) URL", u.URL, "InvalidParameterValue");
    return { URL: u.URL, IsValid: u.IsValid ?? 0, ValidationCode: u.ValidationCode ?? "", StartTime: u.StartTime ?? 0, EndTime: u.EndTime ?? 86399, Weekday: u.Weekday ?? [1, 2, 3, 4, 5, 6, 7] };
  });
  return {
    name: reqString(p, "Name"),
    noticeType: oneOf("NoticeType", reqString(p, "NoticeType"), ["ALARM", "OK", "ALL"] as const, "InvalidParameterValue"),
    noticeLanguage: oneOf("NoticeLanguage", reqString(p, "NoticeLanguage"), ["zh-CN", "en-US"] as const, "InvalidParameterValue"),
    userNotices: optObjectArray(p, "UserNotices") ?? [],
    urlNotices,
    clsNotices: optObjectArray(p, "CLSNotices") ?? [],
  };
}

/** The notice actions over `notices`; `policiesUsing` answers AlarmNotice.PolicyIds. */
export function noticeActions(notices: Record<string, NoticeRecord>, policiesUsing: (noticeId: string) => string[], save: () => void, now: () => number): Record<string, Tc3Handler> {
  const existing = (id: string): NoticeRecord => {
    const n = Object.hasOwn(notices, id) ? notices[id] : undefined;
    if (!n) throw new Tc3ApiError("ResourceNotFound", `Alarm notice ${id} does not exist`);
    return n;
  };
  const info = (n: NoticeRecord) => ({
    Id: n.id,
    Name: n.name,
    UpdatedAt: n.updatedAt,
    UpdatedBy: "",
    NoticeType: n.noticeType,
    UserNotices: n.userNotices,
    URLNotices: n.urlNotices,
    IsPreset: 0,
    NoticeLanguage: n.noticeLanguage,
    PolicyIds: policiesUsing(n.id),
    AMPConsumerId: "",
    CLSNotices: n.clsNotices,
    Tags: [],
    IsLoginFree: 0,
  });
  const module = (p: Record<string, unknown>) => {
    const m = reqString(p, "Module");
    if (m !== "monitor") throw invalid("Module", '"monitor"', m, "InvalidParameterValue");
  };
  return {
    CreateAlarmNotice: (p) => {
      module(p);
      const id = `notice-${[...randomBytes(8)].map((b) => "abcdefghijklmnopqrstuvwxyz0123456789"[b % 36]).join("")}`;
      notices[id] = { id, ...fields(p), updatedAt: beijingTime(now()) };
      save();
      return { NoticeId: id };
    },
    DescribeAlarmNotices: (p) => {
      module(p);
      const ids = optStringArray(p, "NoticeIds");
      const name = p.Name === undefined ? undefined : String(p.Name);
      let all = Object.values(notices).filter((n) => (!ids || ids.includes(n.id)) && (name === undefined || n.name.includes(name)));
      if (String(p.Order ?? "ASC").toUpperCase() === "DESC") all = all.reverse();
      const size = Number(p.PageSize ?? 20);
      const pageNumber = Number(p.PageNumber ?? 1);
      return { TotalCount: all.length, Notices: all.slice((pageNumber - 1) * size, pageNumber * size).map(info) };
    },
    ModifyAlarmNotice: (p) => {
      module(p);
      const n = existing(reqString(p, "NoticeId"));
      Object.assign(n, fields(p), { updatedAt: beijingTime(now()) });
      save();
      return {};
    },
    DeleteAlarmNotices: (p) => {
      module(p);
      const ids = optStringArray(p, "NoticeIds");
      if (!ids || ids.length === 0) throw new Tc3ApiError("MissingParameter", "The request is missing a required parameter `NoticeIds`");
      for (const id of ids) existing(id);
      for (const id of ids) delete notices[id];
      save();
      return {};
    },
  };
}
