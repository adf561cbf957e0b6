/**
 * ALB's success-code matcher: "200", "200,202", "200-299" or a mix, codes
 * 200 to 499 (ALB's documented range for HTTP health checks).
 */

export type CodeRange = { from: number; to: number };

export type MatcherParse = { ok: true; ranges: CodeRange[] } | { ok: false; reason: string };

const MIN_CODE = 200;
const MAX_CODE = 499;

export function parseMatcher(httpCode: string): MatcherParse {
  const ranges: CodeRange[] = [];
  for (const part of httpCode.split(',')) {
    const match = /^\s*(\d{3})(?:\s*-\s*(\d{3}))?\s*$/.exec(part);
    if (!match) return { ok: false, reason: `'${part}' is not an HTTP code or a range of codes` };
    const from = Number(match[1]);
    const to = match[2] === undefined ? from : Number(match[2]);
    if (from < MIN_CODE || to > MAX_CODE) return { ok: false, reason: `HTTP codes must be between ${MIN_CODE} and ${MAX_CODE}` };
    if (to < from) return { ok: false, reason: `the range '${part.trim()}' ends before it starts` };
    ranges.push({ from, to });
  }
  return { ok: true, ranges };
}

export function matches(ranges: readonly CodeRange[], status: number): boolean {
  return ranges.some((r) => status >= r.from && status <= r.to);
}
