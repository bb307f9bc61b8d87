import type { ServiceVolume } from '../model/project.js';

export type VolumeResult =
  | { ok: true; volume: ServiceVolume }
  | { ok: false; message: string; hint?: string };

const PROPAGATION = new Set(['shared', 'rshared', 'slave', 'rslave', 'private', 'rprivate']);

/** Host paths in short syntax start like this; anything else is a named volume. */
export function isHostPath(source: string): boolean {
  return (
    source.startsWith('/') ||
    source.startsWith('.') ||
    source.startsWith('~') ||
    /^[A-Za-z]:[\\/]/.test(source)
  );
}

/** `[source:]target[:opts]` with opts among ro, rw, z, Z, nocopy and a propagation mode. */
export function parseShortVolume(spec: string): VolumeResult {
  const parts = spec.split(':');
  let source: string | undefined;
  let target: string;
  let options: string[] = [];
  if (parts.length === 1) target = parts[0]!;
  else if (parts.length === 2) {
    source = parts[0];
    target = parts[1]!;
  } else if (parts.length === 3) {
    source = parts[0];
    target = parts[1]!;
    options = parts[2]!.split(',').filter((o) => o !== '');
  } else {
    return {
      ok: false,
      message: `invalid volume "${spec}": too many ":"`,
      hint: 'use source:target[:options]',
    };
  }
  if (target === '') return { ok: false, message: `invalid volume "${spec}": the target is empty` };
  if (source === '') return { ok: false, message: `invalid volume "${spec}": the source is empty` };
  if (!target.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(target)) {
    return {
      ok: false,
      message: `invalid volume "${spec}": the target "${target}" is not an absolute path`,
      hint: 'the part after ":" is the path inside the container and must start with "/"',
    };
  }
  const volume: ServiceVolume = {
    type: source === undefined ? 'volume' : isHostPath(source) ? 'bind' : 'volume',
    target,
  };
  if (source !== undefined) volume.source = source;
  for (const opt of options) {
    if (opt === 'ro') volume.read_only = true;
    else if (opt === 'rw') volume.read_only = false;
    else if (opt === 'z' || opt === 'Z') {
      // Named volumes take it too (the engine relabels their content); compose-go keeps it under `bind`.
      volume.bind = { ...volume.bind, selinux: opt };
    } else if (opt === 'nocopy') {
      if (volume.type !== 'volume')
        return { ok: false, message: `invalid volume "${spec}": "nocopy" applies to volumes only` };
      volume.volume = { nocopy: true };
    } else if (PROPAGATION.has(opt)) {
      if (volume.type !== 'bind') {
        return {
          ok: false,
          message: `invalid volume "${spec}": propagation "${opt}" applies to bind mounts only`,
        };
      }
      volume.bind = { ...volume.bind, propagation: opt };
    } else if (opt === 'cached' || opt === 'delegated' || opt === 'consistent') volume.consistency = opt;
    else {
      return {
        ok: false,
        message: `invalid volume "${spec}": unknown option "${opt}"`,
        hint: 'options are ro, rw, z, Z, nocopy, cached, delegated and a propagation (shared, rshared, slave, rslave, private, rprivate)',
      };
    }
  }
  if (volume.type === 'bind') volume.bind = { create_host_path: true, ...volume.bind };
  // compose-go gives a short-syntax volume an (empty) volume section: `docker compose config` prints `volume: {}`.
  else volume.volume = { ...volume.volume };
  return { ok: true, volume };
}
