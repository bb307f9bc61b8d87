import { type Command, Option } from 'commander';
import { GLOBALS } from './globals.js';

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

/**
 * compose's global flags. Subcommands get hidden copies so `orc up -f x.yaml` works as well as
 * `orc -f x.yaml up`; where a command has its own short flag (`logs -f`), the copy is long-only.
 */
export function addGlobalOptions(cmd: Command, hidden: boolean): Command {
  for (const [short, long, description, choices] of GLOBALS) {
    const taken = short !== undefined && cmd.options.some((o) => o.short === short);
    const option = new Option(short && !taken ? `${short}, ${long}` : long, description);
    if (choices) option.choices(choices);
    if (/repeatable/.test(description)) option.argParser(collect);
    cmd.addOption(hidden ? option.hideHelp() : option);
  }
  return cmd;
}
