/**
 * The one builder of a container's endpoint settings on a network (create body, connect, start-first
 * take-over, one-offs): every network of a container gets the settings its desired endpoint says.
 */
import type { DesiredEndpoint, EndpointSettingsBody } from '@orc/spec';

export function endpointSettings(ep: DesiredEndpoint): EndpointSettingsBody {
  const ipam =
    ep.ipv4_address || ep.ipv6_address
      ? {
          IPAMConfig: {
            ...(ep.ipv4_address ? { IPv4Address: ep.ipv4_address } : {}),
            ...(ep.ipv6_address ? { IPv6Address: ep.ipv6_address } : {}),
          },
        }
      : {};
  return { ...(ep.aliases.length ? { Aliases: ep.aliases } : {}), ...ipam };
}
