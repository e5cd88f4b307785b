// TRTC's automatic mix layouts (MixLayoutMode 1 floating, 2 screen-share, 3 grid), as the on-cloud recording
// guide describes them. Pure geometry: which rectangle the i-th video of n gets on a W x H canvas.

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

function round(r: Rect): Rect {
  return { x: Math.round(r.x), y: Math.round(r.y), w: Math.round(r.w), h: Math.round(r.h) };
}

/**
 * Grid ("nine-grid", the default): one video fills the canvas; two split it into left/right halves of full
 * height; 3-4 use a 2x2 grid, 5-9 3x3, 10-16 4x4, more 5x5 (max 25), filled row by row in entry order.
 */
export function gridRects(n: number, width: number, height: number): Rect[] {
  if (n <= 0) return [];
  if (n === 1) return [{ x: 0, y: 0, w: width, h: height }];
  if (n === 2) return [0, 1].map((i) => round({ x: (i * width) / 2, y: 0, w: width / 2, h: height }));
  const side = n <= 4 ? 2 : n <= 9 ? 3 : n <= 16 ? 4 : 5;
  const count = Math.min(n, 25);
  return Array.from({ length: count }, (_, i) =>
    round({ x: ((i % side) * width) / side, y: (Math.floor(i / side) * height) / side, w: width / side, h: height / side }),
  );
}

/**
 * Floating: the first video (the big one) fills the canvas; the others float over it as small windows from the
 * bottom-left, left to right, 4 per row (23.5% of the canvas, 1.2% gaps) up to 17 videos, else 5 per row (18.8%, 1%).
 */
export function floatingRects(n: number, width: number, height: number): Rect[] {
  if (n <= 0) return [];
  const big: Rect = { x: 0, y: 0, w: width, h: height };
  const [perRow, size, gap] = n <= 17 ? [4, 0.235, 0.012] : [5, 0.188, 0.01];
  const small = Array.from({ length: Math.min(n, 25) - 1 }, (_, i) => {
    const col = i % perRow;
    const row = Math.floor(i / perRow);
    return round({
      x: width * (gap + col * (size + gap)),
      y: height * (1 - gap - size - row * (size + gap)),
      w: width * size,
      h: height * size,
    });
  });
  return [big, ...small];
}

/**
 * Screen-share: a big video on the left, the others stacked top to bottom in up to two columns on the right.
 * Sizes by total count: ≤5 small = W/5 x H/4 (big 4W/5); 6-7 W/7 x H/6 (big 6W/7); 8-9 W/9 x H/8 (big 8W/9);
 * 10-17 W/10 x H/8 (big 4W/5). `hasBig` false leaves the big area as background and puts everyone on the right.
 * More than 17 videos are not modelled (extra ones are dropped).
 */
export function screenShareRects(n: number, width: number, height: number, hasBig: boolean): Rect[] {
  if (n <= 0) return [];
  const [bigW, smallW, smallH] =
    n <= 5 ? [4 / 5, 1 / 5, 1 / 4] : n <= 7 ? [6 / 7, 1 / 7, 1 / 6] : n <= 9 ? [8 / 9, 1 / 9, 1 / 8] : [4 / 5, 1 / 10, 1 / 8];
  const perColumn = Math.round(1 / smallH);
  const rects: Rect[] = hasBig ? [round({ x: 0, y: 0, w: width * bigW, h: height })] : [];
  const smallCount = Math.min(n, 17) - rects.length;
  for (let i = 0; i < smallCount; i++) {
    const column = Math.floor(i / perColumn);
    const row = i % perColumn;
    rects.push(round({ x: width * (1 - smallW * (column + 1)), y: height * smallH * row, w: width * smallW, h: height * smallH }));
  }
  return rects;
}

/** A custom MixLayoutList rectangle clipped to the canvas (TRTC rejects out-of-canvas values; we clip). */
export function clipRect(r: Rect, width: number, height: number): Rect | null {
  const x = Math.max(0, Math.min(r.x, width));
  const y = Math.max(0, Math.min(r.y, height));
  const w = Math.min(r.w, width - x);
  const h = Math.min(r.h, height - y);
  return w > 0 && h > 0 ? { x, y, w, h } : null;
}
