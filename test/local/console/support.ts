// Helpers for the console tests: a reader of the admin API's server-sent events that waits for a state matching a
// predicate (no polling, no sleeps), and the secrets of a local cloud that must never reach a page or an answer.
import type { LocalCloud } from "../../../local/cloud";

export interface SseEvent {
  event: string;
  data: unknown;
}

/** Reads `GET /api/events`; `waitFor` resolves with the first event (already received or future) that matches. */
export class EventStreamReader {
  readonly events: SseEvent[] = [];
  private readonly controller = new AbortController();
  private waiters: Array<() => void> = [];
  private buffer = "";
  private done: Promise<void>;

  constructor(url: string) {
    this.done = this.read(url).catch(() => undefined);
  }

  private async read(url: string): Promise<void> {
    const res = await fetch(url, { signal: this.controller.signal });
    if (!res.body) throw new Error("no event stream body");
    const decoder = new TextDecoder();
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      this.buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = this.buffer.indexOf("\n\n")) >= 0) {
        const block = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event && data !== undefined) {
          this.events.push({ event, data: JSON.parse(data) as unknown });
          for (const wake of this.waiters.splice(0)) wake();
        }
      }
    }
  }

  /** The first `event` whose data satisfies `match`, waiting up to `timeoutMs` (a generous bound, not a pace). */
  waitFor<T>(event: string, match: (data: T) => boolean, timeoutMs: number): Promise<T> {
    let from = 0;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "${event}" event matching within ${timeoutMs} ms (${this.events.length} events seen)`)), timeoutMs);
      const check = () => {
        for (; from < this.events.length; from++) {
          const e = this.events[from];
          if (e.event === event && match(e.data as T)) {
            clearTimeout(timer);
            resolve(e.data as T);
            return;
          }
        }
        this.waiters.push(check);
      };
      check();
    });
  }

  async close(): Promise<void> {
    this.controller.abort();
    await this.done;
  }
}

/** Every secret value the local cloud holds (none may appear in the console's pages or answers). */
export function cloudSecrets(cloud: LocalCloud): string[] {
  const a = cloud.account;
  return [a.role.secretKey, a.role.token, a.customer.secretKey, a.stagingWriter.secretKey, a.apiKey.secretKey, a.clientApiKey, cloud.trtcApp.key, cloud.trtcApp.eventKey];
}

export interface RecordingState {
  id: string;
  state: string;
  files: Array<{ href: string; key: string; bucket: string; kind: string; url: string }>;
  callback?: { body: unknown };
  task?: { tiles: Array<{ userId: string; color: string; live: boolean }>; phase: string };
  status?: { errors?: unknown[] };
}

export interface StateSnapshot {
  rooms: Array<{ label: string; members: Array<{ userId: string }> }>;
  recordings: RecordingState[];
}
