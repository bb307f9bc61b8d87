import type { Command } from 'commander';
import { registerAttachService } from './commands/attach-service.js';
import { registerBuild } from './commands/build.js';
import { registerCommit } from './commands/commit.js';
import { registerCompletion } from './commands/completion.js';
import { registerConfig } from './commands/config.js';
import { registerCp } from './commands/cp.js';
import { registerDaemon } from './commands/daemon.js';
import { registerDown } from './commands/down.js';
import { registerEvents } from './commands/events.js';
import { registerExec } from './commands/exec.js';
import { registerExport } from './commands/export.js';
import { registerImages } from './commands/images.js';
import { registerLifecycle } from './commands/lifecycle.js';
import { registerLogs } from './commands/logs.js';
import { registerLs } from './commands/ls.js';
import { registerPlugin } from './commands/plugin.js';
import { registerPort } from './commands/port.js';
import { registerPs } from './commands/ps.js';
import { registerPush } from './commands/push.js';
import { registerRun } from './commands/run.js';
import { registerStats } from './commands/stats.js';
import { registerTop } from './commands/top.js';
import { registerUnsupported } from './commands/unsupported.js';
import { registerCreate, registerUp } from './commands/up.js';
import { registerVersion } from './commands/version.js';
import { registerVolumes } from './commands/volumes.js';
import { registerWait } from './commands/wait.js';
import { registerWatch } from './commands/watch.js';
import { buildHotProgram, newProgram, withProjectFlags } from './program-core.js';

export { commandNamed, report } from './program-core.js';

/** The whole program (every command), or `only`'s command alone when it is a hot one (program-core.ts). */
export function buildProgram(only?: string): Command {
  const hot = buildHotProgram(only);
  if (hot) return hot;
  const program = newProgram();
  registerAll(program);
  return withProjectFlags(program);
}

function registerAll(program: Command): void {
  registerUp(program);
  registerCreate(program);
  registerDown(program);
  registerPs(program);
  registerLogs(program);
  registerLifecycle(program);
  registerExec(program);
  registerConfig(program);
  registerLs(program);
  registerEvents(program);
  registerPort(program);
  registerImages(program);
  registerBuild(program);
  registerRun(program);
  registerTop(program);
  registerStats(program);
  registerCp(program);
  registerExport(program);
  registerVolumes(program);
  registerCommit(program);
  registerPush(program);
  registerAttachService(program);
  registerWait(program);
  registerWatch(program);
  registerUnsupported(program);
  registerVersion(program);
  registerCompletion(program);
  registerDaemon(program);
  registerPlugin(program);
}
