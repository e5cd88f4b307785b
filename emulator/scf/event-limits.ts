// SCF's event size limits (scf.md §2, doc 583/35311 status 406 RequestTooLarge): 6 MB for a synchronous invocation,
// 128 KB for an asynchronous one (async-run functions and Invoke Event included).
export const SYNC_EVENT_MAX_BYTES = 6 * 1024 * 1024;
export const ASYNC_EVENT_MAX_BYTES = 128 * 1024;

/** The 406 message when `bytes` exceed the limit for this kind of invocation, else undefined. */
export function eventTooLarge(bytes: number, async: boolean): string | undefined {
  const limit = async ? ASYNC_EVENT_MAX_BYTES : SYNC_EVENT_MAX_BYTES;
  return bytes > limit ? `RequestTooLarge: the request event is ${bytes} bytes; the limit is ${limit} bytes for ${async ? "asynchronous" : "synchronous"} invocations` : undefined;
}
