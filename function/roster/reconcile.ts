// Brings one running recording's mix in line with its room: rebuild the roster from the room's event log, and tell
// the engine only when the plan differs from the last one it accepted. Called on every room event, right after the
// task is created (anchors may already be in the room), and by the watchdog (a Modify that failed for longer than
// TRTC retries its callback). Idempotent: running it twice, or concurrently, ends in the same mix.
import type { RecordingEngine } from "../engine/port";
import type { Logger } from "../log/logger";
import { stateKeys } from "../state/keys";
import type { StatusRecord } from "../state/status-record";
import { getJson, putJson, type StateStore } from "../state/store";
import type { Canvas } from "./layout";
import { decideModify, planKey, planMix } from "./plan";
import { listSessionKeys, readRoomFacts } from "./room-log";
import { buildRoster, mixedOwners, type Roster } from "./roster";

/** What the roster last did for a recording (`stateKeys.rosterState`); only this module writes it. */
export interface RosterState {
  /** Key of the last plan the engine accepted (see planKey). */
  appliedKey?: string;
  appliedAt?: string;
  /** ModifyCloudRecording calls that succeeded. */
  calls: number;
  /** Rebuilds that needed no call (the plan was already in force). */
  unchanged: number;
  failures: number;
  /** Set while the latest plan could not be applied; cleared by the next success. */
  lastError?: string;
  /** Distinct room events of the session the last roster was built from. */
  roomEvents: number;
  mixed: string[];
  away: string[];
  waiting: string[];
  updatedAt: string;
}

export interface ReconcileDeps {
  state: StateStore;
  engine: RecordingEngine;
  log: Logger;
  now(): number;
}

export type ReconcileOutcome =
  | { kind: "applied" | "unchanged"; roster: Roster }
  /** No room event in the log: TRTC's own layout stays (rules not applied). */
  | { kind: "no-events" }
  /** Not a running recording with a task, or the task is gone. */
  | { kind: "not-running" | "gone" }
  | { kind: "failed"; code: string; retryable: boolean };

// A concurrent invocation may log an event after our read and apply its plan before ours; re-reading after our
// call and going again until the log stands still makes the last writer right. Bounded: TRTC waits 5 s.
const MAX_ROUNDS = 3;

// A task is created with TRTC's grid and no subscription lists: what an empty plan asks for. Starting from that
// key, a room where no anchor ever holds a tile costs no call at all.
function fresh(canvas: Canvas, nowIso: string): RosterState {
  const nobody = planMix({ tiles: [], waiting: [], audience: [], eventsUsed: 0 }, canvas);
  return { appliedKey: planKey(nobody), calls: 0, unchanged: 0, failures: 0, roomEvents: 0, mixed: [], away: [], waiting: [], updatedAt: nowIso };
}

export async function loadRosterState(state: StateStore, recordingId: string): Promise<RosterState | undefined> {
  return getJson<RosterState>(state, stateKeys.rosterState(recordingId));
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((k, i) => k === b[i]);
}

/**
 * @param excludedUserIds the robots of every recording running in the room (the record's own included): none of
 *   them ever takes a tile.
 */
export async function reconcileRoster(deps: ReconcileDeps, record: StatusRecord, excludedUserIds: readonly string[], why: string): Promise<ReconcileOutcome> {
  const spec = record.spec;
  const engine = record.engine;
  if (!spec || !engine || record.status !== "RUNNING") return { kind: "not-running" };
  const log = deps.log.child({ recordingId: record.recordingId, roster: why });
  const startedAtMs = Date.parse(engine.startedAt);
  const key = stateKeys.rosterState(record.recordingId);
  const nowIso = () => new Date(deps.now()).toISOString();
  const saved = (await getJson<RosterState>(deps.state, key)) ?? fresh(deps.engine.mixCanvas, nowIso());
  const opts = { isReserve: spec.isReserve, excludedUserIds: [...new Set([spec.userId, ...excludedUserIds])], startedAtMs };

  let outcome: ReconcileOutcome = { kind: "no-events" };
  for (let round = 1; round <= MAX_ROUNDS; round++) {
    const { facts, keys } = await readRoomFacts(deps.state, spec.sdkAppId, spec.room, startedAtMs);
    if (facts.length === 0) return { kind: "no-events" };
    const roster = buildRoster(facts, opts);
    const decision = decideModify(roster, deps.engine.mixCanvas, saved.appliedKey);
    if (decision.changed) {
      const out = await deps.engine.modify(spec.sdkAppId, engine.taskId, decision.plan);
      if (!out.ok) {
        saved.failures++;
        saved.lastError = `${out.code}: ${out.message}`;
        saved.updatedAt = nowIso();
        await putJson(deps.state, key, saved);
        log.warn("ModifyCloudRecording failed: the mix does not follow the roster yet", { code: out.code, retryable: out.retryable });
        return { kind: "failed", code: out.code, retryable: out.retryable };
      }
      if (out.gone) return { kind: "gone" };
      saved.appliedKey = decision.key;
      saved.appliedAt = nowIso();
      saved.calls++;
      delete saved.lastError;
      outcome = { kind: "applied", roster };
    } else {
      saved.unchanged++;
      if (outcome.kind !== "applied") outcome = { kind: "unchanged", roster };
    }
    const owners = mixedOwners(roster);
    saved.mixed = owners.filter((o) => o.present).map((o) => o.userId);
    saved.away = owners.filter((o) => !o.present).map((o) => o.userId);
    saved.waiting = roster.waiting;
    saved.roomEvents = roster.eventsUsed;
    saved.updatedAt = nowIso();
    await putJson(deps.state, key, saved);
    log.info(decision.changed ? "roster applied" : "roster unchanged", { mixed: decision.plan.tiles.map((t) => t.userId), waiting: roster.waiting, away: saved.away });
    if (sameKeys(await listSessionKeys(deps.state, spec.sdkAppId, spec.room, startedAtMs), keys)) break;
  }
  return outcome;
}
