/**
 * compose (cobra/pflag) reads `-f=./compose.yaml` as `-f ./compose.yaml`; commander would take
 * `=./compose.yaml` as the value. Split a single-letter flag's `=value` before commander sees it, up to
 * `--` and up to the command line that `run`/`exec` hand to the container (it is the user's, untouched).
 */
export function splitShortEquals(argv: string[]): string[] {
  const out: string[] = [];
  let passthrough = false;
  let oneOff: 'no' | 'command' | 'service' = 'no';
  for (const arg of argv) {
    if (passthrough) {
      out.push(arg);
      continue;
    }
    if (arg === '--') {
      passthrough = true;
      out.push(arg);
      continue;
    }
    const m = /^-([A-Za-z])=(.*)$/s.exec(arg);
    if (m) {
      out.push(`-${m[1]}`, m[2] ?? '');
      continue;
    }
    out.push(arg);
    if (arg.startsWith('-')) continue;
    if (oneOff === 'no' && (arg === 'run' || arg === 'exec')) oneOff = 'command';
    else if (oneOff === 'command') {
      // The service: what follows is the container's command line.
      oneOff = 'service';
      passthrough = true;
    }
  }
  return out;
}
