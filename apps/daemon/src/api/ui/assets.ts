/**
 * The status page's built files (apps/ui, a Vite build), read once at start into memory: a few small
 * files, served by exact path, so no request can name a file outside them.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, relative, sep } from 'node:path';

export interface Asset {
  body: Buffer;
  type: string;
  /** Names with a content hash (Vite's `assets/`) never change: cached for a year. */
  immutable: boolean;
}

/** URL path (`/`, `/assets/index-abc.js`) → file. */
export type Assets = Map<string, Asset>;

export class UiAssetsError extends Error {
  readonly code = 'UI_ASSETS_MISSING';
  constructor(message: string) {
    super(message);
    this.name = 'UiAssetsError';
  }
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** `ORC_UI_DIR`, else the `dist/` of the `@orc/ui` package installed beside the daemon. */
export function defaultUiDir(): string | undefined {
  try {
    const pkg = createRequire(import.meta.url).resolve('@orc/ui/package.json');
    return join(dirname(pkg), 'dist');
  } catch {
    return undefined;
  }
}

export function loadAssets(dir: string | undefined): Assets {
  const hint =
    'build it (`npx turbo run build`, or `npm run build -w apps/ui`) or point ORC_UI_DIR at a built apps/ui/dist; ' +
    'or start the daemon without --ui';
  if (!dir) throw new UiAssetsError(`--ui: the status page (package @orc/ui) is not installed; ${hint}`);
  if (!existsSync(join(dir, 'index.html'))) {
    throw new UiAssetsError(
      `--ui: the status page is not built: ${join(dir, 'index.html')} is missing; ${hint}`,
    );
  }
  const assets: Assets = new Map();
  for (const file of walk(dir)) {
    const type = TYPES[extname(file)];
    if (!type) continue;
    const rel = relative(dir, file).split(sep).join('/');
    const url = rel === 'index.html' ? '/' : `/${rel}`;
    assets.set(url, { body: readFileSync(file), type, immutable: rel.startsWith('assets/') });
  }
  return assets;
}

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}
