import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tarArchive } from './tar.js';

describe('tarArchive', () => {
  it('writes ustar that GNU tar reads: directories, files, modes, owners, long paths', () => {
    const long = `${'d'.repeat(60)}/${'e'.repeat(60)}/secret`;
    const tar = tarArchive([
      { path: 'run', type: 'dir', mode: 0o755, uid: 0, gid: 0 },
      { path: 'run/secrets', type: 'dir', mode: 0o755, uid: 0, gid: 0 },
      {
        path: 'run/secrets/token',
        type: 'file',
        mode: 0o400,
        uid: 1000,
        gid: 1001,
        content: Buffer.from('s3cr3t'),
      },
      { path: long, type: 'file', mode: 0o444, uid: 0, gid: 0, content: Buffer.alloc(700, 'x') },
    ]);
    expect(tar.length % 512).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'orc-tar-'));
    const file = join(dir, 'a.tar');
    writeFileSync(file, tar);
    const listing = execFileSync('tar', ['tvf', file, '--numeric-owner'], { encoding: 'utf8' });
    expect(listing).toMatch(/^-r-------- 1000\/1001\s+6 .* run\/secrets\/token$/m);
    expect(listing).toMatch(/^drwxr-xr-x 0\/0 .* run\/secrets\/$/m);
    expect(listing).toContain(long);
    execFileSync('tar', ['xf', file, '-C', dir]);
    expect(readFileSync(join(dir, 'run/secrets/token'), 'utf8')).toBe('s3cr3t');
    expect(statSync(join(dir, long)).size).toBe(700);
  });
});
