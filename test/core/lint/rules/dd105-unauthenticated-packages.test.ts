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
