// Scripted room histories for the roster unit tests: a tiny builder so a test reads like the room it describes.
import type { RoomFact } from "../../../function/roster/room-fact";

export class Script {
  readonly facts: RoomFact[] = [];
  private n = 0;

  /** Each call is a separate event 100 ms after the previous one unless `atMs` is given. */
  private at(atMs: number | undefined): number {
    return atMs ?? (this.facts.length === 0 ? 1_000 : this.facts[this.facts.length - 1].atMs + 100);
  }

  private push(f: Omit<RoomFact, "uniqueId"> & { uniqueId?: number }): this {
    this.facts.push({ uniqueId: f.atMs * 1000 + (this.n++ % 1000), ...f });
    return this;
  }

  create(atMs?: number): this {
    return this.push({ type: 101, atMs: this.at(atMs) });
  }

  dismiss(atMs?: number): this {
    return this.push({ type: 102, atMs: this.at(atMs) });
  }

  enter(userId: string, opts: { role?: number; atMs?: number } = {}): this {
    return this.push({ type: 103, userId, role: opts.role ?? 20, atMs: this.at(opts.atMs) });
  }

  exit(userId: string, opts: { role?: number; atMs?: number } = {}): this {
    return this.push({ type: 104, userId, role: opts.role ?? 20, atMs: this.at(opts.atMs) });
  }

  role(userId: string, role: number, atMs?: number): this {
    return this.push({ type: 105, userId, role, atMs: this.at(atMs) });
  }
}

/** Deterministic shuffle (a small LCG) so "any order" tests are reproducible. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed >>> 0;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
