import type { KeyPath } from '../load/path.js';
import type { SpecErrorCode } from '../model/errors.js';

/** A problem found on a key path; the loader turns the path into file:line:col. */
export interface PathProblem {
  code: SpecErrorCode;
  message: string;
  path: KeyPath;
  hint?: string;
  /** Point at the key rather than at its value. */
  at?: 'key' | 'value';
  severity?: 'error' | 'warning';
  /** Fails only commands that select all of these services (a ServiceProblem), not the load. */
  services?: string[];
}

export interface NormalizeContext {
  projectName: string;
  /** Absolute project directory: relative paths resolve against it. */
  workingDir: string;
  /** The client's environment (with .env values under it): `~`, env_file lookups. */
  env: Record<string, string>;
  /** Reads a file as text, or returns undefined when it does not exist. */
  readText: (absPath: string) => string | undefined;
  report: (p: PathProblem) => void;
}

export type Dict = Record<string, unknown>;

export function isDict(v: unknown): v is Dict {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** Booleans, also as interpolated strings (Go's strconv.ParseBool, as compose-go casts). */
export function toBool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    if (TRUE.has(v)) return true;
    if (FALSE.has(v)) return false;
  }
  return undefined;
}

export function toInt(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isInteger(v) ? v : undefined;
  if (typeof v === 'string' && /^[-+]?\d+$/.test(v.trim())) return Number(v.trim());
  return undefined;
}

export function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

/** Scalars as compose keeps them in string maps (labels, environment values, driver_opts). */
export function scalarString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}
