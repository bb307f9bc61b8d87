/**
 * Image errors carry a stable code (scripts, tests and the API match on it) and a message that says what
 * happened and how to fix it. They never carry credentials: messages are built from the engine's text and
 * our own words, never from request headers or the auth config.
 */
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

export class ImageError extends Error {
  readonly code: ImageErrorCode;
  readonly details: ImageErrorDetails;
  constructor(code: ImageErrorCode, message: string, details: ImageErrorDetails = {}) {
    super(message);
    this.name = 'ImageError';
    this.code = code;
    this.details = details;
  }

  /** The shape of `OperationError` (core/types.ts). */
  toJSON(): { code: ImageErrorCode; message: string; details: ImageErrorDetails } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

export function isImageError(err: unknown, code?: ImageErrorCode): err is ImageError {
  return err instanceof ImageError && (code === undefined || err.code === code);
}
