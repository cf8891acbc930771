import { describe, expect, it } from 'vitest';
import { parseDockerfile } from '../../../core/dockerfile/parse.js';
import { createContext } from '../../../core/lint/context.js';
import { applyEdits, commandInput, editRegex, fileWrites } from '../../../core/lint/file-writes.js';

const writes = (body: string, files?: Map<string, string>) => {
  const { model } = parseDockerfile(`FROM debian:12\n${body}\n`);
  return fileWrites(createContext(model, {}, files)('test'), { copies: true }).map(
    ({ path, content, mode, via, pattern, loc }) => ({
      path,
      content,
      mode,
      via,
      line: loc.line,
      ...(pattern !== undefined ? { pattern } : {}),
    }),
  );
};
const short = (body: string, files?: Map<string, string>) =>
  writes(body, files).map((w) => `${w.path} ${w.mode} ${w.via}: ${w.content}`);

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
        'RUN curl -fsSL https://x.example/a > /etc/a && cat /etc/foo > /etc/bar && grep a /etc/c > /etc/d && echo hi 2> /etc/err && echo x > /dev/null',
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

  it('reads perl -pi substitutions and printed strings, with -i.bak and s{}{}', () => {
    expect(
      short(
        "RUN perl -pi -e 's/^#?PermitRootLogin.*/PermitRootLogin yes/' /etc/ssh/sshd_config && perl -i.bak -pe 's{^(root):x:}{$1::}' /etc/shadow",
      ),
    ).toEqual(['/etc/ssh/sshd_config edit perl: PermitRootLogin yes', '/etc/shadow edit perl: root::']);
    expect(short("RUN perl -ne 'print' /etc/a > /etc/b && perl -e 'print 1' > /etc/c")).toEqual([]);
  });

  it('follows a filter written to a temporary file and moved, copied or installed over the file', () => {
    expect(
      short(
        'RUN awk \'/^PermitRootLogin/{print "PermitRootLogin yes"; next} 1\' /etc/ssh/sshd_config > /tmp/c && mv /tmp/c /etc/ssh/sshd_config',
      ).filter((w) => w.startsWith('/etc/ssh')),
    ).toEqual(['/etc/ssh/sshd_config edit awk: PermitRootLogin yes']);
    expect(
      short(
        "RUN sed 's/no/yes/' /etc/ssh/sshd_config > /tmp/c && cat /tmp/c > /etc/ssh/sshd_config\nRUN gawk -i inplace '{gsub(/x/, \"y\")} 1' /etc/f",
      ).filter((w) => !w.startsWith('/tmp')),
    ).toEqual(['/etc/ssh/sshd_config edit sed: yes', '/etc/f edit awk: y']);
  });

  it('carries known text through cp, install, ln, dd and cat of an earlier file, across RUNs and FROM a stage', () => {
    expect(
      short(
        "FROM debian:12 AS base\nRUN echo 'app ALL=(ALL) NOPASSWD: ALL' > /tmp/s\nRUN install -m 0440 /tmp/s /etc/sudoers.d/app && cp /tmp/s /etc/sudoers.d/\nFROM debian:12 AS other\nRUN cp /tmp/s /etc/sudoers.d/other\nFROM base\nRUN ln -sf /tmp/s /etc/sudoers.d/l && dd if=/tmp/s of=/etc/sudoers.d/d && cat /tmp/s /tmp/s >> /etc/sudoers",
      ).filter((w) => !w.startsWith('/tmp')),
    ).toEqual([
      '/etc/sudoers.d/app replace install: app ALL=(ALL) NOPASSWD: ALL\n',
      '/etc/sudoers.d/s replace cp: app ALL=(ALL) NOPASSWD: ALL\n',
      '/etc/sudoers.d/l replace ln: app ALL=(ALL) NOPASSWD: ALL\n',
      '/etc/sudoers.d/d replace dd: app ALL=(ALL) NOPASSWD: ALL\n',
      '/etc/sudoers append redirect: app ALL=(ALL) NOPASSWD: ALL\napp ALL=(ALL) NOPASSWD: ALL\n',
    ]);
  });

  it('reads dd of= from a pipe, visudo with EDITOR=tee, and a file written through a link made earlier', () => {
    expect(
      short(
        "RUN echo 'x' | dd of=/etc/a conv=notrunc && echo 'y' | EDITOR='tee -a' visudo -f /etc/sudoers.d/y\nRUN ln -s /opt/conf /etc/ssh/sshd_config && echo 'PermitRootLogin yes' >> /opt/conf",
      ),
    ).toEqual([
      '/etc/a append dd: x\n',
      '/etc/sudoers.d/y append visudo: y\n',
      '/opt/conf append redirect: PermitRootLogin yes\n',
      '/etc/ssh/sshd_config append redirect: PermitRootLogin yes\n',
    ]);
  });

  it('reads ed and ex scripts, sed -f scripts written earlier and --expression', () => {
    expect(
      short(
        "RUN printf '%s\\n' '/^#PermitRootLogin/c' 'PermitRootLogin yes' . w | ed -s /etc/ssh/sshd_config && ex -sc '%s/no/yes/|x' /etc/x\nRUN echo 's/a/PasswordAuthentication yes/' > /tmp/s.sed && sed -i -f /tmp/s.sed /etc/y && sed --in-place --expression='$a z' /etc/z",
      ).filter((w) => !w.startsWith('/tmp')),
    ).toEqual([
      '/etc/ssh/sshd_config edit ed: PermitRootLogin yes',
      '/etc/x edit ed: yes',
      '/etc/y edit sed: PasswordAuthentication yes',
      '/etc/z edit sed: z',
    ]);
  });

  it('reads printf and echo escapes (octal, hex, \\c), base64 -d and xxd -r -p, and >|', () => {
    expect(
      short(
        "RUN printf '\\120\\x65rmit\\n' >| /a && echo -e 'r\\0157ot\\cjunk' > /b && echo UGVybWl0Um9vdExvZ2luIHllcw== | base64 -d > /c && echo 796573 | xxd -r -p > /d",
      ),
    ).toEqual([
      '/a replace redirect: Permit\n',
      '/b replace redirect: root',
      '/c replace redirect: PermitRootLogin yes',
      '/d replace redirect: yes',
    ]);
  });

  it('with copies, reads files COPYed from the pushed tree and COPY --from a stage', () => {
    const files = new Map([['conf/sudoers', 'ops ALL=(ALL) NOPASSWD: ALL\n']]);
    expect(
      short(
        'COPY conf/sudoers /etc/sudoers.d/ops\nCOPY other /etc/other\nFROM debian:12 AS b\nRUN echo x > /out/x\nFROM debian:12\nCOPY --from=b /out/ /etc/o/',
        files,
      ),
    ).toEqual([
      '/etc/sudoers.d/ops replace copy: ops ALL=(ALL) NOPASSWD: ALL\n',
      '/out/x replace redirect: x\n',
      '/etc/o/x replace copy: x\n',
    ]);
  });

  it('tells what a command reads from a file redirected in whose text is known', () => {
    const { model } = parseDockerfile(
      "FROM debian:12\nRUN echo 'root:' > /tmp/u && chpasswd < /tmp/u && cat /tmp/u | busybox chpasswd",
    );
    const ctx = createContext(model, {})('test');
    expect(ctx.commands().map((run) => [run.command.name, commandInput(ctx, run)])).toEqual([
      ['echo', undefined],
      ['chpasswd', 'root:\n'],
      ['cat', undefined],
      ['busybox', 'root:\n'],
    ]);
  });

  it('replays edits on known lines, and says when it cannot', () => {
    const lines = ['#PermitRootLogin prohibit-password', 'PasswordAuthentication no'];
    const { model } = parseDockerfile(
      "FROM debian:12\nRUN sed -i -e 's/^#\\?\\(PermitRootLogin\\)[[:space:]].*/\\1 yes/' -e '/^Password/a UsePAM yes' -e '$a Last' /f",
    );
    const [edit] = fileWrites(createContext(model, {})('t'));
    expect(applyEdits(lines, edit?.edits ?? [])).toEqual([
      'PermitRootLogin yes',
      'PasswordAuthentication no',
      'UsePAM yes',
      'Last',
    ]);
    expect(applyEdits(lines, [{ kind: 'text', extended: true, text: 'x' }])).toBeUndefined();
    expect(editRegex('a\\{2\\}(b)+', false)?.test('aa(b)+')).toBe(true);
    expect(editRegex('[[:digit:]]+$', true)?.test('x12')).toBe(true);
  });
});
