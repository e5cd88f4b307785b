// The scenario's client of the local ingress: the seed's calls (POST /record, GET/DELETE /recordings/{id}), signed
// with the local API key when the synthesized routes require key-pair auth.
import type { LocalCloud } from "../cloud";
import { signedHeaders } from "../../emulator/ingress/key-pair-auth";

export interface IngressReply {
  status: number;
  headers: Headers;
  text: string;
  json?: unknown;
}

export class IngressClient {
  constructor(private readonly cloud: LocalCloud) {}

  /** The client routes' base URL: API Gateway with its stage, else the function URL. */
  get baseUrl(): string {
    const url = this.cloud.ingressUrl ?? this.cloud.functionUrls[0]?.url;
    if (!url) throw new Error("the stack has no ingress (no API Gateway routes and no function URL)");
    return url;
  }

  /** Gateway key-pair signature for SECRET routes; recorder-api's bearer key when it authenticates clients itself. */
  private authHeaders(): Record<string, string> {
    const headers: Record<string, string> = this.cloud.deployment.routes.some((r) => r.authType === "SECRET") ? signedHeaders(this.cloud.account.apiKey) : {};
    if (this.cloud.deployment.functions.some((f) => f.environment.RECORDER_CLIENT_AUTH === "api-key")) headers.Authorization = `Bearer ${this.cloud.account.clientApiKey}`;
    return headers;
  }

  async request(method: string, path: string, body?: unknown): Promise<IngressReply> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { ...this.authHeaders(), ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, text, json };
  }

  /** POST /record; the recording id is x-scf-reqid (API Gateway, async run) or the JSON recordingId (function URL). */
  async startRecording(body: unknown): Promise<{ reply: IngressReply; recordingId?: string }> {
    const reply = await this.request("POST", "/record", body);
    const fromJson = (reply.json as { recordingId?: unknown } | undefined)?.recordingId;
    const recordingId = reply.headers.get("x-scf-reqid") ?? (typeof fromJson === "string" ? fromJson : undefined);
    return { reply, recordingId };
  }

  status(recordingId: string): Promise<IngressReply> {
    return this.request("GET", `/recordings/${encodeURIComponent(recordingId)}`);
  }

  stop(recordingId: string): Promise<IngressReply> {
    return this.request("DELETE", `/recordings/${encodeURIComponent(recordingId)}`);
  }
}
