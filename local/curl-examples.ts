// `--keep`: curl lines for every route of the running local cloud. Request bodies that carry secrets (UserSig, COS
// keys) are written to 0600 files in the state folder and referenced with -d @file, so nothing secret is printed.
import { createHmac } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { LocalCloud } from "./cloud";
import { signedHeaders } from "../emulator/ingress/key-pair-auth";
import { recordRequest } from "./scenario/record-request";
import type { ScenarioOptions } from "./scenario/options";

function quote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export function curlExamples(cloud: LocalCloud, scenario: ScenarioOptions, recordingId: string | undefined): string[] {
  const lines: string[] = [];
  const base = cloud.ingressUrl ?? cloud.functionUrls[0]?.url;
  if (!base) return ["(the stack has no ingress)"];
  const recordFile = join(cloud.stateDir, "example-record.json");
  writeFileSync(recordFile, JSON.stringify({ ...recordRequest(cloud, { ...scenario, roomId: scenario.roomId + 1 }) }, null, 2), { mode: 0o600 });
  const id = recordingId ?? "<recording id from x-scf-reqid>";
  const routes = cloud.deployment.routes.length
    ? cloud.deployment.routes.map((r) => ({ method: r.method, path: r.path, secret: r.authType === "SECRET", stage: r.stage }))
    : [
        { method: "POST", path: "/record", secret: false, stage: "" },
        { method: "GET", path: "/recordings/{id}", secret: false, stage: "" },
        { method: "DELETE", path: "/recordings/{id}", secret: false, stage: "" },
        { method: "POST", path: "/trtc-events", secret: false, stage: "" },
      ];
  for (const r of routes) {
    const url = `${cloud.ingressUrl && r.stage ? base.replace(/\/[^/]+$/, `/${r.stage}`) : base}${r.path.replace("{id}", id)}`;
    const auth = r.secret ? Object.entries(signedHeaders(cloud.account.apiKey)).map(([k, v]) => ` -H ${quote(`${k}: ${v}`)}`).join("") : "";
    if (r.path.endsWith("/trtc-events")) {
      const event = JSON.stringify({ EventGroupId: 1, EventType: 103, CallbackTs: Date.now(), EventInfo: { RoomId: scenario.roomId, EventTs: Math.floor(Date.now() / 1000), EventMsTs: Date.now(), UserId: "anchor_9", UniqueId: Date.now(), Role: 20, TerminalType: 2, UserType: 3, Reason: 1 } });
      const file = join(cloud.stateDir, "example-trtc-event.json");
      writeFileSync(file, event);
      const sign = createHmac("sha256", cloud.trtcApp.eventKey).update(event).digest("base64");
      lines.push(`# a TRTC room event, signed as TRTC signs it (Sign = base64 HMAC-SHA256 of the body)`);
      lines.push(`curl -s -X POST ${quote(url)}${auth} -H 'Content-Type: application/json' -H ${quote(`Sign: ${sign}`)} -H ${quote(`SdkAppId: ${cloud.trtcApp.sdkAppId}`)} --data-binary @${file}`);
    } else if (r.method === "POST") {
      lines.push(`# start a recording (body with UserSig and COS keys in ${recordFile}); the id is in x-scf-reqid`);
      lines.push(`curl -si -X POST ${quote(url)}${auth} -H 'Content-Type: application/json' -d @${recordFile}`);
    } else {
      lines.push(`# ${r.method === "GET" ? "status of" : "stop"} a recording`);
      lines.push(`curl -s -X ${r.method} ${quote(url)}${auth}`);
    }
  }
  return lines;
}
