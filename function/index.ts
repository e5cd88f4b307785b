// Entry of the one function bundle. SCF handlers: `index.recorder` (async) and `index.recorderApi` (sync).
// Placeholder until the recorder lands (owned by the function/ work); it only exists so the bundle has entries.
export async function recorder(event: unknown): Promise<unknown> {
  return { ok: false, error: "recorder not implemented yet", event: typeof event };
}
export async function recorderApi(event: unknown): Promise<unknown> {
  return { statusCode: 501, headers: { "content-type": "application/json" }, body: JSON.stringify({ error: "not implemented", event: typeof event }), isBase64Encoded: false };
}
