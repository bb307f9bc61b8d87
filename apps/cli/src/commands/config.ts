import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { failure, usageError } from '../errors.js';
import { formatProblem, isProblem } from '../render/problems.js';
import { table } from '../render/table.js';
import { handler } from './util.js';

interface ConfigFlags {
  format: string;
  services?: boolean;
  volumes?: boolean;
  profiles?: boolean;
  images?: boolean;
  output?: string;
  variables?: boolean;
  hash?: string;
  quiet?: boolean;
  /** commander's `--no-consistency` sets `consistency: false`. */
  consistency?: boolean;
  environment?: boolean;
}

interface ProjectJson {
  name?: string;
  services?: Record<string, { profiles?: string[]; image?: string }>;
  volumes?: Record<string, unknown>;
  /** Per-service config hashes, when the daemon includes them. */
  hashes?: Record<string, string>;
}

const lines = (items: string[]) => (items.length ? `${items.join('\n')}\n` : '');

/** What the list flags print, from the normalised project (the daemon did the loading). */
export function configListing(flags: ConfigFlags, project: ProjectJson): string | undefined {
  if (flags.services) return lines(Object.keys(project.services ?? {}));
  if (flags.volumes) return lines(Object.keys(project.volumes ?? {}));
  // compose's `config --images`: a build-only service's image is its default name, `<project>-<service>`.
  if (flags.images) {
    return lines(Object.entries(project.services ?? {}).map(([n, s]) => s.image ?? `${project.name}-${n}`));
  }
  if (flags.profiles) {
    const all = new Set(Object.values(project.services ?? {}).flatMap((s) => s.profiles ?? []));
    return lines([...all].sort());
  }
  if (flags.hash !== undefined) {
    if (!project.hashes) throw failure('config --hash: this daemon does not report service hashes');
    const wanted = flags.hash === '*' ? Object.keys(project.hashes).sort() : flags.hash.split(',');
    return lines(wanted.map((s) => `${s} ${project.hashes?.[s] ?? '(unknown service)'}`));
  }
  return undefined;
}

/** One variable as the daemon reports it (packages/spec VariableReport), read defensively. */
interface VariableRow {
  name: string;
  required?: boolean;
  defaultValue?: string;
  alternateValue?: string;
  value?: string;
  source?: string;
}

/**
 * compose's `config --variables` table (NAME, REQUIRED, DEFAULT VALUE, ALTERNATE VALUE), plus what
 * the `variables` feature added: the value the load used and where it came from.
 */
export function variablesTable(rows: readonly VariableRow[]): string {
  const body = rows.map((v) => [
    v.name,
    v.required ? 'true' : 'false',
    v.defaultValue ?? '',
    v.alternateValue ?? '',
    v.value ?? '',
    v.source ?? '',
  ]);
  return `${table(['NAME', 'REQUIRED', 'DEFAULT VALUE', 'ALTERNATE VALUE', 'RESOLVED VALUE', 'SOURCE'], body)}
`;
}

/** compose's `config --environment`: `KEY=VALUE` lines, sorted (Go's `Mapping.Values()`). */
export function environmentLines(env: Readonly<Record<string, string>>): string {
  const rows = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  return lines(rows.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The services `--hash` names; undefined for `*` or without it (every service is checked). */
export function hashedServices(hash: string | undefined): string[] | undefined {
  if (hash === undefined || hash === '*') return undefined;
  const names = hash.split(',').filter((s) => s !== '');
  return names.length > 0 ? names : undefined;
}

export function registerConfig(program: Command): Command {
  return program
    .command('config')
    .description('parse, resolve and render the compose file in canonical form')
    .option('--format <format>', 'yaml or json', 'yaml')
    .option('--services', 'print the service names, one per line')
    .option('--volumes', 'print the volume names, one per line')
    .option('--profiles', 'print the profile names, one per line')
    .option('--images', 'print the image names, one per line')
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .option('--variables', 'print the variables used and declared, with their values and sources')
    .option('--hash <services>', 'print the service config hash, one per line ("*" for all)')
    .option('-q, --quiet', 'only validate the configuration, print nothing')
    .option('--environment', 'print the environment used for interpolation')
    .option(
      '--no-consistency',
      'do not refuse cross-reference problems (undefined services, networks, volumes): warn',
    )
    .action(
      handler<[], ConfigFlags>(async (context, f) => {
        if (f.format !== 'yaml' && f.format !== 'json')
          throw usageError(`--format ${f.format}: expected yaml or json`);
        // `-o FILE`: what would go to stdout goes to the file (written once, at the end); warnings stay on stderr.
        let captured = '';
        const ctx = f.output
          ? {
              ...context,
              stdout: {
                write: (text: string) => {
                  captured += text;
                  return true;
                },
              } as unknown as typeof context.stdout,
            }
          : context;
        const render = async (): Promise<void> => {
          const client = await ctx.connect();
          // The model first: its warnings (keys orc does not act on, deprecated forms) go to stderr, located,
          // as compose prints them; the YAML rendering is a second call only when it is what was asked for.
          // `--hash a,b` is about those services only: compose refuses it for their problems (a missing
          // env_file, a container_name clash between them), not for the other services'.
          const about = hashedServices(f.hash);
          const answer = (await client.config(ctx.source(), 'json', f.consistency, about, f.environment)) as {
            project: ProjectJson;
            warnings?: unknown[];
            hashes?: Record<string, string>;
            variables?: VariableRow[];
            environment?: Record<string, string>;
          };
          for (const w of answer.warnings ?? []) {
            if (isProblem(w)) ctx.stderr.write(`warning: ${formatProblem(w)}\n`);
          }
          if (f.quiet) return;
          if (f.variables) {
            ctx.stdout.write(variablesTable(answer.variables ?? []));
            return;
          }
          if (f.environment) {
            if (!answer.environment) throw failure('config --environment: this daemon does not report it');
            ctx.stdout.write(environmentLines(answer.environment));
            return;
          }
          const listing = f.services || f.volumes || f.profiles || f.images || f.hash !== undefined;
          if (!listing && f.format === 'yaml') {
            const yaml = await client.config(ctx.source(), 'yaml', f.consistency);
            const text = typeof yaml === 'string' ? yaml : JSON.stringify(yaml, null, 2);
            ctx.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
            return;
          }
          const { project, hashes } = answer;
          const out = configListing(f, hashes ? { ...project, hashes } : project);
          ctx.stdout.write(out ?? `${JSON.stringify(project, null, 2)}\n`);
        };
        await render();
        if (f.output) await writeFile(f.output, captured);
      }),
    );
}
