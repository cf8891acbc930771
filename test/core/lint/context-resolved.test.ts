import { describe, expect, it } from 'vitest';
import { parseDockerfile } from '../../../core/dockerfile/parse.js';
import { resolveScriptText } from '../../../core/dockerfile/resolve-shell.js';
import { parseShell } from '../../../core/dockerfile/shell.js';
import { SourceMap } from '../../../core/dockerfile/source-map.js';
import { variablesOf } from '../../../core/lint/build-variables.js';
import { createContext } from '../../../core/lint/context.js';
import { lintText } from '../../../core/lint/engine.js';
import type { RunCommand } from '../../../core/lint/rule.js';
import { curlPipeShell } from '../../../core/lint/rules/dd110-curl-pipe-shell.js';

const contextOf = (text: string) => createContext(parseDockerfile(text).model, {})('test');

/** Each resolved command as `name|arg|…` (a name computed at run time is ''), to compare the words the shell would run. */
const argv = (list: readonly RunCommand[]) =>
  list.map(({ command }) => [command.name, ...command.args].join('|'));
const resolved = (text: string) => argv(contextOf(text).resolved());
const starts = (text: string) => argv(contextOf(text).startCommands());

describe('RuleContext.resolved', () => {
  it('splits an unquoted value into words and keeps a quoted one whole', () => {
    expect(resolved('FROM a\nENV K="-k --insecure"\nRUN curl $K https://x && curl "$K" https://y')).toEqual([
      'curl|-k|--insecure|https://x',
      'curl|-k --insecure|https://y',
    ]);
  });

  it('splits at the edges of a value joined to other text', () => {
    expect(resolved('FROM a\nENV K=" -k x"\nRUN curl a$K')).toEqual(['curl|a|-k|x']);
  });

  it('resolves ${K}, ${K:-d}, ${K-d}, ${K:+x} and ${K+x}', () => {
    expect(
      resolved('FROM a\nENV K=v E=\nRUN echo ${K} ${E:-d1} ${E-d2} ${N:-d3} ${K:+x1} ${E:+x2} ${E+x3}'),
    ).toEqual(['echo|v|d1|d3|x1|x3']);
  });

  it('leaves an ARG without a default as written', () => {
    const [run] = contextOf('FROM a\nARG URL\nRUN curl $URL').resolved();
    expect(run?.command.args).toEqual(['$URL']);
    expect(run?.command.words[0]?.literal).toBe(false);
  });

  it('leaves a name the file never sets as written (the base image may set it)', () => {
    expect(resolved('FROM a\nRUN echo $HOME')).toEqual(['echo|$HOME']);
  });

  it('reuses the very command objects of commands() for a RUN where nothing resolves', () => {
    const ctx = contextOf('FROM a\nENV A=1\nRUN echo $HOME && apt-get update\nRUN echo $A');
    const commands = ctx.commands();
    const out = ctx.resolved();
    expect(out[0]).toBe(commands[0]);
    expect(out[1]).toBe(commands[1]);
    expect(out[2]?.command.args).toEqual(['1']);
  });

  it('returns commands() itself when nothing resolves anywhere', () => {
    const ctx = contextOf('FROM a\nRUN echo $HOME\nRUN apt-get update');
    expect(ctx.resolved()).toBe(ctx.commands());
  });

  it('expands ENV values that reference earlier values, as the builder does', () => {
    expect(resolved('FROM a\nENV B=/opt\nENV A=$B/x C=${B:-no}/y\nRUN echo $A $C')).toEqual([
      'echo|/opt/x|/opt/y',
    ]);
  });

  it('expands every pair of one ENV with the values from before it', () => {
    expect(resolved('FROM a\nENV A=old\nENV A=new B=$A\nRUN echo $A $B')).toEqual(['echo|new|old']);
  });

  it('keeps single-quoted ENV text unexpanded and honours escapes', () => {
    expect(resolved('FROM a\nENV B=x\nENV A=\'$B\' C=\\$B D="$B"\nRUN echo "$A" "$C" "$D"')).toEqual([
      'echo|$B|$B|x',
    ]);
  });

  it('reads the legacy ENV NAME value form as one value', () => {
    expect(resolved('FROM a\nENV OPTS -k --insecure\nRUN curl $OPTS x')).toEqual(['curl|-k|--insecure|x']);
  });

  it('inherits ENV through FROM <stage> but not ARG', () => {
    expect(
      resolved('FROM a AS base\nENV S=sh\nARG T=bash\nFROM base\nRUN curl x | $S && curl y | $T'),
    ).toEqual(['curl|x', 'sh', 'curl|y', '']);
  });

  it('gives a redeclared ARG the default declared before the first FROM', () => {
    expect(resolved('ARG V=1.2\nFROM a\nARG V\nRUN echo $V')).toEqual(['echo|1.2']);
    expect(resolved('ARG V=1.2\nFROM a\nRUN echo $V')).toEqual(['echo|$V']);
  });

  it('lets ENV win over an ARG of the same name', () => {
    expect(resolved('FROM a\nENV X=env\nARG X=arg\nRUN echo $X')).toEqual(['echo|env']);
  });

  it('keeps a value with |, ; or $(…) as data, not a pipe or a substitution', () => {
    const ctx = contextOf('FROM a\nENV P="a | sh; $(curl x) `id`"\nRUN echo $P');
    expect(argv(ctx.resolved())).toEqual(['echo|a|||sh;|$(curl|x)|`id`']);
    expect(ctx.resolved().every((r) => r.command.context === 'run')).toBe(true);
  });

  it('resolves the program a value names', () => {
    expect(resolved('FROM a\nENV S=sh\nRUN curl -s https://x | $S')).toEqual(['curl|-s|https://x', 'sh']);
    const ctx = contextOf('FROM a\nENV C="curl -s https://x"\nRUN $C | sh');
    expect(argv(ctx.resolved())).toEqual(['curl|-s|https://x', 'sh']);
    expect(ctx.resolved().map((r) => r.command.pipeline?.position)).toEqual([0, 1]);
  });

  it('follows the script’s own assignments in order', () => {
    expect(resolved('FROM a\nRUN echo $X; X=-k; export Y="$X --insecure"; curl $X $Y z')).toEqual([
      'echo|$X',
      'export|Y=-k --insecure',
      'curl|-k|-k|--insecure|z',
    ]);
  });

  it('lets a script assignment shadow an ENV value from then on', () => {
    expect(resolved('FROM a\nENV S=cat\nRUN curl x | $S; S=sh; curl y | $S')).toEqual([
      'curl|x',
      'cat',
      'curl|y',
      'sh',
    ]);
  });

  it('does not carry a script assignment into the next RUN', () => {
    expect(resolved('FROM a\nRUN S=sh\nRUN curl y | $S')).toEqual(['curl|y', '']);
  });

  it('treats read, loop variables and conditional assignments as unknown', () => {
    expect(resolved('FROM a\nENV S=sh\nRUN read S; curl x | $S')).toEqual(['read|S', 'curl|x', '']);
    expect(resolved('FROM a\nENV S=sh\nRUN for S in a b; do curl x | $S; done')).toEqual(['curl|x', '']);
    expect(resolved('FROM a\nENV S=sh\nRUN true || S=cat; curl x | $S')).toEqual(['true', 'curl|x', '']);
    expect(resolved('FROM a\nRUN X=1; while true; do echo $X; X=2; done')).toEqual(['true', 'echo|$X']);
  });

  it('keeps a command substitution assigned in the script, so sh -c "$X" runs it', () => {
    const ctx = contextOf('FROM a\nRUN X="$(curl -s https://x)"; sh -c "$X"');
    const out = ctx.resolved().map((r) => r.command);
    const sh = out.find((c) => c.name === 'sh');
    expect(sh?.args).toEqual(['-c', '$(curl -s https://x)']);
    expect(
      out.filter((c) => c.name === 'curl' && c.context === 'substitution' && c.parent === sh),
    ).toHaveLength(1);
  });

  it('keeps a variable holding command output as written where the output is only data', () => {
    const ctx = contextOf(
      'FROM a\nRUN saved="$(apt-mark showmanual)"; apt-mark manual $saved; $saved; eval "$saved"',
    );
    const out = ctx
      .resolved()
      .map((r) => `${r.command.context}:${r.command.name}:${r.command.args.join(' ')}`);
    expect(out.filter((c) => c.startsWith('substitution:apt-mark'))).toHaveLength(3);
    expect(out).toContain('run:apt-mark:manual $saved');
    expect(out).toContain('run:eval:$(apt-mark showmanual)');
  });

  it('parses sh -c "$X" when X holds a script', () => {
    const out = contextOf('FROM a\nENV SCRIPT=\'curl -s https://x | sh\'\nRUN bash -c "$SCRIPT"')
      .resolved()
      .map((r) => r.command);
    expect(out.map((c) => `${c.context}:${c.name}`)).toEqual(['run:bash', 'sh-c:curl', 'sh-c:sh']);
  });

  it('resolves the values inside a literal sh -c script, which the inner shell expands', () => {
    expect(resolved("FROM a\nENV S=sh\nRUN sh -c 'curl x | $S'")).toEqual([
      "sh|-c|curl x | 'sh'",
      'curl|x',
      'sh',
    ]);
  });

  it('resolves the sh -c script of an exec-form RUN', () => {
    expect(resolved('FROM a\nENV S=sh\nRUN ["sh", "-c", "curl x | $S"]')).toEqual([
      "sh|-c|curl x | 'sh'",
      'curl|x',
      'sh',
    ]);
  });

  it('reports resolved commands at their place in the RUN', () => {
    const out = contextOf('FROM a\nENV S=sh\nRUN echo hi && \\\n  curl -s https://x | $S').resolved();
    expect(out.map((r) => [r.command.name, r.command.loc.line, r.command.loc.column])).toEqual([
      ['echo', 3, 5],
      ['curl', 4, 3],
      ['sh', 4, 23],
    ]);
  });

  it('joins a line continuation inside a single-quoted word, as the builder does', () => {
    expect(resolved("FROM a\nRUN apk add '--allow-un\\\ntrusted' x")).toEqual([
      'apk|add|--allow-untrusted|x',
    ]);
    expect(resolved("# escape=`\nFROM a\nRUN apk add '--allow-un`\ntrusted' x")).toEqual([
      'apk|add|--allow-untrusted|x',
    ]);
  });

  it('joins a line continuation inside an unquoted or double-quoted word', () => {
    expect(resolved('FROM a\nRUN apk add --allow-un\\\ntrusted "--no-check-certi\\\nficate" x')).toEqual([
      'apk|add|--allow-untrusted|--no-check-certificate|x',
    ]);
    expect(resolved('# escape=`\nFROM a\nRUN apk add --allow-un`\ntrusted x')).toEqual([
      'apk|add|--allow-untrusted|x',
    ]);
  });

  it('caps a value that references itself', () => {
    const doubling = Array.from({ length: 40 }, () => 'ENV A=$A$A').join('\n');
    const out = resolved(`FROM a\nENV A=xxxxxxxx\n${doubling}\nRUN echo "$A"`);
    // Past the cap the value is unknown and the word stays as written.
    expect(out).toEqual(['echo|$A']);
  });

  it('stays fast on a long chain of values referencing each other', () => {
    const chain = Array.from({ length: 1000 }, (_, i) => `ENV V${i + 1}=\${V${i}}x`).join('\n');
    const started = performance.now();
    const out = resolved(`FROM a\nENV V0=a\n${chain}\nRUN echo $V1000 \${V1000:-d}`);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(out).toEqual([`echo|a${'x'.repeat(1000)}|a${'x'.repeat(1000)}`]);
  });

  it('resolves the script of a heredoc a shell runs, in place', () => {
    const out = contextOf('FROM a\nENV S=sh\nRUN <<EOF\necho hi\ncurl x | $S\nEOF').resolved();
    expect(
      out.map((r) => [r.command.context, r.command.name, r.command.loc.line, r.command.loc.column]),
    ).toEqual([
      ['heredoc', 'echo', 4, 1],
      ['heredoc', 'curl', 5, 1],
      ['heredoc', 'sh', 5, 10],
    ]);
    expect(resolved('FROM a\nENV S=sh\nRUN bash <<EOF\ncurl x | $S\nEOF')).toEqual(['bash', 'curl|x', 'sh']);
  });

  it('keeps a heredoc that is data as written', () => {
    expect(resolved('FROM a\nENV S=sh\nRUN cat <<EOF > /x\ncurl x | $S\nEOF')).toEqual(['cat']);
  });

  it('keeps a default operand in place, so its substitution and values resolve too', () => {
    const out = contextOf('FROM a\nENV S=sh\nRUN echo "${X:-$(curl x | $S)}"').resolved();
    expect(out.map((r) => `${r.command.context}:${r.command.name}`)).toEqual([
      'run:echo',
      'substitution:curl',
      'substitution:sh',
    ]);
  });

  it('assigns with ${X:=d} for what follows', () => {
    expect(resolved('FROM a\nRUN : ${S:=sh}; curl x | $S')).toEqual([':|sh', 'curl|x', 'sh']);
  });

  it('splices values with quotes and backslashes as the same data', () => {
    expect(resolved('FROM a\nENV S="it\'s \\\\ \\"q\\" $$"\nRUN echo $S "$S"')).toEqual([
      'echo|it\'s|\\|"q"|$$|it\'s \\ "q" $$',
    ]);
  });

  it('maps positions past non-ASCII text', () => {
    const ctx = contextOf('FROM a\nENV S=sh\nRUN echo "é€😀" && curl x | $S; echo "$S"');
    const at = (list: readonly RunCommand[]) => list.map((r) => [r.command.name, r.command.loc.column]);
    expect(at(ctx.resolved())).toEqual(at(ctx.commands()).map(([name, column]) => [name || 'sh', column]));
    expect(at(ctx.resolved())[1]).toEqual(['curl', 20]);
  });

  it('parses again only the statements that change, keeping the others', () => {
    const ctx = contextOf('FROM a\nENV S=sh\nRUN set -eux; apt-get update; curl x | $S; echo done');
    const [set, update, , , done] = ctx.resolved();
    const commands = ctx.commands();
    expect(set).toBe(commands[0]);
    expect(update).toBe(commands[1]);
    expect(done).toBe(commands[4]);
    expect(argv(ctx.resolved())).toEqual(['set|-eux', 'apt-get|update', 'curl|x', 'sh', 'echo|done']);
    expect(ctx.resolved().map((r) => r.command.statement)).toEqual([0, 1, 2, 2, 3]);
  });

  it('gives resolved pipelines ids no other pipeline of the file has', () => {
    const ctx = contextOf('FROM a\nENV S=sh\nRUN echo a | cat\nRUN curl x | $S\nRUN echo b | cat');
    const ids = ctx.resolved().map((r) => r.command.pipeline?.id);
    expect(new Set(ids).size).toBe(3);
  });

  it('stays within the cost of parsing on a file full of references (an attacker writes the file)', () => {
    const vars = Array.from({ length: 200 }, (_, i) => `ENV V${i}="-a b${i} | c; $(d)"`).join('\n');
    const run = `RUN ${Array.from({ length: 200 }, (_, i) => `echo $V${i} "\${V${i}:-x}"`).join(' && ')}`;
    const text = `FROM a\n${vars}\n${Array.from({ length: 10 }, () => run).join('\n')}`;
    let started = performance.now();
    const ctx = contextOf(text);
    const parsing = performance.now() - started;
    started = performance.now();
    const out = ctx.resolved();
    // Every statement changes here, so each is parsed once more: about the cost of the first parse, not a power of it.
    expect(performance.now() - started).toBeLessThan(4 * parsing + 2000);
    expect(out).toHaveLength(10 * 200);
    expect(out[0]?.command.args).toEqual(['-a', 'b0', '|', 'c;', '$(d)', '-a b0 | c; $(d)']);
  });

  it('leaves nested sh -c scripts beyond a depth as written', () => {
    let script = 'curl x | $S';
    for (let i = 0; i < 8; i++) script = `sh -c ${JSON.stringify(script).replace(/\$/g, '\\$')}`;
    const out = contextOf(`FROM a\nENV S=sh\nRUN ${script}`).resolved();
    expect(out.length).toBeGreaterThan(0);
  });

  it('patches argument words exactly as a second parse of the spliced script reads them', () => {
    const env = 'ENV V=16 D="/usr/src/my app" Q="it\'s" E= R=$HOME/x G="*.txt"';
    for (const script of [
      'apt-get install -y postgresql-$V "postgresql-${V}-x" pre${V}post "$D/bin" $Q "$E" x$E',
      'cp $R "$R" ${V:-0} "${D}"/lib $G',
      'tar -C "$D" -xf a.tgz; echo "v=$V" > /tmp/$V.txt',
    ]) {
      const text = `FROM a\n${env}\nRUN ${script}`;
      const { model } = parseDockerfile(text);
      const run = model.instructions[2];
      if (!run?.shell) throw new Error('no RUN');
      const spliced = resolveScriptText(run.shell.source, variablesOf(model).build(run));
      const origin = { map: new SourceMap(text), offset: -1, fallback: 0, context: 'run' as const };
      const reparsed = parseShell(spliced?.text ?? '', origin).commands;
      const view = (c: {
        name: string;
        words: readonly { value: string; literal: boolean; quoted: boolean; raw: string }[];
      }) => [c.name, c.words.map((w) => [w.value, w.literal, w.quoted, w.raw])];
      const ctx = createContext(model, {})('t');
      expect(ctx.resolved().map((r) => view(r.command))).toEqual(reparsed.map(view));
    }
  });

  it('leaves RUNs under a non-POSIX shell out', () => {
    expect(resolved('FROM a\nENV S=sh\nSHELL ["pwsh", "-Command"]\nRUN iwr x | $S')).toEqual([]);
  });
});

describe('RuleContext.startCommands', () => {
  it('parses CMD, ENTRYPOINT and HEALTHCHECK CMD with the image ENV', () => {
    const text =
      'FROM a\nENV S=sh\nARG T=bash\nCMD curl x | $S\nENTRYPOINT ["sh", "-c", "curl y | $S"]\nHEALTHCHECK --interval=5s CMD curl z | $T';
    expect(starts(text)).toEqual(['curl|x', 'sh', "sh|-c|curl y | 'sh'", 'curl|y', 'sh', 'curl|z', '']);
    expect(
      contextOf(text)
        .startCommands()
        .map((r) => r.instruction.keyword),
    ).toEqual(['CMD', 'CMD', 'ENTRYPOINT', 'ENTRYPOINT', 'ENTRYPOINT', 'HEALTHCHECK', 'HEALTHCHECK']);
  });

  it('sees an ENV set after the CMD, as the container does', () => {
    expect(starts('FROM a\nCMD curl x | $S\nENV S=sh')).toEqual(['curl|x', 'sh']);
  });

  it('keeps exec form as one command without expanding its words', () => {
    expect(starts('FROM a\nENV U=https://x\nCMD ["curl", "$U"]')).toEqual(['curl|$U']);
  });

  it('reads HEALTHCHECK exec form and skips NONE', () => {
    expect(starts('FROM a\nHEALTHCHECK --retries=3 CMD ["curl", "-f", "http://localhost/"]')).toEqual([
      'curl|-f|http://localhost/',
    ]);
    expect(starts('FROM a\nHEALTHCHECK NONE')).toEqual([]);
  });

  it('reports shell-form commands at their place in the instruction', () => {
    const [c] = contextOf('FROM a\nCMD \\\n  curl x').startCommands();
    expect(c?.command.loc).toEqual({ line: 3, column: 3 });
  });

  it('joins an exec-form ENTRYPOINT shell with the CMD it runs', () => {
    const ctx = contextOf('FROM a\nENV S=sh\nENTRYPOINT ["/bin/sh", "-c"]\nCMD ["curl x | $S"]');
    const joined = ctx.startCommands().filter((r) => r.command.context === 'sh-c');
    expect(argv(joined)).toEqual(['curl|x', 'sh']);
    expect(joined.every((r) => r.instruction.keyword === 'CMD')).toBe(true);
  });

  it('does not join an entrypoint that is not a shell', () => {
    expect(starts('FROM a\nENTRYPOINT ["docker-entrypoint.sh"]\nCMD ["postgres"]')).toEqual([
      'docker-entrypoint.sh',
      'postgres',
    ]);
  });

  it('leaves out shell form under a non-POSIX SHELL', () => {
    expect(starts('FROM a\nSHELL ["cmd", "/S", "/C"]\nCMD curl x | sh')).toEqual([]);
  });
});

describe('RuleContext.shellScripts', () => {
  it('parses the script a SHELL carries', () => {
    const ctx = contextOf(
      'FROM a\nSHELL ["/bin/sh", "-c", "curl -s https://x | sh; exec \\"$0\\" \\"$@\\""]\nRUN echo',
    );
    expect(argv(ctx.shellScripts()).slice(1)).toEqual(['curl|-s|https://x', 'sh', 'exec|$0|$@']);
    expect(ctx.shellScripts().every((r) => r.instruction.keyword === 'SHELL')).toBe(true);
  });

  it('gives nothing for a plain SHELL', () => {
    expect(contextOf('FROM a\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN echo').shellScripts()).toEqual(
      [],
    );
  });
});

describe('DD110 through the evaluation', () => {
  const dd110 = (text: string) =>
    lintText(text, 'Dockerfile', { rules: [curlPipeShell] }).filter((f) => f.code === 'DD110');

  it('catches a shell named through ENV', () => {
    expect(dd110('FROM debian\nENV S=sh\nRUN curl -fsSL https://get.example.com | $S')).toHaveLength(1);
  });

  it('passes a harmless program named through ENV', () => {
    expect(dd110('FROM debian\nENV S=cat\nRUN curl -fsSL https://get.example.com | $S')).toEqual([]);
  });

  it('catches a download command named through ENV', () => {
    expect(dd110('FROM debian\nENV C="curl -fsSL https://get.example.com"\nRUN $C | sh')).toHaveLength(1);
  });
});
