/** A key path inside a compose tree: map keys are strings, sequence indices numbers. */
export type KeyPath = ReadonlyArray<string | number>;

const PLAIN_KEY = /^[A-Za-z0-9_-]+$/;

/** `services.web.ports[1]`, as people write it; odd keys are quoted (`labels["com.example"]`). */
export function formatPath(path: KeyPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (PLAIN_KEY.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** A Map key for a path (segments cannot contain NUL in YAML keys we keep). */
export function pathKey(path: KeyPath): string {
  return path.map((s) => (typeof s === 'number' ? `#${s}` : `.${s}`)).join('\u0000');
}
