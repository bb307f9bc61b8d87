import { isAbsolute, resolve } from 'node:path';

/** `~` → the client's HOME; relative → absolute against `base`. */
export function resolveHostPath(p: string, base: string, env: Record<string, string>): string {
  let out = p;
  if (out === '~' || out.startsWith('~/')) {
    const home = env.HOME ?? env.USERPROFILE;
    if (home) out = home + out.slice(1);
  }
  return isAbsolute(out) ? resolve(out) : resolve(base, out);
}

/** Build contexts that are not local directories: git repositories, URLs, other images. */
export function isRemoteContext(context: string): boolean {
  return (
    /^[a-z][a-z0-9+.-]*:\/\//i.test(context) ||
    context.startsWith('git@') ||
    context.startsWith('github.com/') ||
    context.startsWith('docker-image://') ||
    context.startsWith('service:')
  );
}
