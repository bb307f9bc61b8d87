/**
 * What the CLI tells the shell: stable exit codes scripts can rely on (documented in docs/cli.md).
 * Every failure the CLI expects is a CliError; anything else is a bug and shows a stack only with --debug.
 */
export const ExitCode = {
  ok: 0,
  /** The operation failed: a job exited non-zero, a healthcheck timed out, the daemon refused it. */
  failed: 1,
  /** Bad flags or arguments; nothing was sent to the daemon. */
  usage: 2,
  /** No daemon answers at ORC_HOST (and none could be started). */
  unreachable: 3,
  /** The daemon did not answer within ORC_TIMEOUT (as timeout(1) exits). */
  timeout: 124,
  /** Interrupted by Ctrl-C (128 + SIGINT), like compose and shells. */
  interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue,
    /** One line telling the user what to do next. */
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export const usageError = (message: string, hint?: string) => new CliError(message, ExitCode.usage, hint);
export const failure = (message: string, hint?: string) => new CliError(message, ExitCode.failed, hint);

/** `orc: message` plus an optional hint line: never a stack unless asked for. */
export function formatError(err: unknown, debug: boolean): string {
  if (err instanceof CliError) {
    const hint = err.hint ? `\n  hint: ${err.hint}` : '';
    const stack = debug && err.stack ? `\n${err.stack}` : '';
    return `${err.message}${hint}${stack}`;
  }
  const message = err instanceof Error ? err.message : String(err);
  if (debug && err instanceof Error && err.stack) return err.stack;
  return `unexpected error: ${message}\n  hint: run again with --debug for details, and report it if it persists`;
}
