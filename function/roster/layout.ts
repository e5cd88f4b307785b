// Where the n mixed tiles go on the canvas (docs/roster.md has the drawings): 1 fills it, 2 side by side at full
// height, 3-4 a 2x2 grid, 5-6 a 3x2 grid, filled row by row. For 1-4 tiles these are exactly TRTC's own grid
// positions, so the first ModifyCloudRecording of a recording moves nobody; 5-6 use 3x2 where TRTC would use 3x3.
// Pure geometry; tiles are placed in slot order, so a tile's owner keeps its place while the count is unchanged.

export interface Canvas {
  width: number;
  height: number;
}

export interface TileRect {
  x: number;
  y: number;
  w: number;
  h: number;
}

const GRID: Record<number, { cols: number; rows: number }> = {
  1: { cols: 1, rows: 1 },
  2: { cols: 2, rows: 1 },
  3: { cols: 2, rows: 2 },
  4: { cols: 2, rows: 2 },
  5: { cols: 3, rows: 2 },
  6: { cols: 3, rows: 2 },
};

// Edges on even pixels: the mix is 4:2:0, and an odd edge smears a tile's colour into its neighbour.
function edge(fraction: number, size: number): number {
  return 2 * Math.round((fraction * size) / 2);
}

/** Rectangles for `count` tiles (0..6) on the canvas, row by row; throws on a count the rules never produce. */
export function tileRects(count: number, canvas: Canvas): TileRect[] {
  if (count === 0) return [];
  const grid = GRID[count];
  if (!grid) throw new Error(`tileRects: count must be 0..6 (got ${count})`);
  const { cols, rows } = grid;
  const rects: TileRect[] = [];
  for (let i = 0; i < count; i++) {
    const row = Math.floor(i / cols);
    const col = i % cols;
    const x = edge(col / cols, canvas.width);
    const y = edge(row / rows, canvas.height);
    rects.push({ x, y, w: edge((col + 1) / cols, canvas.width) - x, h: edge((row + 1) / rows, canvas.height) - y });
  }
  return rects;
}
