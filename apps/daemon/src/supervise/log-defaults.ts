/**
 * The daemon-wide `logging:` of services that set none, from `--log-driver` / `--log-opt`. Whatever the
 * operator leaves out stays bounded: json-file without a `max-size` would grow until the disk is full.
 */
import { DEFAULT_LOGGING, type LogDefaults } from '@orc/spec';

/** Undefined when the operator gave nothing: the spec's default (json-file, 10m × 3) applies. */
export function containerLogDefaults(
  driver: string | undefined,
  options: Record<string, string>,
): LogDefaults | undefined {
  if (!driver && Object.keys(options).length === 0) return undefined;
  const type = driver ?? DEFAULT_LOGGING.driver;
  // Other drivers keep nothing on the host (syslog, journald, ...) or rotate on their own (`local`: 20 MB × 5).
  if (type !== 'json-file') return { driver: type, options: { ...options } };
  // json-file: keep the operator's options, and bound what they left open.
  return { driver: type, options: { ...DEFAULT_LOGGING.options, ...options } };
}
