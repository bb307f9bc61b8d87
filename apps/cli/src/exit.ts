/**
 * Exits once stdout has handed everything written to it to the reader. `process.exit` drops what a pipe
 * has not taken yet: `orc ps --format json | slow-reader` of 200 containers kept only the first 64 KiB
 * (the pipe's buffer). A terminal or a file takes writes at once, and the exit is then immediate.
 */
export function exitFlushed(code: number): void {
  const out = process.stdout;
  if (out.writableLength === 0) process.exit(code);
  out.once('drain', () => process.exit(code));
  // A reader that went away: EPIPE is reported by the stream's 'error' handler (main.ts, hot-main.ts).
  out.once('close', () => process.exit(code));
}
