// GET Object Range: one `bytes=` range (first-last, first-, or -suffix). Like S3, a syntactically invalid or
// multi-range header is ignored (whole object, 200) and a range starting past the end is 416 InvalidRange.
import { CosError } from "./errors";

export function parseRange(value: string | undefined, size: number): [number, number] | undefined {
  if (value === undefined) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(value.trim());
  if (!m || (m[1] === "" && m[2] === "")) return undefined;
  let first: number;
  let last: number;
  if (m[1] === "") {
    const suffix = Number(m[2]);
    if (suffix === 0) throw new CosError(416, "InvalidRange", "The requested range is not satisfiable");
    first = Math.max(0, size - suffix);
    last = size - 1;
  } else {
    first = Number(m[1]);
    last = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
    if (m[2] !== "" && Number(m[2]) < first) return undefined;
  }
  if (first >= size) throw new CosError(416, "InvalidRange", "The requested range is not satisfiable");
  return [first, last];
}
