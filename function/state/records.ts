// Persistence of status records. Writes are last-writer-wins: the transitions that must happen once (task
// creation, delivery) are guarded by claims and leases, not by the record itself.
import type { StateStore } from "./store";
import { getJson, putJson } from "./store";
import { stateKeys } from "./keys";
import type { StatusRecord } from "./status-record";

export interface RecordRepo {
  load(id: string): Promise<StatusRecord | undefined>;
  /** Saves the record, stamping `updatedAt`. */
  save(record: StatusRecord): Promise<void>;
  /** Load → mutate → save; undefined when there is no such record. */
  update(id: string, mutate: (record: StatusRecord) => void): Promise<StatusRecord | undefined>;
}

export function createRecordRepo(store: StateStore, nowIso: () => string): RecordRepo {
  const repo: RecordRepo = {
    load: (id) => getJson<StatusRecord>(store, stateKeys.record(id)),
    async save(record) {
      record.updatedAt = nowIso();
      await putJson(store, stateKeys.record(record.recordingId), record);
    },
    async update(id, mutate) {
      const record = await repo.load(id);
      if (!record) return undefined;
      mutate(record);
      await repo.save(record);
      return record;
    },
  };
  return repo;
}
