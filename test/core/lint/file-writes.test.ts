import { describe, expect, it } from 'vitest';
import { parseDockerfile } from '../../../core/dockerfile/parse.js';
import { createContext } from '../../../core/lint/context.js';
import { commandInput, fileWrites } from '../../../core/lint/file-writes.js';

const writes = (body: string) => {
  const { model } = parseDockerfile(`FROM debian:12\n${body}\n`);
  return fileWrites(createContext(model, {})('test')).map(({ path, content, mode, via, pattern, loc }) => ({
    path,
    content,
    mode,
    via,
    line: loc.line,
    ...(pattern !== undefined ? { pattern } : {}),
  }));
};

describe('fileWrites', () => {
  it('reads echo and printf redirected into a file', () => {
    expect(
      writes(
        'RUN echo "app ALL=(ALL) NOPASSWD: ALL" >> /etc/sudoers.d/app && printf \'%s\\n\' a b > /etc/ab',
      ),
    ).toEqual([
      {
        path: '/etc/sudoers.d/app',
        content: 'app ALL=(ALL) NOPASSWD: ALL\n',
        mode: 'append',
        via: 'redirect',
        line: 2,
      },
      { path: '/etc/ab', content: 'a\nb\n', mode: 'replace', via: 'redirect', line: 2 },
    ]);
  });

  it('reads echo -e and -n escapes', () => {
    expect(writes("RUN echo -ne 'a\\tb\\nc' > /f").map((w) => w.content)).toEqual(['a\tb\nc']);
  });

  it('reads a heredoc fed to cat with the redirect before or after it', () => {
    expect(
      writes("RUN cat > /etc/motd <<EOF\nhello\nEOF\nRUN cat <<'EOF' >> /etc/motd\nbye $X\nEOF"),
    ).toEqual([
      { path: '/etc/motd', content: 'hello\n', mode: 'replace', via: 'redirect', line: 2 },
      { path: '/etc/motd', content: 'bye $X\n', mode: 'append', via: 'redirect', line: 5 },
    ]);
  });

  it('reads what a pipeline feeds to tee, through sudo, and a heredoc given to tee', () => {
    expect(
      writes(
        "RUN echo 'x' | sudo tee -a /etc/sudoers /etc/y > /dev/null\nRUN tee /etc/z <<-EOT\n\tz=1\n\tEOT",
      ),
    ).toEqual([
      { path: '/etc/sudoers', content: 'x\n', mode: 'append', via: 'tee', line: 2 },
      { path: '/etc/y', content: 'x\n', mode: 'append', via: 'tee', line: 2 },
      { path: '/etc/z', content: 'z=1\n', mode: 'replace', via: 'tee', line: 3 },
    ]);
  });

  it('joins the output of a command group piped into tee', () => {
    expect(writes('RUN { echo a; echo b; } | tee /etc/ab').map((w) => w.content)).toEqual(['a\nb\n']);
  });

  it('reads sed -i replacements, filling back-references from literal groups', () => {
    expect(writes("RUN sed -ri 's/^#?(PermitRootLogin)\\s+.*/\\1 yes/' /etc/ssh/sshd_config")).toEqual([
      {
        path: '/etc/ssh/sshd_config',
        content: 'PermitRootLogin yes',
        mode: 'edit',
        via: 'sed',
        line: 2,
        pattern: '^#?(PermitRootLogin)\\s+.*',
      },
    ]);
  });

  it('reads several sed expressions, BRE groups, bracket classes and the a/c commands', () => {
    const [w] = writes(
      "RUN sed -i -e 's|\\(PermitEmptyPasswords\\)[[:space:]]no|\\1 yes|;$a Foo bar' -e '/^UsePAM/c UsePAM no' /etc/ssh/sshd_config",
    );
    expect(w?.content).toBe('PermitEmptyPasswords yes\nFoo bar\nUsePAM no');
    expect(w?.pattern).toBe('\\(PermitEmptyPasswords\\)[[:space:]]no\n^UsePAM');
  });

  it('reads postconf settings into main.cf, or master.cf with -M, under -c', () => {
    expect(
      writes(
        'RUN postconf -e \'mynetworks = 0.0.0.0/0\' "smtpd_relay_restrictions=permit" && postconf -c /etc/pf2 x=y',
      ),
    ).toEqual([
      {
        path: '/etc/postfix/main.cf',
        content: 'mynetworks = 0.0.0.0/0\nsmtpd_relay_restrictions = permit',
        mode: 'edit',
        via: 'postconf',
        line: 2,
      },
      { path: '/etc/pf2/main.cf', content: 'x = y', mode: 'edit', via: 'postconf', line: 2 },
    ]);
    expect(writes("RUN postconf -M 'smtp/inet=smtp inet n - n - - smtpd'").map((w) => w.path)).toEqual([
      '/etc/postfix/master.cf',
    ]);
  });

  it('reads COPY heredocs into a file or, with several, into a directory', () => {
    expect(
      writes(
        'COPY <<EOF /etc/sudoers.d/dev\ndev ALL=(ALL) NOPASSWD:ALL\nEOF\nCOPY <<a.conf <<b.conf /etc/app/\nA\na.conf\nB\nb.conf',
      ),
    ).toEqual([
      {
        path: '/etc/sudoers.d/dev',
        content: 'dev ALL=(ALL) NOPASSWD:ALL\n',
        mode: 'replace',
        via: 'copy-heredoc',
        line: 2,
      },
      { path: '/etc/app/a.conf', content: 'A\n', mode: 'replace', via: 'copy-heredoc', line: 5 },
      { path: '/etc/app/b.conf', content: 'B\n', mode: 'replace', via: 'copy-heredoc', line: 5 },
    ]);
  });

  it('finds writes inside sh -c strings and RUN heredoc scripts', () => {
    expect(
      writes("RUN sh -c 'echo root2:x:0:0::/root:/bin/sh >> /etc/passwd'\nRUN <<EOF\necho y > /etc/y\nEOF"),
    ).toEqual([
      {
        path: '/etc/passwd',
        content: 'root2:x:0:0::/root:/bin/sh\n',
        mode: 'append',
        via: 'redirect',
        line: 2,
      },
      { path: '/etc/y', content: 'y\n', mode: 'replace', via: 'redirect', line: 4 },
    ]);
  });

  it('leaves out writes whose text the Dockerfile does not show', () => {
    expect(
      writes(
        "RUN curl -fsSL https://x.example/a > /etc/a && cat /etc/foo > /etc/bar && sed 's/a/b/' /etc/c > /etc/d && echo hi 2> /etc/err && echo x > /dev/null",
      ),
    ).toEqual([]);
  });

  it('tells what a command reads on standard input', () => {
    const { model } = parseDockerfile(
      "FROM debian:12\nRUN echo 'root:pw' | chpasswd && chpasswd <<EOF\napp:x\nEOF\nRUN chpasswd < /tmp/users",
    );
    const ctx = createContext(model, {})('test');
    expect(ctx.commands().map((run) => [run.command.name, commandInput(ctx, run)])).toEqual([
      ['echo', undefined],
      ['chpasswd', 'root:pw\n'],
      ['chpasswd', 'app:x\n'],
      ['chpasswd', undefined],
    ]);
  });

  it('skips RUNs under a non-POSIX SHELL', () => {
    expect(writes('SHELL ["pwsh", "-c"]\nRUN echo x > C:/x.txt')).toEqual([]);
  });
});
