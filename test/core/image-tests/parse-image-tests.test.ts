import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluateCommandTest } from '../../../core/image-tests/evaluate-command-test.js';
import { ImageTestsInvalidError, parseImageTests } from '../../../core/image-tests/parse-image-tests.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/image-tests/${name}`, import.meta.url), 'utf8');

function issuesOf(text: string): string[] {
  try {
    parseImageTests(text, 'image-tests.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ImageTestsInvalidError);
    expect((error as ImageTestsInvalidError).code).toBe('IMAGE_TESTS_INVALID');
    return (error as ImageTestsInvalidError).issues.map((i) => `${i.line ?? '-'}: ${i.path}: ${i.message}`);
  }
  throw new Error('expected the document to be refused');
}

describe('parseImageTests', () => {
  it('refuses a file too large to parse (2 MB of nested lists) without parsing it', () => {
    // 10 MB of these held the YAML parser for over a minute and then ran the daemon out of memory.
    const depth = 1_000_000;
    const text = `schemaVersion: "2.0.0"\ncommandTests: ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
    expect(issuesOf(text)).toEqual([
      `-: : the file has ${text.length} characters, more than the 262144 an image-tests file may have; it was not parsed`,
    ]);
  });

  it('reads a container-structure-test document and fills in the defaults', () => {
    const suite = parseImageTests(fixture('passing.yaml'));
    expect(suite.commandTests).toHaveLength(4);
    expect(suite.commandTests[0]).toMatchObject({ exitCode: 0, setup: [], teardown: [], envVars: [] });
    expect(suite.commandTests[1]?.setup).toEqual([['touch', '/tmp/ready']]);
    expect(suite.fileExistenceTests[1]?.permissions).toBe('dtrwxrwxrwx');
    expect(suite.metadataTest?.labels[1]).toEqual({
      key: 'org.opencontainers.image.base.digest',
      value: '^sha256:[0-9a-f]{64}$',
      isRegex: true,
    });
    expect(suite.metadataTest?.entrypoint).toEqual([]);
    expect(suite.metadataTest?.cmd).toEqual(['/bin/sh', '-c', 'httpd -f -p 8080']);
  });

  it('names the field path and line of every problem', () => {
    expect(issuesOf(fixture('invalid.yaml'))).toEqual([
      '1: schemaVersion: must be "2.0.0" (quote it: YAML reads 2.0 as a number)',
      '3: commandTests[0].command: is required',
      '7: commandTests[1].expectedOutput[0]: "(unclosed" is not a valid Go (RE2) regular expression: missing closing ): `(unclosed`',
      '9: fileExistenceTests[0].shouldExist: is required',
      '11: fileExistenceTests[0].isExecutableBy: must be "any" or "owner" or "group" or "other"',
      '14: metadataTest.labels[0].value: is required',
      '15: metadataTest.labels[0].valu: unknown key "valu"',
      '16: licenseTests: unknown key "licenseTests" (licenseTests are not supported)',
    ]);
  });

  it('refuses an empty document, YAML syntax errors and wrong types', () => {
    expect(issuesOf('')).toEqual(['-: : the document is empty; it needs schemaVersion: "2.0.0"']);
    expect(issuesOf('schemaVersion: "2.0.0"\ncommandTests: [\n')[0]).toMatch(/^\d+: : YAML syntax: /);
    expect(issuesOf('schemaVersion: "2.0.0"\ncommandTests: {}\n')).toEqual([
      '2: commandTests: must be a list, not a mapping',
    ]);
    expect(
      issuesOf(
        'schemaVersion: "2.0.0"\nfileExistenceTests:\n  - {name: x, path: /x, shouldExist: yes, permissions: "777"}\n',
      ),
    ).toEqual([
      '3: fileExistenceTests[0].shouldExist: must be true or false, not string "yes"',
      '3: fileExistenceTests[0].permissions: must be a mode string like "-rw-r--r--" or "drwxr-xr-x"',
    ]);
  });

  it("refuses what Go (RE2) refuses, naming the test's field and the pattern", () => {
    const doc = (patterns: string[]) =>
      `schemaVersion: "2.0.0"\nfileContentTests:\n  - {name: x, path: /x, excludedContents: ${JSON.stringify(patterns)}}\n`;
    expect(issuesOf(doc(['(a)\\1', '(?=a)b', 'a\\Z', 'a{1001}', '(?<!a)b']))).toEqual([
      '3: fileContentTests[0].excludedContents[0]: "(a)\\\\1" is not a valid Go (RE2) regular expression: invalid escape sequence: `\\1`',
      '3: fileContentTests[0].excludedContents[1]: "(?=a)b" is not a valid Go (RE2) regular expression: invalid or unsupported Perl syntax: `(?=`',
      '3: fileContentTests[0].excludedContents[2]: "a\\\\Z" is not a valid Go (RE2) regular expression: invalid escape sequence: `\\Z`',
      '3: fileContentTests[0].excludedContents[3]: "a{1001}" is not a valid Go (RE2) regular expression: invalid repeat count: `{1001}`',
      '3: fileContentTests[0].excludedContents[4]: "(?<!a)b" is not a valid Go (RE2) regular expression: invalid named capture: `(?<!a)b`',
    ]);
    expect(issuesOf(doc(['a'.repeat(5000)]))[0]).toMatch(
      /excludedContents\[0\]: "a+…" \(5000 characters\) is not a valid Go \(RE2\) regular expression: it is 5000 characters long, over the limit of 4096$/,
    );
  });

  it('accepts the Go flags and syntax JavaScript lacks: (?U), \\z, (?P<name>), [[:alpha:]]', () => {
    const suite = parseImageTests(
      'schemaVersion: "2.0.0"\nfileContentTests:\n  - {name: x, path: /x, excludedContents: ["(?U)a+", "a\\\\z", "(?P<v>[[:alpha:]]+)"]}\n',
    );
    expect(suite.fileContentTests[0]?.excludedContents).toHaveLength(3);
  });

  it('checks a metadata value marked isRegex as a pattern, and leaves other values alone', () => {
    expect(
      issuesOf(
        'schemaVersion: "2.0.0"\nmetadataTest:\n  labels:\n    - {key: a, value: "(b", isRegex: true}\n    - {key: c, value: "(d"}\n',
      ),
    ).toEqual([
      '4: metadataTest.labels[0].value: "(b" is not a valid Go (RE2) regular expression: missing closing ): `(b`',
    ]);
  });
});

describe('the image tests shipped as examples', () => {
  const read = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');

  it('examples/payments-api/image-tests.yaml is valid', () => {
    const suite = parseImageTests(read('examples/payments-api/image-tests.yaml'));
    expect(suite.commandTests.map((t) => t.name)).toEqual([
      'the pinned Python',
      'runs as the app user, not root',
    ]);
    expect(suite.metadataTest?.user).toBe('10001');
  });

  it("README's example is valid, and its pattern matches id's output with its newline", () => {
    const readme = read('README.md');
    const start = readme.indexOf('```yaml\nschemaVersion: "2.0.0"');
    expect(start).toBeGreaterThan(0);
    const text = readme.slice(start + '```yaml\n'.length, readme.indexOf('```', start + 7));
    const test = parseImageTests(text).commandTests[0]!;
    expect(evaluateCommandTest(test, { exitCode: 0, stdout: '10001\n', stderr: '' })).toEqual([]);
    expect(evaluateCommandTest(test, { exitCode: 0, stdout: '0\n', stderr: '' })).toHaveLength(1);
  });
});
