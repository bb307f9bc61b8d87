/** Entry point of `orc daemon`; the real daemon lands with the daemon-core and API issues. */
export async function main(_argv: string[]): Promise<void> {
  process.stderr.write('orc daemon: not implemented yet\n');
  process.exitCode = 1;
}
