// Local disk is checked before anything is downloaded: a download that cannot fit is refused up front with a
// message naming the directory and the sizes.
import os from "node:os";
import { describe, expect, it } from "vitest";
import { StageError } from "../../../function/delivery/cos-errors";
import { ensureFreeSpace, freeBytes } from "../../../function/delivery/free-space";

describe("ensureFreeSpace", () => {
  it("passes when the bytes fit and refuses (transcode failed, with sizes) when they do not", async () => {
    const dir = os.tmpdir();
    expect(await freeBytes(dir)).toBeGreaterThan(0);
    await expect(ensureFreeSpace(dir, 1024, "a small download")).resolves.toBeUndefined();
    const err = await ensureFreeSpace(dir, 2 ** 60, "downloading rec/huge.mp4").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StageError);
    expect((err as StageError).outcome).toBe("transcode failed");
    expect((err as StageError).detail).toMatch(/MiB free; downloading rec\/huge\.mp4 needs \d+ MiB/);
  });
});
