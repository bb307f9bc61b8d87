/** Compose's units: Go durations and docker's byte sizes. Both return undefined when the text is not one. */

const DURATION_UNITS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

const DURATION_PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;

/** `1m30s`, `10s`, `1h`, `500ms` → nanoseconds (Go's time.ParseDuration); a number means seconds. */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number')
    return Number.isFinite(value) && value >= 0 ? Math.round(value * 1e9) : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '0') return 0;
  if (/^\d+$/.test(text)) return Number(text) * 1e9;
  if (text === '') return undefined;
  let total = 0;
  DURATION_PART.lastIndex = 0;
  let pos = 0;
  while (pos < text.length) {
    DURATION_PART.lastIndex = pos;
    const m = DURATION_PART.exec(text);
    if (!m) return undefined;
    total += Number(m[1]) * DURATION_UNITS[m[2]!]!;
    pos = DURATION_PART.lastIndex;
  }
  return Math.round(total);
}

const SIZE = /^(\d+(?:\.\d+)?)\s*([kmgtp])?(i)?(b)?$/i;
const SIZE_FACTORS: Record<string, number> = {
  k: 1024,
  m: 1024 ** 2,
  g: 1024 ** 3,
  t: 1024 ** 4,
  p: 1024 ** 5,
};

/** `512m`, `1g`, `100k`, `1.5GB`, `1024` → bytes (binary multiples, as docker's RAMInBytes). */
export function parseByteSize(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const m = SIZE.exec(value.trim());
  if (!m) return undefined;
  const unit = m[2]?.toLowerCase();
  if (!unit && m[3]) return undefined;
  // Truncated like docker's RAMInBytes.
  return Math.trunc(Number(m[1]) * (unit ? SIZE_FACTORS[unit]! : 1));
}
