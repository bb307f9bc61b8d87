import { splitShortEquals } from './argv.js';
import { type EarlyExchange, offerEarly } from './client/wire.js';
import { reportFailure } from './context.js';
import { ExitCode } from './errors.js';
import { exitFlushed } from './exit.js';
import { parseHot, runLine } from './hot.js';

/*
 * The hot bundle's entry (dist/hot.js; issue 17, items 2, 3 and 6): `orc ps`, `orc up` and `orc down` in
 * their plain forms, with none of commander and none of the other commands (~80 KB to compile instead of ~300 KB).
 * bin/orc.js runs it when the line names ps, up or down; when this answers false (not a plain line, help,
 * an error commander reports, the docker CLI plugin's invocation), bin/orc.js runs the full bundle
 * (main.ts), which reads the line as before. What runs for a hot line is main.ts's hot path, the same
 * code (hot.ts), reported the same way (a hot line never meets commander, so its errors are reportFailure's).
 */

/**
 * Runs a plain `ps`, `up` or `down` line and exits; false, having done nothing, for any other line. `early`: the
 * request bin/orc.js already sent for this line, which the first exchange takes if it is the same one.
 */
export async function run(processArgv: string[], early?: EarlyExchange): Promise<boolean> {
  if (processArgv[2] === 'docker-cli-plugin-metadata' || process.env.ORC_INVOKED_AS) return false;
  const line = parseHot(splitShortEquals(processArgv));
  if (!line) return false;
  offerEarly(early);
  // `orc ps | head`: a reader that went away is not an error of ours (as in main.ts).
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  let code: number = ExitCode.ok;
  try {
    await runLine(line);
  } catch (err) {
    code = reportFailure(err, processArgv.includes('--debug'));
  }
  // Exit explicitly, as main.ts does: an open stdin or a finished stream must not keep the command alive.
  exitFlushed(code);
  return true;
}
