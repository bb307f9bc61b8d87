import type { SpecErrorCode } from '../model/errors.js';

/** A rendering request that names something the project does not have (e.g. `--hash web` without web). */
export class RenderError extends Error {
  readonly code: SpecErrorCode;
  readonly hint?: string;

  constructor(code: SpecErrorCode, message: string, hint?: string) {
    super(message);
    this.name = 'RenderError';
    this.code = code;
    if (hint) this.hint = hint;
  }
}
