/**
 * `orc build --build-arg`: compose's override of a build section's args. `KEY=VAL` sets KEY; a bare
 * `KEY` takes its value from the client's environment and, when that has none, removes KEY (compose
 * resolves the merged mapping against the environment and drops what stays empty). Pure.
 */
export function overrideBuildArgs(
  args: Readonly<Record<string, string>>,
  overrides: readonly string[],
  env: Readonly<Record<string, string>>,
): Record<string, string> {
  const out = { ...args };
  for (const o of overrides) {
    const at = o.indexOf('=');
    if (at >= 0) {
      out[o.slice(0, at)] = o.slice(at + 1);
      continue;
    }
    const value = env[o];
    if (value !== undefined) out[o] = value;
    else delete out[o];
  }
  return out;
}
