// What an invocation is about, decided once per entry: an HTTP request, a timer tick, one of our own messages, or
// the seed's request body invoked directly (as the seed's console test did).
import { parseHttpEvent, type HttpRequest } from "./apigw";
import { parseInternalMessage, type InternalMessage } from "./internal";
import { parseTimerEvent, type TimerEvent } from "./timer";

export type Inbound =
  | { kind: "http"; request: HttpRequest }
  | { kind: "timer"; timer: TimerEvent }
  | { kind: "internal"; message: InternalMessage }
  | { kind: "direct"; body: unknown };

export function classifyEvent(event: unknown): Inbound {
  const timer = parseTimerEvent(event);
  if (timer) return { kind: "timer", timer };
  const message = parseInternalMessage(event);
  if (message) return { kind: "internal", message };
  const request = parseHttpEvent(event);
  if (request) return { kind: "http", request };
  // Some invokers hand over the JSON as a string.
  if (typeof event === "string") {
    try {
      return classifyEvent(JSON.parse(event) as unknown);
    } catch {
      return { kind: "direct", body: event };
    }
  }
  return { kind: "direct", body: event };
}
