/**
 * The one builder of a container's endpoint settings on a network (create body, connect, start-first
 * take-over, one-offs): every network of a container gets the settings its desired endpoint says.
 */
import type { DesiredEndpoint, EndpointSettingsBody } from '@orc/spec';

/**
 * The desired state carries each endpoint's exact `EndpointConfig` (aliases, IPAM with link-local IPs,
 * MAC address, driver options, links), the same bytes the create body gives the first network; a
 * connect must send those, not a subset rebuilt here, or the second network silently loses settings.
 * The rebuild below only serves endpoints from records written before `settings` existed.
 */
export function endpointSettings(ep: DesiredEndpoint): EndpointSettingsBody {
  if (ep.settings) return ep.settings;
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
