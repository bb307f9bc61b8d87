/**
 * Go's `time.Duration.String()` for a count of nanoseconds: `1m30s`, `1h0m0s`, `500ms`, `1.5s`, `0s`.
 * compose prints durations this way, and scripts compare its output.
 */
export function formatDuration(ns: number): string {
  let rest = Math.abs(Math.round(ns));
  if (rest === 0) return '0s';
  const sign = ns < 0 ? '-' : '';
  if (rest < 1e3) return `${sign}${rest}ns`;
  if (rest < 1e6) return `${sign}${decimal(rest, 1e3)}µs`;
  if (rest < 1e9) return `${sign}${decimal(rest, 1e6)}ms`;
  const hours = Math.floor(rest / 3.6e12);
  rest -= hours * 3.6e12;
  const minutes = Math.floor(rest / 6e10);
  rest -= minutes * 6e10;
  const seconds = `${decimal(rest, 1e9)}s`;
  if (hours > 0) return `${sign}${hours}h${minutes}m${seconds}`;
  if (minutes > 0) return `${sign}${minutes}m${seconds}`;
  return `${sign}${seconds}`;
}

/** `value / unit` with the fraction's trailing zeros trimmed (exact: no floating-point division). */
function decimal(value: number, unit: number): string {
  const whole = Math.floor(value / unit);
  const fraction = value - whole * unit;
  if (fraction === 0) return String(whole);
  const digits = String(unit).length - 1;
  return `${whole}.${String(fraction).padStart(digits, '0').replace(/0+$/, '')}`;
}

/** compose-go prints byte sizes as a plain count of bytes, in a string (`"52428800"`). */
export function formatBytes(bytes: number): string {
  return String(Math.round(bytes));
}

/** File modes as compose prints them: octal with a leading zero (`"0440"`). */
export function formatFileMode(mode: number): string {
  return `0${mode.toString(8)}`;
}
