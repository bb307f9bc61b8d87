import type { Command } from 'commander';
import { resolveAddress } from '../client/address.js';
import { api } from '../client/api.js';
import { UnreachableError } from '../client/http.js';
import { composeVersion, version } from '../version.js';
import { handler } from './util.js';

export function registerVersion(program: Command): Command {
  return (
    program
      .command('version')
      .description('show the orc version (and the daemon’s and engine’s, when one answers)')
      .option('--short', 'print only the CLI version')
      // compose's `version -f json`: the command's own -f wins over the global --file, as `logs -f` does.
      .option('-f, --format <format>', 'pretty or json', 'pretty')
      .action(
        handler<[], { short?: boolean; format: string }>(async (ctx, f) => {
          // Standing in for compose: answer as compose does (scripts parse it), and say it is orc.
          if (ctx.env.ORC_AS_COMPOSE) {
            if (f.short) ctx.stdout.write(`${composeVersion}\n`);
            else if (f.format === 'json')
              ctx.stdout.write(`${JSON.stringify({ version: `v${composeVersion}`, orc: version })}\n`);
            else ctx.stdout.write(`Docker Compose version v${composeVersion} (orc ${version})\n`);
            return;
          }
          if (f.short) {
            ctx.stdout.write(`${version}\n`);
            return;
          }
          // Never starts a daemon: `version` answers about what is there.
          const address = resolveAddress(ctx.env, process.getuid?.() ?? 0);
          const health = await api(address)
            .health()
            .catch((err: unknown) => {
              if (err instanceof UnreachableError) return undefined;
              throw err;
            });
          const info = {
            client: version,
            daemon: health ? (health.version ?? 'unknown') : null,
            engine: health?.engine?.version ?? null,
            engineApi: health?.engine?.apiVersion ?? null,
            address: address.display,
          };
          if (f.format === 'json') {
            ctx.stdout.write(`${JSON.stringify(info)}\n`);
            return;
          }
          const lines = [
            `orc version ${info.client}`,
            health ? `daemon ${info.daemon} at ${info.address}` : `daemon: none answers at ${info.address}`,
          ];
          if (info.engine) lines.push(`engine ${info.engine} (API ${info.engineApi})`);
          ctx.stdout.write(`${lines.join('\n')}\n`);
        }),
      )
  );
}
