import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// Integration tests need a real engine and the local fixture images; the engine script makes both.
export default function setup(): void {
  const script = fileURLToPath(new URL('../../scripts/engine.sh', import.meta.url));
  execFileSync('bash', [script], { stdio: 'inherit' });
}
