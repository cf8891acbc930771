import { describe, expect, it } from 'vitest';
import { parseDockerfile, shellText } from '../../../core/dockerfile/parse.js';

const commandsOf = (text: string, index = 1) =>
  parseDockerfile(text).model.instructions[index]?.shell?.commands.map((c) => [c.name, ...c.args].join(' '));

describe('parseDockerfile', () => {
  it('splits stages, names them and records the base image text and range', () => {
    const text =
      'ARG BASE=node:20\nFROM --platform=$BUILDPLATFORM ${BASE} AS Build\nRUN make\nFROM scratch\nCOPY --from=build /a /a\n';
    const { model } = parseDockerfile(text);
    expect(model.stages.map((s) => [s.image, s.name, s.platform])).toEqual([
      ['${BASE}', 'build', '$BUILDPLATFORM'],
      ['scratch', undefined, undefined],
    ]);
    const s0 = model.stages[0]!;
    expect(text.slice(s0.imageStart, s0.imageEnd)).toBe('${BASE}');
    expect(model.globalArgs).toEqual([expect.objectContaining({ name: 'BASE', value: 'node:20' })]);
    expect(s0.instructions.map((i) => i.keyword)).toEqual(['FROM', 'RUN']);
  });

  it('reads directives', () => {
    const { model } = parseDockerfile('# syntax=docker/dockerfile:1\n# escape=`\nFROM debian:12\n');
    expect(model.directives).toEqual({ syntax: 'docker/dockerfile:1', escape: '`' });
    expect(model.escape).toBe('`');
  });

  it('parses RUN commands across continuations and comment lines, with Dockerfile positions', () => {
    const text = 'FROM debian:12\nRUN apt-get update \\\n# refresh first\n\n    && apt-get install -y curl\n';
    const cmds = parseDockerfile(text).model.instructions[1]?.shell?.commands ?? [];
    expect(cmds.map((c) => [c.name, c.loc.line, c.loc.column])).toEqual([
      ['apt-get', 2, 5],
      ['apt-get', 5, 8],
    ]);
  });

  it('finds commands in pipelines, substitutions, sh -c strings, heredocs and exec form', () => {
    expect(commandsOf('FROM a\nRUN curl -s x | bash -s && echo "$(id -u)"')).toEqual([
      'curl -s x',
      'bash -s',
      'echo $(id -u)',
      'id -u',
    ]);
    expect(commandsOf("FROM a\nRUN sh -c 'apt-get install -y vim'")).toEqual([
      'sh -c apt-get install -y vim',
      'apt-get install -y vim',
    ]);
    expect(commandsOf('FROM a\nRUN <<EOF\nset -eux\napt-get update\nEOF\n')).toEqual([
      'set -eux',
      'apt-get update',
    ]);
    expect(commandsOf('FROM a\nRUN ["/bin/bash", "-c", "make && make install"]')).toEqual([
      '/bin/bash -c make && make install',
      'make',
      'make install',
    ]);
  });

  it('keeps heredoc data fed to a non-shell out of the command list', () => {
    expect(commandsOf('FROM a\nRUN cat <<EOF > /etc/motd\nrm -rf /\nEOF\n')).toEqual(['cat']);
  });

  it('unwraps ONBUILD triggers', () => {
    const inst = parseDockerfile('FROM a\nONBUILD RUN make install\n').model.instructions[1];
    expect(inst).toMatchObject({ keyword: 'RUN', onbuild: true });
    expect(inst?.shell?.commands.map((c) => c.name)).toEqual(['make']);
  });

  it('reads exec form only when the arguments are a JSON array of strings', () => {
    const { model } = parseDockerfile('FROM a\nCMD ["node", "server.js"]\nCMD [node]\nENTRYPOINT ["a", 1]\n');
    expect(model.instructions.slice(1).map((i) => i.json)).toEqual([['node', 'server.js'], null, null]);
  });

  it('maps positions in scripts with non-ASCII text', () => {
    const cmds =
      parseDockerfile('FROM a\nRUN echo "é—ü" && curl x\n').model.instructions[1]?.shell?.commands ?? [];
    expect(cmds[1]).toMatchObject({ name: 'curl', loc: { line: 2, column: 19 } });
  });

  it('reports unknown instructions as problems with their position', () => {
    expect(parseDockerfile('FROM a\n  FOO bar\n').problems).toEqual([
      {
        message: 'unknown instruction "FOO"; Docker refuses it, so the file cannot build',
        loc: { line: 2, column: 3 },
      },
    ]);
  });

  it('reports each instruction the builder refuses and leaves only it out of the model', () => {
    const text =
      'FROM a:1\nRUN\nCOPY --foo=1 a /a\nCOPY --chown a /b\nADD --link --checksum=sha256:x u /c\nRUN --mount=type=cache,target=/x --mount=type=tmpfs,target=/y make\nHEALTHCHECK --interval=5s --interval=6s CMD true\nEXPOSE\nRUN echo ok\n';
    const { model, problems } = parseDockerfile(text);
    expect(problems.map((p) => [p.loc.line, p.message])).toEqual([
      [2, 'RUN requires at least one argument; Docker refuses an empty RUN, so the file cannot build'],
      [
        3,
        'COPY has an unknown flag --foo; it accepts --from, --chown, --chmod, --link, --parents, --exclude',
      ],
      [4, 'COPY flag --chown needs a value (--chown=…)'],
      [7, 'HEALTHCHECK gives the flag --interval twice'],
      [8, 'EXPOSE requires at least one argument; Docker refuses an empty EXPOSE, so the file cannot build'],
    ]);
    expect(model.instructions.map((i) => [i.index, i.loc.line, i.keyword])).toEqual([
      [0, 1, 'FROM'],
      [1, 5, 'ADD'],
      [2, 6, 'RUN'],
      [3, 9, 'RUN'],
    ]);
    expect(model.stages[0]?.instructions.map((i) => i.loc.line)).toEqual([1, 5, 6, 9]);
  });

  it('names ONBUILD in the problem of a refused trigger, and keeps flag names case-sensitive as BuildKit does', () => {
    expect(parseDockerfile('FROM a:1\nONBUILD COPY --form=b /a /a\n').problems[0]?.message).toBe(
      'ONBUILD COPY has an unknown flag --form; it accepts --from, --chown, --chmod, --link, --parents, --exclude',
    );
    expect(parseDockerfile('FROM a:1\nCOPY --FROM=b /a /a\n').problems[0]?.message).toContain(
      'unknown flag --FROM',
    );
    expect(parseDockerfile('FROM --platform=linux/amd64 a:1\nCOPY --from=b --link /a /a\n').problems).toEqual(
      [],
    );
  });

  it('keeps stages right when a FROM is refused: its instructions stay in the stage before', () => {
    const { model, problems } = parseDockerfile(
      'FROM a:1 AS one\nRUN x\nFROM --bogus=1 b:1\nRUN y\nFROM c:1\nRUN z\n',
    );
    expect(problems.map((p) => p.loc.line)).toEqual([3]);
    expect(model.stages.map((s) => [s.image, s.instructions.map((i) => i.loc.line)])).toEqual([
      ['a:1', [1, 2, 4]],
      ['c:1', [5, 6]],
    ]);
    expect(model.instructions.map((i) => i.stage)).toEqual([0, 0, 0, 1, 1]);
  });

  it('numbers pipelines once per file, so no two RUNs share a pipeline id', () => {
    const text =
      'FROM a:1\nRUN curl -s x | apt-key add -\nRUN curl -s y | bash\nRUN ["sh", "-c", "wget -O- z | sh"]\nRUN <<EOF\ncurl w | sh\nEOF\n';
    const { model } = parseDockerfile(text);
    const ids = model.instructions.map((i) => [
      ...new Set((i.shell?.commands ?? []).flatMap((c) => (c.pipeline ? [c.pipeline.id] : []))),
    ]);
    expect(ids.slice(1).map((x) => x.length)).toEqual([1, 1, 1, 1]);
    const all = ids.flat();
    expect(new Set(all).size).toBe(all.length);
  });

  it('finds pragmas and the instruction each applies to', () => {
    const { model } = parseDockerfile(
      'FROM a\n# hadolint ignore=DL3008, DL3015\nRUN x\n# drydock global ignore=DD101\n',
    );
    expect(model.pragmas).toEqual([
      expect.objectContaining({
        kind: 'ignore',
        rules: ['DL3008', 'DL3015'],
        appliesTo: 1,
        tool: 'hadolint',
      }),
      expect.objectContaining({ kind: 'global-ignore', rules: ['DD101'], tool: 'drydock' }),
    ]);
  });
});

describe('shellText', () => {
  it('keeps every offset while dropping comment lines inside continuations', () => {
    const raw = 'a \\\n# c\n\n  b';
    const out = shellText(raw, '\\');
    expect(out).toHaveLength(raw.length);
    expect(out).toBe('a \\\n   \\\n  b');
  });

  it('turns a backtick continuation into a backslash one', () => {
    expect(shellText('a `\n b', '`')).toBe('a \\\n b');
  });
});

describe('declaration builtins', () => {
  it('turns export, declare and readonly into commands with one argument per assignment', () => {
    expect(
      commandsOf(
        'FROM a\nRUN export PIP_NO_CACHE_DIR=1 FOO="a b" BAR && declare -x Z=$(id -u) && readonly Q',
      ),
    ).toEqual(['export PIP_NO_CACHE_DIR=1 FOO=a b BAR', 'declare -x Z=$(id -u)', 'id -u', 'readonly Q']);
  });
});
