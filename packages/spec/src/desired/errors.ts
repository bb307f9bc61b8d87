import type { SpecErrorCode } from '../model/errors.js';

/**
 * A Project the loader accepted but that cannot become containers (e.g. `container_name` with more
 * than one replica). The loader checks most of these; this guards callers that build Projects directly.
 */
export class DesiredStateError extends Error {
  readonly code: SpecErrorCode;
  readonly path?: string;
  readonly hint?: string;

  constructor(code: SpecErrorCode, message: string, where: { path?: string; hint?: string } = {}) {
    super(message);
    this.name = 'DesiredStateError';
    this.code = code;
    if (where.path) this.path = where.path;
    if (where.hint) this.hint = where.hint;
  }
}
