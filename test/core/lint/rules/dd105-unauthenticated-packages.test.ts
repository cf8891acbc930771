import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DD105 packages installed without signature checks', () => {
  catches('DD105', 'FROM debian:12\nRUN apt-get update && apt-get install -y --allow-unauthenticated curl', {
    line: 2,
  });
  catches('DD105', 'FROM debian:12\nRUN apt-get update --allow-insecure-repositories');
  catches('DD105', 'FROM debian:8\nRUN apt-get install -y --force-yes curl');
  catches('DD105', 'FROM debian:12\nRUN apt-get -o APT::Get::AllowUnauthenticated=true install -y curl');
  catches(
    'DD105',
    'FROM debian:12\nRUN echo \'APT::Get::AllowUnauthenticated "true";\' > /etc/apt/apt.conf.d/99unauth',
  );
  catches('DD105', 'FROM debian:12\nRUN apt-get -o Acquire::AllowInsecureRepositories=true update');
  catches(
    'DD105',
    'FROM debian:12\nRUN echo "deb [trusted=yes] http://repo.example.com/ stable main" > /etc/apt/sources.list.d/x.list',
  );
  catches(
    'DD105',
    'FROM debian:12\nRUN echo "deb [arch=amd64 trusted=yes] http://repo.example.com/ ./" >> /etc/apt/sources.list',
  );
  catches(
    'DD105',
    '# syntax=docker/dockerfile:1\nFROM debian:12\nCOPY <<EOF /etc/apt/sources.list.d/x.sources\nTypes: deb\nURIs: http://repo.example.com/\nTrusted: yes\nEOF',
    { line: 6 },
  );
  catches(
    'DD105',
    '# syntax=docker/dockerfile:1\nFROM debian:12\nRUN <<EOF\nset -e\necho "deb [trusted=yes] http://r.example.com/ ./" > /etc/apt/sources.list.d/r.list\napt-get update\nEOF',
    { line: 5 },
  );
  catches('DD105', 'FROM alpine:3.20\nRUN apk add --no-cache --allow-untrusted /tmp/glibc-2.35-r1.apk');
  catches('DD105', 'FROM rockylinux:9\nRUN rpm -ivh --nosignature /tmp/x.rpm');
  catches('DD105', 'FROM rockylinux:9\nRUN rpm -Uvh --nodigest /tmp/x.rpm');
  catches('DD105', 'FROM centos:7\nRUN yum install -y --nogpgcheck nginx');
  catches('DD105', 'FROM fedora:40\nRUN dnf install -y --setopt=gpgcheck=0 nginx');
  catches('DD105', 'FROM fedora:40\nRUN dnf install -y --setopt=*.gpgcheck=False nginx');
  catches(
    'DD105',
    'FROM rockylinux:9\nRUN printf "[x]\\nbaseurl=https://r.example.com/\\ngpgcheck=0\\n" > /etc/yum.repos.d/x.repo',
  );
  catches('DD105', 'FROM rockylinux:9\nRUN sed -i "s/gpgcheck=1/gpgcheck=0/" /etc/yum.repos.d/*.repo');
  catches(
    'DD105',
    '# syntax=docker/dockerfile:1\nFROM rockylinux:9\nCOPY <<EOF /etc/yum.repos.d/x.repo\n[x]\nbaseurl=https://r.example.com/\ngpgcheck=0\nEOF',
    { line: 6 },
  );
  catches('DD105', 'FROM opensuse/leap:15.6\nRUN zypper --no-gpg-checks install -y nginx');
  catches('DD105', 'FROM opensuse/leap:15.6\nRUN zypper addrepo --no-gpgcheck https://r.example.com/ x');
  catches('DD105', 'FROM archlinux\nRUN sed -i "s/^SigLevel.*/SigLevel = Never/" /etc/pacman.conf');
  catches('DD105', 'FROM golang:1.22\nENV GOSUMDB=off');
  catches('DD105', 'FROM golang:1.22\nRUN GOSUMDB=off go mod download');
  passes('DD105', 'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl');
  passes(
    'DD105',
    'FROM debian:12\nRUN echo "deb [signed-by=/usr/share/keyrings/x.gpg] https://r.example.com/ stable main" > /etc/apt/sources.list.d/x.list',
  );
  passes(
    'DD105',
    'FROM rockylinux:9\nRUN printf "[x]\\ngpgcheck=1\\nrepo_gpgcheck=0\\nlocalpkg_gpgcheck=0\\n" > /etc/yum.repos.d/x.repo',
  );
  passes(
    'DD105',
    'FROM rockylinux:9\nRUN rpm --import https://r.example.com/RPM-GPG-KEY && rpm -ivh /tmp/x.rpm',
  );
  passes(
    'DD105',
    'FROM alpine:3.20\nRUN wget -qO /etc/apk/keys/sgerrand.rsa.pub https://alpine-pkgs.sgerrand.com/sgerrand.rsa.pub && apk add /tmp/glibc.apk',
  );
  passes(
    'DD105',
    'FROM debian:12\nRUN apt-get update \\\n  # --allow-unauthenticated used to be needed here\n  && apt-get install -y curl',
  );
  passes('DD105', 'FROM rockylinux:9\nRUN sed -i "s/gpgcheck=0/gpgcheck=1/" /etc/yum.repos.d/*.repo');
  passes('DD105', 'FROM rockylinux:9\nRUN ! grep -r "gpgcheck=0" /etc/yum.repos.d/');
  passes('DD105', 'FROM golang:1.22\nENV GONOSUMDB=git.example.com GOPRIVATE=git.example.com');
  // apt.conf syntax quotes the value.
  catches(
    'DD105',
    'FROM debian:12\nRUN echo \'APT::Get::AllowUnauthenticated "true";\' > /etc/apt/apt.conf.d/99insecure',
    { line: 2 },
  );
  catches(
    'DD105',
    'FROM debian:12\nRUN echo \'Acquire::AllowInsecureRepositories "true";\' > /etc/apt/apt.conf.d/99insecure',
    { line: 2 },
  );
  catches(
    'DD105',
    'FROM debian:12\nRUN echo "APT::Get::AllowUnauthenticated \\"true\\";" > /etc/apt/apt.conf.d/99insecure',
    { line: 2 },
  );
  catches(
    'DD105',
    'FROM debian:12\nRUN echo "Acquire::AllowInsecureRepositories \\"true\\";" > /etc/apt/apt.conf.d/99insecure',
    { line: 2 },
  );
  catches(
    'DD105',
    'FROM debian:12\nRUN echo \'APT { Get { AllowUnauthenticated "true"; }; };\' > /etc/apt/apt.conf.d/99insecure',
  );
  catches(
    'DD105',
    'FROM debian:12\nRUN echo \'Acquire { AllowInsecureRepositories "1"; };\' > /etc/apt/apt.conf.d/99insecure',
  );
  catches(
    'DD105',
    'FROM debian:12\nRUN printf \'Acquire::AllowInsecureRepositories "1";\\nAPT::Get::AllowUnauthenticated "yes";\\n\' > /etc/apt/apt.conf.d/99x',
  );
  catches(
    'DD105',
    '# syntax=docker/dockerfile:1\nFROM debian:12\nCOPY <<EOF /etc/apt/apt.conf.d/99insecure\nAcquire::AllowInsecureRepositories "true";\nEOF',
    { line: 4 },
  );
  passes(
    'DD105',
    'FROM debian:12\nRUN echo \'APT::Get::AllowUnauthenticated "false";\' > /etc/apt/apt.conf.d/99secure',
  );
  passes(
    'DD105',
    'FROM debian:12\nRUN echo "Acquire::AllowInsecureRepositories \\"false\\";" > /etc/apt/apt.conf.d/99secure',
  );
});

const ctxFiles = (entries: Record<string, string>) => ({ contextFiles: new Map(Object.entries(entries)) });

describe('DD105: a flag counts only as an option of the package manager', () => {
  passes(
    'DD105',
    'FROM alpine:3.20\nRUN echo "--allow-untrusted" && printf \'%s\\n\' --allow-unauthenticated',
  );
  passes('DD105', 'FROM debian:12\nRUN grep -r -- --allow-unauthenticated /usr/local/bin || true');
  passes(
    'DD105',
    'FROM debian:12\nRUN cat > /README <<EOF\nNever run apk add --allow-untrusted or yum --nogpgcheck\nEOF',
  );
  passes('DD105', 'FROM debian:12\nRUN echo "deb [trusted=yes] http://r.example.com/ ./" > /app/notes.txt');
  passes('DD105', 'FROM debian:12\nRUN apt-get -o APT::Get::AllowUnauthenticated=false install -y curl');
  passes('DD105', 'FROM fedora:40\nRUN dnf install -y --setopt=gpgcheck=1 nginx');
  passes('DD105', 'FROM golang:1.22\nENV MY_GOSUMDB=off');
  // A continuation inside the word: Docker joins the lines before the shell reads them.
  catches('DD105', 'FROM debian:12\nRUN apt-get install -y --allow-\\\nunauthenticated curl', { line: 2 });
  catches(
    'DD105',
    'FROM debian:12\nRUN echo \'APT::Get::AllowUnauthenticated "true";\' | tee /etc/apt/apt.conf.d/99x',
  );
  catches('DD105', 'FROM golang:1.22\nRUN go env -w GOSUMDB=off');
  catches('DD105', 'FROM golang:1.22\nENV GONOSUMDB=*');
  catches('DD105', 'FROM debian:12\nRUN aptitude install -y --allow-untrusted curl');
  catches('DD105', 'FROM rockylinux:9\nRUN rpm -ivh --define "_pkgverify_level none" /tmp/x.rpm');
  catches('DD105', 'FROM rockylinux:9\nRUN echo "%_pkgverify_level none" > /root/.rpmmacros');
  passes('DD105', 'FROM rockylinux:9\nRUN echo "%_pkgverify_level signature" > /root/.rpmmacros');
  catches('DD105', 'FROM alpine:3.22\nRUN echo allow-untrusted >> /etc/apk/config');
  passes('DD105', 'FROM alpine:3.22\nRUN echo no-cache >> /etc/apk/config');
  // apk (getopt_long) and dnf (argparse) take any unambiguous start of a long option.
  catches('DD105', 'FROM alpine:3.20\nRUN apk add --allow-untr /tmp/x.apk');
  catches('DD105', 'FROM fedora:40\nRUN dnf install -y --nogpg nginx');
  passes('DD105', 'FROM fedora:40\nRUN dnf install -y --nodocs nginx');
  catches('DD105', 'FROM debian:12\nRUN apt-get -o=APT::Get::AllowUnauthenticated=1 install -y curl');
  catches('DD105', 'FROM debian:12\nRUN apt-get update -oAcquire::AllowInsecureRepositories=yes');
  catches('DD105', 'FROM opensuse/leap:15.6\nRUN zypper ar -fG https://r.example.com/ x');
  passes('DD105', 'FROM opensuse/leap:15.6\nRUN zypper ar -f https://r.example.com/ x');
  catches(
    'DD105',
    'FROM debian:12\nRUN echo \'APT::Get::AllowUnauthenticated "true";\' > /tmp/apt.conf && apt-get -c /tmp/apt.conf install -y x',
  );
  catches(
    'DD105',
    'FROM rockylinux:9\nCOPY my.conf /opt/my.conf\nRUN dnf -c /opt/my.conf install -y x',
    ctxFiles({ 'my.conf': '[main]\ngpgcheck=0\n' }),
  );
  passes('DD105', 'FROM debian:12\nRUN echo \'APT::Get::AllowUnauthenticated "true";\' > /tmp/notes.txt');
});

describe('DD105: repository and apt files copied in, checked by their content', () => {
  catches(
    'DD105',
    'FROM rockylinux:9\nCOPY x.repo /etc/yum.repos.d/',
    ctxFiles({ 'x.repo': '[x]\nbaseurl=https://r.example.com/\ngpgcheck=0\n' }),
  );
  passes(
    'DD105',
    'FROM rockylinux:9\nCOPY x.repo /etc/yum.repos.d/',
    ctxFiles({ 'x.repo': '[x]\nbaseurl=https://r.example.com/\ngpgcheck=1\nrepo_gpgcheck=0\n' }),
  );
  catches(
    'DD105',
    'FROM debian:12\nCOPY sources.list /etc/apt/sources.list',
    ctxFiles({ 'sources.list': 'deb [ trusted=yes ] http://r.example.com/ stable main\n' }),
  );
  passes(
    'DD105',
    'FROM debian:12\nCOPY sources.list /etc/apt/sources.list',
    ctxFiles({
      'sources.list': 'deb [signed-by=/usr/share/keyrings/r.gpg] http://r.example.com/ stable main\n',
    }),
  );
  catches(
    'DD105',
    'FROM debian:12\nCOPY apt/ /etc/apt/sources.list.d/',
    ctxFiles({ 'apt/r.sources': 'Types: deb\nURIs: https://r.example.com/\nSuites: stable\nTrusted: yes\n' }),
  );
  catches(
    'DD105',
    'FROM debian:12\nCOPY 99unauth /etc/apt/apt.conf.d/99unauth',
    ctxFiles({ '99unauth': 'APT::Get::AllowUnauthenticated "true";\n' }),
  );
  passes(
    'DD105',
    'FROM debian:12\nCOPY 99unauth /etc/apt/apt.conf.d/99unauth',
    ctxFiles({
      '99unauth': '// APT::Get::AllowUnauthenticated "true";\n# Acquire::AllowInsecureRepositories "1";\n',
    }),
  );
  passes(
    'DD105',
    'FROM debian:12\nCOPY sources.list /usr/share/doc/example/sources.list',
    ctxFiles({ 'sources.list': 'deb [trusted=yes] http://r.example.com/ stable main\n' }),
  );
});

describe('DD105: packages built and indexed in the same RUN from a local repository', () => {
  const aptLocal = (uri: string, index = 'dpkg-scanpackages . > Packages; ') =>
    `FROM debian:12\nRUN set -eux; tempDir="$(mktemp -d)"; cd "$tempDir"; apt-get source --compile hello; ${index}echo "deb [ trusted=yes ] ${uri} ./" > /etc/apt/sources.list.d/temp.list; apt-get -o Acquire::GzipIndexes=false update; apt-get install -y hello`;
  passes('DD105', aptLocal('file://$tempDir'));
  // The postgres official image's shape: the index is rebuilt by a function of the same RUN.
  const postgresStyle = (uri: string) =>
    `FROM debian:12\nRUN set -ex; \\\n\ttempDir="$(mktemp -d)"; cd "$tempDir"; \\\n\techo "deb [ trusted=yes ] ${uri} ./" > /etc/apt/sources.list.d/temp.list; \\\n\t_update_repo() { \\\n\t\tdpkg-scanpackages . > Packages; \\\n\t\tapt-get -o Acquire::GzipIndexes=false update; \\\n\t}; \\\n\tapt-get source --compile postgresql-common; _update_repo; \\\n\tapt-get install -y postgresql-common`;
  passes('DD105', postgresStyle('file://$tempDir'));
  catches('DD105', postgresStyle('http://mirror.example.com/debian'), { line: 4 });
  passes('DD105', aptLocal('copy:/tmp/repo', 'apt-ftparchive packages . > Packages; '));
  catches('DD105', aptLocal('http://r.example.com/'));
  // A file: repository nobody indexed in this RUN came from somewhere else (an earlier download).
  catches('DD105', aptLocal('file:///tmp/repo', ''));
  // Downloaded packages indexed locally are still unauthenticated packages from the network.
  catches(
    'DD105',
    aptLocal(
      'file:///tmp/repo',
      'wget -P /tmp/repo https://e.example.com/x.deb; dpkg-scanpackages /tmp/repo > /tmp/repo/Packages; ',
    ),
  );
  catches(
    'DD105',
    'FROM alpine:3.20\nRUN wget -P /tmp/repo https://e.example.com/pkgs.tar && tar -xf /tmp/repo/pkgs.tar -C /tmp/repo && apk index -o /tmp/repo/APKINDEX.tar.gz /tmp/repo/*.apk && apk add --allow-untrusted -X /tmp/repo hello',
  );
  passes(
    'DD105',
    'FROM alpine:3.20\nRUN abuild -r && apk index -o /home/b/packages/APKINDEX.tar.gz /home/b/packages/*.apk && apk add --allow-untrusted --repository /home/b/packages hello',
  );
  passes(
    'DD105',
    'FROM alpine:3.20\nRUN abuild -r && apk add --no-cache --allow-untrusted /home/b/packages/main/x86_64/hello-1.0-r0.apk',
  );
  // The nginx official image's shape: abuild as nobody through su -c, apk index, then -X the local index.
  const nginxStyle = (repo: string) =>
    `FROM alpine:3.20\nRUN set -eux; tempDir="$(mktemp -d)"; \\\n\tsu nobody -s /bin/sh -c "export HOME=\${tempDir} && cd \${tempDir} && abuild-keygen -an && abuild -r"; \\\n\tapk index -o \${tempDir}/packages/alpine/x86_64/APKINDEX.tar.gz \${tempDir}/packages/alpine/x86_64/*.apk; \\\n\tapk add --no-cache --allow-untrusted -X ${repo} nginx-module-njs`;
  passes('DD105', nginxStyle('${tempDir}/packages/alpine/'));
  catches('DD105', nginxStyle('https://mirror.example.com/alpine/'), { line: 5 });
  catches(
    'DD105',
    'FROM alpine:3.20\nRUN wget -O /tmp/x.apk https://e.example.com/x.apk && apk index -o /tmp/APKINDEX.tar.gz /tmp/x.apk && apk add --allow-untrusted /tmp/x.apk',
  );
  catches(
    'DD105',
    'FROM alpine:3.20\nRUN apk index -o /tmp/APKINDEX.tar.gz /tmp/*.apk && apk add --allow-untrusted --repository https://e.example.com/repo hello',
  );
});

describe('DD105: flags named through ENV/ARG (read through ctx.resolved())', () => {
  catches('DD105', 'FROM debian:12\nENV F=--allow-unauthenticated\nRUN apt-get install -y $F curl', {
    line: 3,
  });
  catches(
    'DD105',
    'FROM alpine:3.20\nARG APK_FLAGS="--no-cache --allow-untrusted"\nRUN apk add $APK_FLAGS /tmp/x.apk',
  );
  passes('DD105', 'FROM debian:12\nENV F=--no-install-recommends\nRUN apt-get install -y $F curl');
});

describe('DD105: attack review (apt boolean values, zypper unsigned rpm)', () => {
  // apt's command line takes a value for a boolean option after `=`.
  catches('DD105', 'FROM debian:12\nRUN apt-get install -y --allow-unauthenticated=true curl', { line: 2 });
  catches('DD105', 'FROM debian:12\nRUN apt-get update --allow-insecure-repositories=yes');
  catches('DD105', 'FROM debian:12\nRUN apt-get install -y --force-yes=1 curl');
  passes('DD105', 'FROM debian:12\nRUN apt-get install -y --allow-unauthenticated=false curl');
  passes('DD105', 'FROM debian:12\nRUN apt-get install -y --allow-unauthenticated=no curl');
  // zypper installs a local or downloaded rpm without a signature.
  catches('DD105', 'FROM opensuse/leap\nRUN zypper --non-interactive install --allow-unsigned-rpm ./x.rpm', {
    line: 2,
  });
  passes('DD105', 'FROM opensuse/leap\nRUN zypper --non-interactive install ./x.rpm');
});
