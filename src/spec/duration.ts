/** Durations as users write them: 250ms, 90s, 15m, 1h, or combined 1m30s. */
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
const PART_SOURCE = String.raw`(\d+(?:\.\d+)?)(ms|s|m|h)`;

/** Milliseconds, or undefined when `text` is not a duration. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  let total = 0;
  let position = 0;
  // A sticky regex per call (its lastIndex is state): it walks the string part by part.
  const part = new RegExp(PART_SOURCE, 'y');
  while (position < trimmed.length) {
    part.lastIndex = position;
    const match = part.exec(trimmed);
    if (!match) return undefined;
    const [, amount = '0', unit = 'ms'] = match;
    total += Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
    position = part.lastIndex;
  }
  return Math.round(total);
}

/** The shortest readable form: 250ms, 90s, 15m, 1h30m. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const parts: string[] = [];
  let rest = Math.round(ms / 1000);
  const hours = Math.floor(rest / 3600);
  rest -= hours * 3600;
  const minutes = Math.floor(rest / 60);
  rest -= minutes * 60;
  if (hours) parts.push(`${hours}h`);
  if (minutes) parts.push(`${minutes}m`);
  if (rest || parts.length === 0) parts.push(`${rest}s`);
  return parts.join('');
}
