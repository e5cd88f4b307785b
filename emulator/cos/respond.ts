// Every COS response carries x-cos-request-id (success and error alike); the SDK's host-switching logic looks for
// it, so a double that omitted it would change what the SDK does. Errors are XML <Error> documents, except for HEAD,
// which has no body (the SDK then reports err.code as the status number).
import { randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";
import { buildXml, type XmlObject } from "./xml";

export function newCosRequestId(): string {
  return randomBytes(24).toString("base64");
}

export class CosResponder {
  constructor(
    private readonly res: ServerResponse,
    readonly requestId: string,
    private readonly isHead: boolean,
    /** `<host><path>` for the <Resource> of error bodies. */
    private readonly resource: string,
    /** The double's clock: the SDK compares Date with its own clock to correct skew after "Request has expired". */
    private readonly date: () => Date,
  ) {}

  get status(): number {
    return this.res.statusCode;
  }

  send(status: number, headers: Record<string, string | number>, body?: Buffer | string): void {
    const payload = body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(body) ? body : Buffer.from(body, "utf8");
    this.res.writeHead(status, {
      Server: "tencent-cos",
      Date: this.date().toUTCString(),
      "x-cos-request-id": this.requestId,
      // A 204 carries no Content-Length (RFC 9110); everything else announces its length, HEAD included.
      ...(status === 204 ? {} : { "Content-Length": payload.length }),
      ...headers,
    });
    this.res.end(this.isHead ? undefined : payload);
  }

  xml(status: number, root: string, content: XmlObject, headers: Record<string, string | number> = {}): void {
    this.send(status, { "Content-Type": "application/xml", ...headers }, buildXml(root, content));
  }

  error(status: number, code: string, message: string): void {
    this.xml(status, "Error", {
      Code: code,
      Message: message,
      Resource: this.resource,
      RequestId: this.requestId,
      TraceId: randomBytes(32).toString("base64"),
    });
  }
}
