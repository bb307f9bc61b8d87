// The daemon as the tests run it: a separate node process on the sources (bundled by daemon.ts).
import { main } from '../../../src/main.js';

await main(process.argv.slice(2));
