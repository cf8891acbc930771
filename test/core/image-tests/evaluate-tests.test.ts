import { describe, expect, it } from 'vitest';
import { evaluateCommandTest } from '../../../core/image-tests/evaluate-command-test.js';
import { evaluateFileContentTest } from '../../../core/image-tests/evaluate-file-content-test.js';
import { evaluateFileExistenceTest } from '../../../core/image-tests/evaluate-file-existence-test.js';
import { evaluateMetadataTest } from '../../../core/image-tests/evaluate-metadata-test.js';
import type { ImageConfig } from '../../../core/image-tests/observations.js';
import {
  CommandTestSchema,
  FileContentTestSchema,
  FileExistenceTestSchema,
  MetadataTestSchema,
} from '../../../core/image-tests/schema.js';

const command = (t: object) => CommandTestSchema.parse({ name: 't', command: 'x', ...t });
const run = (stdout: string, stderr = '', exitCode: number | null = 0) => ({ stdout, stderr, exitCode });
const exists = (t: object) =>
  FileExistenceTestSchema.parse({ name: 'f', path: '/p', shouldExist: true, ...t });
const file = (mode: number, uid = 0, gid = 0) => ({ exists: true as const, mode, uid, gid });
const content = (t: object) => FileContentTestSchema.parse({ name: 'c', path: '/etc/x', ...t });
const CONFIG: ImageConfig = {
  env: ['PATH=/usr/bin:/bin', 'EMPTY=', 'A=b=c'],
  labels: { 'org.opencontainers.image.version': '1.36.0' },
  exposedPorts: ['8080/tcp', '53/udp'],
  volumes: ['/data'],
  entrypoint: [],
  cmd: ['/bin/sh'],
  workdir: '/app',
  user: 'nobody',
};
const metadata = (t: object) => evaluateMetadataTest(MetadataTestSchema.parse(t), CONFIG);

describe('evaluateCommandTest', () => {
  it('passes when output, error and exit code match', () => {
    expect(
      evaluateCommandTest(
        command({ expectedOutput: ['^hi'], expectedError: ['warn'] }),
        run('hi\n', 'warn\n'),
      ),
    ).toEqual([]);
  });
  it('names a missing expected output with the output seen', () => {
    expect(evaluateCommandTest(command({ expectedOutput: ['hello'] }), run('bye\n'))).toEqual([
      'expectedOutput[0]: "hello" not found in stdout "bye\\n"',
    ]);
  });
  it('names excluded output and error that appear', () => {
    expect(
      evaluateCommandTest(
        command({ excludedOutput: ['a', 'secret'], excludedError: ['panic'] }),
        run('secret', 'panic!'),
      ),
    ).toEqual([
      'excludedOutput[1]: "secret" found in stdout "secret"',
      'excludedError[0]: "panic" found in stderr "panic!"',
    ]);
  });
  it('names a wrong exit code with stderr', () => {
    expect(evaluateCommandTest(command({ exitCode: 0 }), run('', 'sh: nope: not found\n', 127))).toEqual([
      'exitCode: expected 0, got 127 (stderr "sh: nope: not found")',
    ]);
  });
  it('does not run a match whose work is over the limit, and fails its assertion whether expected or excluded', () => {
    // About 3000 instructions against 40,000 characters: seconds of the daemon's one thread, so it is not run.
    const costly = '(a|b)*a(a|b){999}$';
    const failures = evaluateCommandTest(
      command({ expectedOutput: [costly], excludedOutput: [costly, 'b$'] }),
      run('ab'.repeat(20_000)),
    );
    expect(failures).toHaveLength(3);
    expect(failures[0]).toMatch(
      /^expectedOutput\[0\]: "\(a\|b\)\*a\(a\|b\)\{999\}\$" not matched: \d+ instructions against 40000 characters of stdout is up to \d+ steps, over the limit of 67108864 per match; shorten the pattern or the text$/,
    );
    expect(failures[1]).toMatch(/^excludedOutput\[0\]: .* not matched: /);
    expect(failures[2]).toMatch(/^excludedOutput\[1\]: "b\$" found in stdout/);
  });
  it('fails a command that timed out', () => {
    expect(evaluateCommandTest(command({ args: ['1'] }), { ...run(''), timedOutAfterMs: 500 })).toEqual([
      'command "x 1" timed out after 500 ms',
    ]);
  });
  it('honours Go flags and does not let $ match before a final newline', () => {
    expect(evaluateCommandTest(command({ expectedOutput: ['(?i)^HI$'] }), run('hi'))).toEqual([]);
    expect(evaluateCommandTest(command({ expectedOutput: ['^hi$'] }), run('hi\n'))).toHaveLength(1);
    expect(evaluateCommandTest(command({ expectedOutput: ['(?m)^b$', 'a\\z'] }), run('b\na'))).toEqual([]);
  });
});

describe('evaluateFileExistenceTest', () => {
  it('passes a file with the expected mode in Go or ls notation, owner and execute bits', () => {
    expect(
      evaluateFileExistenceTest(
        exists({ permissions: '-rwxr-xr-x', uid: 0, isExecutableBy: 'other' }),
        file(0o100755),
      ),
    ).toEqual([]);
    expect(evaluateFileExistenceTest(exists({ permissions: 'dtrwxrwxrwx' }), file(0o41777))).toEqual([]);
    expect(evaluateFileExistenceTest(exists({ permissions: 'drwxrwxrwt' }), file(0o41777))).toEqual([]);
  });
  it('names each broken assertion', () => {
    expect(
      evaluateFileExistenceTest(
        exists({ permissions: '-rw-r--r--', uid: 0, gid: 0, isExecutableBy: 'group' }),
        file(0o104700, 1000, 50),
      ),
    ).toEqual([
      'permissions: expected -rw-r--r--, got urwx------ (-rws------)',
      'uid: expected 0, got 1000',
      'gid: expected 0, got 50',
      'isExecutableBy: /p is not executable by group (-rws------)',
    ]);
  });
  it('checks existence both ways and reports a check it could not make', () => {
    expect(evaluateFileExistenceTest(exists({}), { exists: false })).toEqual([
      'shouldExist: /p does not exist',
    ]);
    expect(evaluateFileExistenceTest(exists({ shouldExist: false }), { exists: false })).toEqual([]);
    expect(evaluateFileExistenceTest(exists({ shouldExist: false }), file(0o100644))).toEqual([
      'shouldExist: /p exists but should not',
    ]);
    expect(evaluateFileExistenceTest(exists({}), { error: 'the image has no stat command' })).toEqual([
      'cannot check /p: the image has no stat command',
    ]);
  });
});

describe('evaluateFileContentTest', () => {
  it('matches expected and excluded contents', () => {
    expect(
      evaluateFileContentTest(content({ expectedContents: ['^a=1$'] }), { exists: true, content: 'a=1' }),
    ).toEqual([]);
    expect(
      evaluateFileContentTest(content({ expectedContents: ['b=2'], excludedContents: ['a'] }), {
        exists: true,
        content: 'a=1',
      }),
    ).toEqual([
      'expectedContents[0]: "b=2" not found in the contents of /etc/x "a=1"',
      'excludedContents[0]: "a" found in the contents of /etc/x "a=1"',
    ]);
  });
  it('fails for a missing file', () => {
    expect(evaluateFileContentTest(content({}), { exists: false })).toEqual(['path: /etc/x does not exist']);
  });
});

describe('evaluateMetadataTest', () => {
  it('does not match a label too long for its pattern, and fails the check', () => {
    const config = { ...CONFIG, labels: { big: 'x'.repeat(30_000) } };
    const test = MetadataTestSchema.parse({ labels: [{ key: 'big', value: '(a|b){999}', isRegex: true }] });
    expect(evaluateMetadataTest(test, config)).toEqual([
      `labels[0]: "(a|b){999}" not matched: label big is 30000 characters, too long for this pattern (over 67108864 steps)`,
    ]);
  });
  it('passes a matching configuration', () => {
    expect(
      metadata({
        envVars: [
          { key: 'PATH', value: '/bin$', isRegex: true },
          { key: 'EMPTY', value: '' },
          { key: 'A', value: 'b=c' },
        ],
        labels: [{ key: 'org.opencontainers.image.version', value: '1.36.0' }],
        exposedPorts: ['8080', '53/udp'],
        unexposedPorts: ['22', '53/tcp'],
        volumes: ['/data'],
        entrypoint: [],
        cmd: ['/bin/sh'],
        workdir: '/app',
        user: 'nobody',
      }),
    ).toEqual([]);
  });
  it('names each broken assertion', () => {
    expect(
      metadata({
        envVars: [{ key: 'HOME', value: '/root' }],
        labels: [
          { key: 'org.opencontainers.image.version', value: '1.36.1' },
          { key: 'org.opencontainers.image.version', value: '^2\\.', isRegex: true },
        ],
        exposedPorts: ['443'],
        unexposedPorts: ['8080'],
        volumes: ['/var'],
        entrypoint: ['/init'],
        workdir: '/',
        user: 'root',
      }),
    ).toEqual([
      'envVars[0]: environment variable "HOME" is not set',
      'labels[0]: label org.opencontainers.image.version is "1.36.0", expected "1.36.1"',
      'labels[1]: label org.opencontainers.image.version="1.36.0" does not match "^2\\\\."',
      'exposedPorts[0]: port 443 is not exposed (exposed: 8080/tcp, 53/udp)',
      'unexposedPorts[0]: port 8080 is exposed',
      'volumes[0]: /var is not a volume (volumes: /data)',
      'entrypoint: expected ["/init"], got []',
      'workdir: expected "/", got "/app"',
      'user: expected "root", got "nobody"',
    ]);
  });
});
