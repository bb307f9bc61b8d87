import type { SpecError, SpecWarning } from '../model/errors.js';
import type { Project } from '../model/project.js';
import type { Target } from '../model/swarm.js';
import type { VariableReport } from './variables.js';

export interface InlineFile {
  /** Shown in errors (`<inline>` when absent). */
  name?: string;
  content: string;
}

export interface LoadOptions {
  /** The client's working directory: where discovery starts and relative `-f` paths resolve. */
  workingDir: string;
  /** `-f` files (relative to workingDir). Empty/absent = `COMPOSE_FILE`, else discovery. */
  files?: string[];
  /** Compose text sent inline (REST API); used instead of files when given. */
  inline?: InlineFile[];
  /**
   * The environment to interpolate with: the client's, never the daemon's own.
   * `.env` / `--env-file` values are added under it (this map wins).
   */
  env: Record<string, string>;
  /** `--env-file` paths (relative to workingDir); default `<project dir>/.env` when present. */
  envFiles?: string[];
  /**
   * `--var NAME=VALUE`: defaults for interpolation over the files' `variables`, under the
   * environment (load/variables.ts has the whole order).
   */
  variables?: Record<string, string>;
  /** `--var-file` paths (relative to workingDir), each holding `variables:`; later files win. */
  variableFiles?: string[];
  /** `-p`. */
  projectName?: string;
  /** `--project-directory`. */
  projectDirectory?: string;
  /** `--profile` (added to `COMPOSE_PROFILES`). */
  profiles?: string[];
  /** Services named on the command line: they enable their own profiles. */
  services?: string[];
  /**
   * Skip the cross-reference checks (unknown services/networks/volumes, cycles, port and name
   * conflicts), like compose's `--no-consistency`. Syntax and value errors are still reported.
   */
  skipConsistencyCheck?: boolean;
  /**
   * `--target`: wins over the file's `x-orc: {target: …}`. On `swarm`, what Swarm cannot do is reported
   * (located) with the load: errors as service problems (`problemsFor`), warnings with the load's.
   */
  target?: Target;
}

export type LoadResult =
  | {
      ok: true;
      project: Project;
      warnings: SpecWarning[];
      /** What `config --variables` prints: every variable used or declared, with its value and source. */
      variables?: VariableReport[];
      /**
       * What `config --environment` prints: the environment the files were interpolated with (`.env` /
       * `--env-file` values under the client's own, plus COMPOSE_PROJECT_NAME when the client has none).
       */
      environment?: Record<string, string>;
    }
  | { ok: false; errors: SpecError[]; warnings: SpecWarning[] };
