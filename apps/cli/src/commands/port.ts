import type { Command } from 'commander';
import type { ContainerSummary } from '../client/types.js';
import { failure, usageError } from '../errors.js';
import { findProject } from './project.js';
import { count, handler } from './util.js';

/** `HOST:PORT` published for a container's private port, or undefined. */
export function publishedFor(c: ContainerSummary, port: number, protocol: string): string | undefined {
  const matches = (c.Publishers ?? []).filter(
    (x) => x.TargetPort === port && x.Protocol === protocol && x.PublishedPort,
  );
  // compose prints the IPv4 binding when there are both.
  const p = matches.find((x) => !x.URL.includes(':')) ?? matches[0];
  return p ? `${p.URL || '0.0.0.0'}:${p.PublishedPort}` : undefined;
}

export function registerPort(program: Command): Command {
  return program
    .command('port')
    .description('print the public port for a port binding')
    .argument('<service>')
    .argument('<private_port>')
    .option('--protocol <protocol>', 'tcp or udp', 'tcp')
    .option('--index <n>', 'index of the container if the service has several replicas', count('--index'), 1)
    .action(
      handler<[string, string], { protocol: string; index: number }>(async (ctx, f, service, privatePort) => {
        const port = Number(privatePort);
        if (!Number.isInteger(port) || port < 1 || port > 65535)
          throw usageError(`${privatePort}: not a port number`);
        const client = await ctx.connect();
        const { name, project } = await findProject(ctx, client);
        const container = project?.containers.find((c) => c.Service === service && c.Number === f.index);
        if (!container)
          throw failure(`no container for service ${service} (index ${f.index}) in project ${name}`);
        const published = publishedFor(container, port, f.protocol);
        if (!published) throw failure(`no public port for ${service}:${port}/${f.protocol}`);
        ctx.stdout.write(`${published}\n`);
      }),
    );
}
