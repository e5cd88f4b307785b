import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Two cores: media tests run ffmpeg; keep parallelism modest so timings stay sane.
    maxWorkers: 2,
  },
});
