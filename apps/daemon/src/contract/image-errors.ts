/**
 * Image errors carry a stable code (scripts, tests and the API match on it) and a message that says what
 * happened and how to fix it. They never carry credentials: messages are built from the engine's text and
 * our own words, never from request headers or the auth config.
 */
import { OrcError } from './errors.js';

export type ImageErrorCode =
  /** The image is not present and the policy forbids pulling/building it. */
  | 'IMAGE_MISSING'
  /** The registry answered that the repository or tag does not exist. */
  | 'IMAGE_NOT_FOUND'
  /** The registry refused our credentials, or wanted some. */
  | 'REGISTRY_AUTH'
  /** The registry could not be reached (DNS, refused, TLS, timeout). */
  | 'REGISTRY_UNREACHABLE'
  | 'PULL_FAILED'
  | 'PUSH_FAILED'
  /** A build step failed; `details.step` and `details.output` say which and what it printed. */
  | 'BUILD_FAILED'
  /** The build context or Dockerfile cannot be used (missing, unreadable). */
  | 'BUILD_CONTEXT'
  | 'INVALID_REFERENCE'
  | 'INVALID_PULL_POLICY'
  | 'PLATFORM_UNSUPPORTED'
  | 'NOT_SUPPORTED'
  | 'CREDENTIAL_HELPER'
  | 'ENGINE_ERROR'
  | 'CANCELLED';

export interface ImageErrorDetails {
  image?: string;
  service?: string;
  registry?: string;
  /** Build: the step that failed (`Step 3/5 : RUN make`). */
  step?: string;
  /** Build: the last lines the failing step printed. */
  output?: string[];
  /** The engine's own message, when it is safe to show (it never holds credentials). */
  engine?: string;
}

/**
 * An `OrcError` whose code is an image code and whose details say which image, registry or build step:
 * the same error type as everywhere else (no conversion when it leaves this module), typed more narrowly.
 */
export class ImageError extends OrcError<ImageErrorDetails> {
  declare readonly code: ImageErrorCode;
  declare readonly details: ImageErrorDetails;
  constructor(code: ImageErrorCode, message: string, details: ImageErrorDetails = {}) {
    super(code, message, details);
  }
}

export function isImageError(err: unknown, code?: ImageErrorCode): err is ImageError {
  return err instanceof ImageError && (code === undefined || err.code === code);
}
