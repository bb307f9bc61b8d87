import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DesiredStateError } from '../desired/errors.js';
import { sortedRecord } from '../hash/canonical.js';
import { ORC_VERSION, SwarmLabels } from '../model/labels.js';
import type { Project, Secret } from '../model/project.js';
import type { DesiredSwarmFile, SwarmFileSpec } from '../model/swarm.js';
import { versionedName } from './names.js';

/** Reads a secret's or config's `file:`; undefined when it cannot be read. */
export type ReadFile = (path: string) => Uint8Array | undefined;

export const readFileBytes: ReadFile = (path) => {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
};

/**
 * A secret or config as a Swarm object: the value read now (`file:` from the daemon's disk, `content:`,
 * `environment:` from the environment the project was loaded with), named after its hash.
 */
export function desiredSwarmFile(
  project: Project,
  kind: 'secret' | 'config',
  key: string,
  readFile: ReadFile,
): DesiredSwarmFile {
  const all = kind === 'secret' ? project.secrets : project.configs;
  const source = all?.[key] as Secret | undefined;
  const section = `${kind}s`;
  if (!source) {
    throw new DesiredStateError(
      kind === 'secret' ? 'UNKNOWN_SECRET' : 'UNKNOWN_CONFIG',
      `no ${kind} "${key}"`,
      {
        path: `${section}.${key}`,
      },
    );
  }
  if (source.external) {
    return { kind, key, name: source.name, external: true, spec: { Name: source.name, Labels: {} } };
  }
  const bytes = fileValue(source, kind, key, readFile);
  const hash = createHash('sha256').update(bytes).digest('hex');
  const name = versionedName(source.name, hash);
  const spec: SwarmFileSpec = {
    Name: name,
    Labels: sortedRecord({
      ...source.labels,
      [SwarmLabels.namespace]: project.name,
      [SwarmLabels.orcManaged]: 'true',
      [SwarmLabels.orcTarget]: 'swarm',
      [SwarmLabels.orcVersion]: ORC_VERSION,
      [SwarmLabels.orcKey]: key,
      [SwarmLabels.orcConfigHash]: hash,
    }),
  };
  return {
    kind,
    key,
    name,
    external: false,
    hash,
    spec,
    data: { base64: Buffer.from(bytes).toString('base64') },
  };
}

function fileValue(source: Secret, kind: string, key: string, readFile: ReadFile): Uint8Array {
  const path = `${kind}s.${key}`;
  if (source.file !== undefined) {
    const bytes = readFile(source.file);
    if (!bytes) {
      throw new DesiredStateError('FILE_NOT_FOUND', `${kind} "${key}": cannot read ${source.file}`, {
        path: `${path}.file`,
        hint: 'the daemon reads the file to send its value to the swarm: check the path and its permissions',
      });
    }
    return bytes;
  }
  if (source.content !== undefined) return new TextEncoder().encode(source.content);
  if (source.environment !== undefined) {
    if (source.environment_value === undefined) {
      throw new DesiredStateError(
        'UNSET_VARIABLE',
        `${kind} "${key}": the variable ${source.environment} is not set`,
        {
          path: `${path}.environment`,
          hint: `set ${source.environment} in the environment you run orc from, or in .env`,
        },
      );
    }
    return new TextEncoder().encode(source.environment_value);
  }
  throw new DesiredStateError('INVALID_VALUE', `${kind} "${key}" has no source`, {
    path,
    hint: 'set one of `file`, `environment`, `content`, or `external: true`',
  });
}
