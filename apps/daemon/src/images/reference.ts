import { ImageError } from '../contract/image-errors.js';

/**
 * An image reference split the way the Engine API wants it (`fromImage` + `tag`) and the way registry auth
 * wants it (the registry host). Rules from the distribution reference grammar: the first path component is a
 * registry when it has a `.` or `:` or is `localhost`; otherwise the image lives on Docker Hub.
 */
export interface ImageReference {
  /** As written. */
  raw: string;
  /** `docker.io` for Docker Hub, else `host[:port]`. */
  registry: string;
  /** Name without tag/digest, as written (`nginx`, `127.0.0.1:5000/team/app`). */
  name: string;
  tag?: string;
  digest?: string;
}

export const DOCKER_HUB = 'docker.io';
/** The key Docker Hub credentials are stored under in config.json, and the server address helpers know. */
export const DOCKER_HUB_AUTH_KEY = 'https://index.docker.io/v1/';

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,}$/;
const HOST = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:]+\])(?::[0-9]+)?$/;

function invalid(raw: string, why: string): ImageError {
  return new ImageError(
    'INVALID_REFERENCE',
    `invalid image reference "${raw}": ${why}; expected [registry/]name[:tag][@digest] with a lowercase name`,
    { image: raw },
  );
}

export function parseReference(raw: string): ImageReference {
  if (!raw || raw.trim() !== raw) throw invalid(raw, 'empty or surrounded by spaces');
  let rest = raw;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw invalid(raw, `bad digest "${digest}"`);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw invalid(raw, `bad tag "${tag}"`);
  }
  const parts = rest.split('/');
  let registry = DOCKER_HUB;
  const first = parts[0] ?? '';
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    if (!HOST.test(first)) throw invalid(raw, `bad registry host "${first}"`);
    registry = first;
    parts.shift();
  }
  if (parts.length === 0 || parts.some((p) => !COMPONENT.test(p))) {
    throw invalid(raw, 'each path component must be lowercase letters, digits and separators (. _ __ -)');
  }
  return { raw, registry, name: rest, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

/** What the Engine API's `tag` parameter wants: the digest if pinned, else the tag (default `latest`). */
export function apiTag(ref: ImageReference): string {
  return ref.digest ?? ref.tag ?? 'latest';
}

/** `name:tag` (or `name@digest`), with the implicit `latest` made explicit: the form `docker images` shows. */
export function canonicalReference(ref: ImageReference): string {
  return ref.digest ? `${ref.name}@${ref.digest}` : `${ref.name}:${ref.tag ?? 'latest'}`;
}

/** A registry as people write it in config.json keys: strip scheme and path, map Hub aliases to one name. */
export function normaliseRegistry(key: string): string {
  const host = key
    .replace(/^[a-z]+:\/\//i, '')
    .split('/')[0]!
    .toLowerCase();
  if (host === 'index.docker.io' || host === 'registry-1.docker.io' || host === 'registry.hub.docker.com') {
    return DOCKER_HUB;
  }
  return host;
}

/** True for contexts the engine would have to fetch itself (git repositories, tarball URLs). */
export function isRemoteContext(context: string): boolean {
  return (
    /^(?:https?:\/\/|git@|git:\/\/|ssh:\/\/|github\.com\/)/i.test(context) || /\.git(?:#.*)?$/.test(context)
  );
}
