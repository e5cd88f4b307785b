import { describe, expect, it } from "vitest";
import { clipRect, floatingRects, gridRects, screenShareRects } from "../../../emulator/trtc/layout";

describe("TRTC template layouts (640x360 canvas)", () => {
  it("grid: 1 fills, 2 halves of full height, 3-4 a 2x2 grid, 5-9 a 3x3 grid", () => {
    expect(gridRects(1, 640, 360)).toEqual([{ x: 0, y: 0, w: 640, h: 360 }]);
    expect(gridRects(2, 640, 360)).toEqual([{ x: 0, y: 0, w: 320, h: 360 }, { x: 320, y: 0, w: 320, h: 360 }]);
    expect(gridRects(4, 640, 360)[3]).toEqual({ x: 320, y: 180, w: 320, h: 180 });
    expect(gridRects(6, 600, 360).map((r) => [r.x, r.y])).toEqual([[0, 0], [200, 0], [400, 0], [0, 120], [200, 120], [400, 120]]);
  });

  it("floating: the first video fills the canvas, the others are 23.5% windows from the bottom-left, 4 per row", () => {
    const [big, first, , , , fifth] = floatingRects(6, 1000, 1000);
    expect(big).toEqual({ x: 0, y: 0, w: 1000, h: 1000 });
    expect(first).toEqual({ x: 12, y: 753, w: 235, h: 235 });
    expect(fifth).toEqual({ x: 12, y: 506, w: 235, h: 235 });
  });

  it("screen-share: a 4/5-wide big video on the left and W/5 x H/4 tiles stacked on the right (up to 5 videos)", () => {
    const rects = screenShareRects(3, 1000, 800, true);
    expect(rects).toEqual([{ x: 0, y: 0, w: 800, h: 800 }, { x: 800, y: 0, w: 200, h: 200 }, { x: 800, y: 200, w: 200, h: 200 }]);
    expect(screenShareRects(2, 1000, 800, false)).toEqual([{ x: 800, y: 0, w: 200, h: 200 }, { x: 800, y: 200, w: 200, h: 200 }]);
  });

  it("clips custom rectangles to the canvas and drops ones outside it", () => {
    expect(clipRect({ x: 600, y: 300, w: 100, h: 100 }, 640, 360)).toEqual({ x: 600, y: 300, w: 40, h: 60 });
    expect(clipRect({ x: 700, y: 0, w: 100, h: 100 }, 640, 360)).toBeNull();
  });
});
