import { describe, expect, it } from "vitest";
import { tileRects, type TileRect } from "../../../function/roster/layout";
import { gridRects } from "../../../emulator/trtc";

const HD = { width: 1280, height: 720 };

function area(r: TileRect): number {
  return r.w * r.h;
}

function overlaps(a: TileRect, b: TileRect): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

describe("tile layouts", () => {
  it("1 tile fills the canvas", () => {
    expect(tileRects(1, HD)).toEqual([{ x: 0, y: 0, w: 1280, h: 720 }]);
  });

  it("2 tiles sit side by side at full height", () => {
    expect(tileRects(2, HD)).toEqual([
      { x: 0, y: 0, w: 640, h: 720 },
      { x: 640, y: 0, w: 640, h: 720 },
    ]);
  });

  it("4 tiles make a 2x2 grid, row by row", () => {
    expect(tileRects(4, HD)).toEqual([
      { x: 0, y: 0, w: 640, h: 360 },
      { x: 640, y: 0, w: 640, h: 360 },
      { x: 0, y: 360, w: 640, h: 360 },
      { x: 640, y: 360, w: 640, h: 360 },
    ]);
  });

  it("3 tiles use the 2x2 grid, the third below the first (TRTC's own grid places them so)", () => {
    expect(tileRects(3, HD)[2]).toEqual({ x: 0, y: 360, w: 640, h: 360 });
  });

  it("6 tiles make a 3x2 grid; 5 leave its last cell empty", () => {
    const six = tileRects(6, HD);
    expect(six.map((r) => [r.x, r.y])).toEqual([[0, 0], [426, 0], [854, 0], [0, 360], [426, 360], [854, 360]]);
    expect(six.every((r) => r.h === 360)).toBe(true);
    const five = tileRects(5, HD);
    expect(five.slice(3).map((r) => [r.x, r.y])).toEqual([[0, 360], [426, 360]]);
  });

  for (let n = 1; n <= 6; n++) {
    it(`${n} tile(s): inside the canvas, no overlaps, even edges, equal sizes within 2 px`, () => {
      for (const canvas of [HD, { width: 640, height: 360 }, { width: 360, height: 640 }]) {
        const rects = tileRects(n, canvas);
        expect(rects).toHaveLength(n);
        for (const r of rects) {
          expect(r.x >= 0 && r.y >= 0 && r.x + r.w <= canvas.width && r.y + r.h <= canvas.height).toBe(true);
          expect([r.x, r.y, r.w, r.h].every((v) => v % 2 === 0)).toBe(true);
        }
        for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) expect(overlaps(rects[i], rects[j])).toBe(false);
        const areas = rects.map(area);
        expect(Math.max(...rects.map((r) => r.w)) - Math.min(...rects.map((r) => r.w))).toBeLessThanOrEqual(2);
        expect(Math.max(...areas)).toBeGreaterThan(0);
      }
    });
  }

  it("for 1-4 tiles matches TRTC's own grid, so the first layout call moves nobody", () => {
    for (const canvas of [HD, { width: 640, height: 360 }]) {
      for (let n = 1; n <= 4; n++) expect(tileRects(n, canvas)).toEqual(gridRects(n, canvas.width, canvas.height));
    }
  });

  it("has no tiles for nobody and refuses counts the rules never produce", () => {
    expect(tileRects(0, HD)).toEqual([]);
    expect(() => tileRects(7, HD)).toThrow(/0\.\.6/);
  });
});
