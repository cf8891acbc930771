import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DD104 TLS verification disabled', () => {
  catches('DD104', 'FROM debian:12\nRUN curl -k https://example.com/x -o /x', { line: 2 });
  catches('DD104', 'FROM debian:12\nRUN curl -fsSLk https://example.com/x -o /x');
  catches('DD104', 'FROM debian:12\nRUN curl --insecure -o /x https://example.com/x');
  catches('DD104', 'FROM debian:12\nRUN echo insecure >> ~/.curlrc');
  catches('DD104', 'FROM debian:12\nRUN wget --no-check-certificate https://example.com/x');
  catches('DD104', 'FROM debian:12\nRUN wget -e check_certificate=off https://example.com/x');
  catches('DD104', 'FROM debian:12\nRUN echo "check_certificate = off" >> /etc/wgetrc');
  catches('DD104', 'FROM python:3.12\nRUN pip install --trusted-host pypi.org requests');
  catches(
    'DD104',
    'FROM python:3.12\nRUN python3 -m pip install --trusted-host=files.pythonhosted.org requests',
  );
  catches('DD104', 'FROM python:3.12\nRUN pip install -i http://pypi.internal.example/simple requests');
  catches(
    'DD104',
    'FROM python:3.12\nRUN pip install --extra-index-url http://pypi.internal.example/simple x',
  );
  catches('DD104', 'FROM python:3.12\nRUN pip config set global.trusted-host pypi.internal.example');
  catches('DD104', 'FROM python:3.12\nENV PIP_TRUSTED_HOST=pypi.internal.example');
  catches('DD104', 'FROM python:3.12\nENV PIP_INDEX_URL http://pypi.internal.example/simple', { line: 2 });
  catches('DD104', 'FROM python:3.12\nRUN uv pip install --allow-insecure-host pypi.internal.example x');
  catches('DD104', 'FROM node:20\nRUN npm config set strict-ssl false && npm ci');
  catches('DD104', 'FROM node:20\nRUN npm set strict-ssl false');
  catches('DD104', 'FROM node:20\nRUN yarn config set strict-ssl false');
  catches('DD104', 'FROM node:20\nRUN pnpm config set strict-ssl=false');
  catches('DD104', 'FROM node:20\nRUN npm install --strict-ssl=false');
  catches('DD104', 'FROM node:20\nRUN yarn config set enableStrictSsl false');
  catches('DD104', 'FROM node:20\nRUN echo "strict-ssl=false" >> ~/.npmrc');
  catches('DD104', 'FROM node:20\nRUN npm config set registry http://registry.npmjs.org/');
  catches('DD104', 'FROM node:20\nENV NODE_TLS_REJECT_UNAUTHORIZED=0', { line: 2 });
  catches('DD104', 'FROM node:20\nENV NODE_TLS_REJECT_UNAUTHORIZED 0');
  catches('DD104', 'FROM node:20\nARG NODE_TLS_REJECT_UNAUTHORIZED=0');
  catches('DD104', 'FROM node:20\nRUN NODE_TLS_REJECT_UNAUTHORIZED=0 npm ci');
  catches('DD104', 'FROM node:20\nRUN export NODE_TLS_REJECT_UNAUTHORIZED=0 && npm ci');
  catches('DD104', 'FROM node:20\nCMD ["env", "NODE_TLS_REJECT_UNAUTHORIZED=0", "node", "app.js"]');
  catches('DD104', 'FROM node:20\nENV npm_config_strict_ssl=false');
  catches('DD104', 'FROM debian:12\nRUN git config --global http.sslVerify false', { line: 2 });
  catches('DD104', 'FROM debian:12\nRUN git config --global http.https://git.example.com/.sslVerify "false"');
  catches('DD104', 'FROM debian:12\nRUN git -c http.sslVerify=false clone https://git.example.com/x.git');
  catches('DD104', 'FROM debian:12\nENV GIT_SSL_NO_VERIFY=1');
  catches('DD104', 'FROM debian:12\nRUN GIT_SSL_NO_VERIFY=true git clone https://git.example.com/x.git');
  catches('DD104', 'FROM centos:7\nENV PYTHONHTTPSVERIFY=0');
  catches(
    'DD104',
    'FROM debian:12\nRUN echo \'Acquire::https::Verify-Peer "false";\' > /etc/apt/apt.conf.d/99insecure',
  );
  catches('DD104', 'FROM debian:12\nRUN apt-get -o Acquire::https::Verify-Peer=false update');
  catches(
    'DD104',
    'FROM debian:12\nRUN apt-get -o Acquire::https::mirror.example.com::Verify-Host=false update',
  );
  catches(
    'DD104',
    '# syntax=docker/dockerfile:1\nFROM debian:12\nCOPY <<EOF /etc/apt/apt.conf.d/99insecure\nAcquire::https::Verify-Peer "false";\nEOF',
    { line: 4 },
  );
  catches('DD104', 'FROM rockylinux:9\nRUN dnf install -y --setopt=sslverify=0 nginx');
  catches('DD104', 'FROM rockylinux:9\nRUN echo "sslverify=false" >> /etc/yum.conf');
  catches('DD104', 'FROM ruby:3.3\nRUN gem install rails --source http://rubygems.org');
  catches('DD104', 'FROM ruby:3.3\nRUN gem sources --add http://gems.example.com/');
  catches('DD104', 'FROM ruby:3.3\nRUN bundle config set ssl_verify_mode 0');
  catches('DD104', 'FROM php:8.3\nRUN composer config -g secure-http false');
  catches('DD104', 'FROM php:8.3\nRUN composer config -g disable-tls true');
  catches('DD104', 'FROM continuumio/miniconda3\nRUN conda config --set ssl_verify false');
  catches('DD104', 'FROM continuumio/miniconda3\nRUN conda install --insecure numpy');
  catches(
    'DD104',
    'FROM maven:3.9\nRUN mvn -Dmaven.wagon.http.ssl.insecure=true -Dmaven.wagon.http.ssl.allowall=true package',
  );
  catches('DD104', 'FROM python:3.12\nRUN poetry config certificates.internal.cert false');
  catches(
    'DD104',
    'FROM alpine:3.20\nRUN helm repo add internal https://charts.example.com --insecure-skip-tls-verify',
  );
  catches('DD104', 'FROM amazon/aws-cli\nRUN aws s3 cp --no-verify-ssl s3://bucket/x /x');
  catches('DD104', 'FROM golang:1.22\nENV GOINSECURE=git.example.com');
  catches('DD104', 'FROM golang:1.22\nRUN go env -w GOINSECURE=git.example.com');
  catches('DD104', 'FROM golang:1.22\nENV GOFLAGS=-insecure');
  catches(
    'DD104',
    'FROM quay.io/skopeo/stable\nRUN skopeo copy --src-tls-verify=false docker://a docker://b',
  );
  catches('DD104', 'FROM debian:12\nRUN bash -c "curl -k https://example.com/x -o /x"');
  catches(
    'DD104',
    'FROM mcr.microsoft.com/powershell\nSHELL ["pwsh", "-Command"]\nRUN Invoke-WebRequest -Uri https://example.com/x -OutFile x -SkipCertificateCheck',
    { line: 3 },
  );
  catches('DD104', 'FROM rockylinux:9\nRUN sed -i -e "s/sslverify=1/sslverify=0/" /etc/yum.conf');
  passes('DD104', 'FROM debian:12\nRUN curl -fsSL https://example.com/x -o /x');
  passes('DD104', 'FROM debian:12\nRUN curl -fsSLo/tmp/kubectl https://dl.k8s.io/kubectl');
  passes('DD104', 'FROM debian:12\nRUN curl -o -k https://example.com/x');
  // curl and wget take any unambiguous start of a long option.
  catches('DD104', 'FROM debian:12\nRUN curl --insec -fsSL https://example.com/x -o /x');
  catches('DD104', 'FROM python:3.12\nRUN pip install --trusted pypi.internal.example x');
  catches('DD104', 'FROM python:3.12\nRUN pip install --extra-index=http://pypi.internal.example/simple x');
  catches('DD104', 'FROM debian:12\nRUN wget --no-check-cert https://example.com/x');
  catches('DD104', 'FROM debian:12\nRUN wget --check-certificate=quiet https://example.com/x');
  passes('DD104', 'FROM debian:12\nRUN wget --check-certificate=on https://example.com/x');
  passes('DD104', 'FROM debian:12\nRUN curl --include https://example.com/x');
  passes('DD104', 'FROM debian:12\nRUN curl --user-agent -k https://example.com/x');
  passes('DD104', 'FROM debian:12\nRUN curl -H "k: v" https://example.com/x');
  passes('DD104', 'FROM debian:12\nRUN wget -q https://example.com/x');
  passes(
    'DD104',
    'FROM python:3.12\nRUN pip install --index-url https://pypi.internal.example/simple requests',
  );
  passes('DD104', 'FROM python:3.12\nRUN pip install -i http://localhost:3141/root/pypi/ requests');
  passes(
    'DD104',
    'FROM python:3.12\nRUN pip install --trusted-host 127.0.0.1 -i http://127.0.0.1:8080/simple x',
  );
  passes('DD104', 'FROM node:20\nRUN npm config set strict-ssl true && npm ci');
  passes('DD104', 'FROM node:20\nENV NODE_TLS_REJECT_UNAUTHORIZED=1');
  catches('DD104', 'FROM node:20\nENV NPM_CONFIG_REGISTRY=http://npm.internal.example/');
  catches('DD104', 'FROM node:20\nRUN npm install --registry=http://npm.internal.example/ lodash');
  catches(
    'DD104',
    'FROM python:3.12\nRUN printf "[global]\\ntrusted-host = pypi.internal.example\\n" > /etc/pip.conf',
  );
  passes('DD104', 'FROM python:3.12\nENV TRUSTED_HOST=app.example.com');
  passes('DD104', 'FROM confluentinc/cp-kafka\nENV SCHEMA_REGISTRY=http://schema-registry:8081');
  passes('DD104', 'FROM node:20\nRUN npm config set registry https://registry.npmjs.org/');
  passes('DD104', 'FROM debian:12\nRUN git config --global http.sslVerify true');
  passes('DD104', 'FROM debian:12\nRUN git config --global http.sslCAInfo /etc/ssl/certs/corp.pem');
  passes(
    'DD104',
    'FROM debian:12\nRUN apt-get update \\\n  # curl -k was here once\n  && apt-get install -y curl',
  );
  passes(
    'DD104',
    'FROM debian:12\nRUN cp corp.crt /usr/local/share/ca-certificates/ && update-ca-certificates',
  );
  passes(
    'DD104',
    'FROM rockylinux:9\nRUN echo "sslverify=1" >> /etc/yum.conf && echo "repo_gpgcheck=0" >> /etc/yum.conf',
  );
  passes('DD104', 'FROM rockylinux:9\nRUN sed -i -e "s/sslverify=0/sslverify=1/" /etc/yum.conf');
  passes('DD104', 'FROM golang:1.22\nRUN go build -o /app ./cmd/insecure-demo');
  passes(
    'DD104',
    'FROM alpine:3.20\nRUN helm repo add internal https://charts.example.com --insecure-skip-tls-verify=false',
  );
});

const ctxFiles = (entries: Record<string, string>) => ({ contextFiles: new Map(Object.entries(entries)) });

describe('DD104: a flag counts only as an option of the tool that honours it', () => {
  passes(
    'DD104',
    'FROM debian:12\nRUN echo "use curl -k or --insecure" && printf \'%s\\n\' --no-check-certificate',
  );
  passes('DD104', 'FROM debian:12\nRUN grep -r -- --insecure /usr/local/bin || true');
  passes('DD104', 'FROM node:20\nRUN npm install strict-ssl');
  passes('DD104', 'FROM node:20\nRUN echo "strict-ssl=false" > /app/notes.txt');
  passes(
    'DD104',
    'FROM debian:12\nRUN cat > /app/README <<EOF\nUse curl -k, wget --no-check-certificate or strict-ssl=false\nEOF',
  );
  passes('DD104', 'FROM debian:12\nRUN git commit -m "drop http.sslVerify false"');
  passes('DD104', 'FROM debian:12\nRUN git -c http.sslVerify=true clone https://git.example.com/x.git');
  passes('DD104', 'FROM debian:12\nRUN apt-get -o Acquire::https::Verify-Peer=true update');
  passes('DD104', 'FROM python:3.12\nRUN pip install trusted-host');
  passes('DD104', 'FROM golang:1.22\nRUN go env -w GOPROXY=https://proxy.golang.org');
  catches(
    'DD104',
    'FROM python:3.12\nRUN pip install --trusted-host=a.example --trusted-host pypi.internal.example x',
  );
  catches('DD104', 'FROM node:20\nRUN npm install --no-strict-ssl lodash');
  catches('DD104', 'FROM busybox:1.36\nRUN busybox wget --no-check-certificate https://example.com/x');
  passes('DD104', 'FROM busybox:1.36\nRUN busybox wget https://example.com/x');
});

describe('DD104: environment variables by their exact name and parsed value', () => {
  catches('DD104', 'FROM node:20\nENV NPM_CONFIG_STRICT_SSL=false');
  catches('DD104', 'FROM node:20\nENV npm_config_strict_ssl=0');
  passes('DD104', 'FROM node:20\nENV MY_NPM_CONFIG_STRICT_SSL=false');
  passes('DD104', 'FROM node:20\nENV npm_config_strict_ssl=false-ish');
  passes('DD104', 'FROM node:20\nENV NODE_TLS_REJECT_UNAUTHORIZED="0\\""');
  passes('DD104', 'FROM python:3.12\nENV MY_PIP_TRUSTED_HOST=pypi.internal.example');
  passes('DD104', 'FROM python:3.12\nENV PIP_TRUSTED_HOST=localhost');
  passes('DD104', 'FROM centos:7\nENV PYTHONHTTPSVERIFY=1');
  // git asks only whether the variable is set.
  catches('DD104', 'FROM debian:12\nENV GIT_SSL_NO_VERIFY=""');
  passes('DD104', 'FROM debian:12\nARG GIT_SSL_NO_VERIFY');
  catches('DD104', 'FROM node:20\nRUN env NODE_TLS_REJECT_UNAUTHORIZED=0 npm ci');
  catches('DD104', 'FROM node:20\nRUN NODE_TLS_REJECT_UNAUTHORIZED="0" npm ci');
  catches('DD104', 'FROM golang:1.22\nRUN go env -w GOFLAGS=-insecure');
  // requests < 2.28 reads an empty CURL_CA_BUNDLE as verify=""; botocore an empty REQUESTS_CA_BUNDLE.
  catches('DD104', 'FROM python:3.12\nENV CURL_CA_BUNDLE=""');
  catches('DD104', 'FROM python:3.12\nRUN export REQUESTS_CA_BUNDLE= && aws s3 ls');
  // A bundle that does not exist or is empty fails closed: every certificate is rejected.
  passes(
    'DD104',
    'FROM python:3.12\nENV REQUESTS_CA_BUNDLE=/dev/null SSL_CERT_FILE=/dev/null PIP_CERT=/dev/null',
  );
  passes('DD104', 'FROM python:3.12\nENV CURL_CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt');
  passes('DD104', 'FROM node:20\nENV NODE_EXTRA_CA_CERTS=/dev/null');
  catches(
    'DD104',
    'FROM debian:12\nENV GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=http.sslVerify GIT_CONFIG_VALUE_0=false',
  );
  catches(
    'DD104',
    'FROM debian:12\nENV GIT_CONFIG_COUNT=2 GIT_CONFIG_KEY_0=user.name GIT_CONFIG_VALUE_0=x\nENV GIT_CONFIG_KEY_1=http.https://git.example.com/.sslverify GIT_CONFIG_VALUE_1=no',
  );
  // git reads only the first GIT_CONFIG_COUNT pairs.
  passes('DD104', 'FROM debian:12\nENV GIT_CONFIG_KEY_0=http.sslVerify GIT_CONFIG_VALUE_0=false');
  passes(
    'DD104',
    'FROM debian:12\nENV GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=http.sslVerify GIT_CONFIG_VALUE_0=true',
  );
  catches('DD104', "FROM debian:12\nENV GIT_CONFIG_PARAMETERS=\"'http.sslverify'='false'\"");
  catches('DD104', 'FROM maven:3.9\nENV MAVEN_OPTS="-Dmaven.wagon.http.ssl.insecure=true"');
  passes('DD104', 'FROM maven:3.9\nENV MAVEN_OPTS="-Xmx1g"');
  // Profile files put their assignments into every login shell of the container.
  catches('DD104', 'FROM node:20\nRUN echo "export NODE_TLS_REJECT_UNAUTHORIZED=0" >> /etc/profile.d/tls.sh');
  catches('DD104', 'FROM node:20\nRUN echo "NODE_TLS_REJECT_UNAUTHORIZED=0" >> /etc/environment');
  passes('DD104', 'FROM node:20\nRUN echo "export NODE_TLS_REJECT_UNAUTHORIZED=0" >> /app/notes.txt');
  passes('DD104', 'FROM node:20\nRUN echo "export NODE_TLS_REJECT_UNAUTHORIZED=1" >> /etc/profile.d/tls.sh');
});

describe('DD104: configuration files written or copied into the image', () => {
  catches('DD104', 'FROM debian:12\nRUN printf "insecure\\n" >> /root/.curlrc');
  catches('DD104', 'FROM debian:12\nRUN echo "--insecure" | tee -a /root/.curlrc');
  passes('DD104', 'FROM debian:12\nRUN echo "silent" >> /root/.curlrc');
  catches('DD104', 'FROM debian:12\nRUN echo insecure > /tmp/c && curl -K /tmp/c https://example.com/x');
  catches('DD104', 'FROM debian:12\nRUN echo insecure > /tmp/c && curl -sK /tmp/c https://example.com/x');
  passes('DD104', 'FROM debian:12\nRUN echo "silent" > /tmp/c && curl -K /tmp/c https://example.com/x');
  catches('DD104', 'FROM debian:12\nRUN echo insecure | curl -K - https://example.com/x');
  passes('DD104', 'FROM debian:12\nRUN echo "url = https://example.com/x" | curl -K -');
  catches(
    'DD104',
    "FROM python:3.12\nRUN echo 'import ssl; ssl._create_default_https_context = ssl._create_unverified_context' > /usr/local/lib/python3.12/site-packages/sitecustomize.py",
  );
  passes(
    'DD104',
    "FROM python:3.12\nRUN echo 'import ssl; ssl._create_default_https_context = ssl._create_unverified_context' > /usr/share/doc/example.txt",
  );
  // Tools told through the environment to read another file read it as their own.
  catches(
    'DD104',
    'FROM debian:12\nENV CURL_HOME=/opt/c\nRUN echo insecure > /opt/c/.curlrc && curl https://e.com/x',
  );
  catches(
    'DD104',
    'FROM debian:12\nENV WGETRC=/opt/w.conf\nRUN echo "check_certificate = off" > /opt/w.conf',
  );
  catches(
    'DD104',
    'FROM debian:12\nENV APT_CONFIG=/opt/apt.conf\nRUN echo \'Acquire::https::Verify-Peer "false";\' > /opt/apt.conf',
  );
  passes('DD104', 'FROM debian:12\nRUN echo \'Acquire::https::Verify-Peer "false";\' > /opt/apt.conf');
  passes(
    'DD104',
    'FROM debian:12\nRUN echo \'// Acquire::https::Verify-Peer "false";\' > /etc/apt/apt.conf.d/99tls',
  );
  catches(
    'DD104',
    'FROM python:3.12\nENV PIP_CONFIG_FILE=/opt/pip.ini\nCOPY pip.ini /opt/pip.ini',
    ctxFiles({ 'pip.ini': '[global]\ntrusted-host = pypi.internal.example\n' }),
  );
  catches('DD104', 'FROM debian:12\nCOPY curlrc /root/.curlrc', ctxFiles({ curlrc: 'silent\ninsecure\n' }));
  passes('DD104', 'FROM debian:12\nCOPY curlrc /root/.curlrc', ctxFiles({ curlrc: 'silent\nshow-error\n' }));
  catches(
    'DD104',
    'FROM debian:12\nCOPY conf/ /etc/\nRUN curl --config /etc/fetch.conf https://example.com/x',
    ctxFiles({ 'conf/fetch.conf': 'insecure\n' }),
  );
  catches(
    'DD104',
    'FROM debian:12\nCOPY wgetrc /etc/wgetrc',
    ctxFiles({ wgetrc: 'check_certificate = off\n' }),
  );
  passes(
    'DD104',
    'FROM debian:12\nCOPY wgetrc /etc/wgetrc',
    ctxFiles({ wgetrc: 'check_certificate = on\n' }),
  );
  catches(
    'DD104',
    'FROM python:3.12\nCOPY pip.conf /etc/pip.conf',
    ctxFiles({ 'pip.conf': '[global]\ntrusted-host = pypi.internal.example\n' }),
  );
  catches(
    'DD104',
    'FROM python:3.12\nCOPY pip.conf /root/.config/pip/pip.conf',
    ctxFiles({ 'pip.conf': '[global]\nindex-url = http://pypi.internal.example/simple\n' }),
  );
  passes(
    'DD104',
    'FROM python:3.12\nCOPY pip.conf /etc/pip.conf',
    ctxFiles({ 'pip.conf': '[global]\nindex-url = https://pypi.internal.example/simple\n' }),
  );
  catches('DD104', 'FROM node:20\nCOPY .npmrc /root/.npmrc', ctxFiles({ '.npmrc': 'strict-ssl=false\n' }));
  passes('DD104', 'FROM node:20\nCOPY .npmrc /root/.npmrc', ctxFiles({ '.npmrc': 'strict-ssl=true\n' }));
  // The same text in a file no tool reads as its configuration is data.
  passes(
    'DD104',
    'FROM node:20\nCOPY notes.txt /app/notes.txt',
    ctxFiles({ 'notes.txt': 'strict-ssl=false\ninsecure\n' }),
  );
  catches(
    'DD104',
    'FROM rockylinux:9\nCOPY yum.conf /etc/yum.conf',
    ctxFiles({ 'yum.conf': '[main]\nsslverify=0\n' }),
  );
  catches(
    'DD104',
    '# syntax=docker/dockerfile:1\nFROM debian:12\nCOPY <<EOF /root/.gitconfig\n[http]\n\tsslVerify = false\nEOF',
    { line: 5 },
  );
  passes(
    'DD104',
    '# syntax=docker/dockerfile:1\nFROM debian:12\nCOPY <<EOF /root/.gitconfig\n[http]\n\tsslVerify = true\nEOF',
  );
});

describe('DD104: Python and Node code that turns verification off', () => {
  catches(
    'DD104',
    "FROM python:3.12\nRUN python3 -c \"import ssl, urllib.request as u; ssl._create_default_https_context = ssl._create_unverified_context; u.urlretrieve('https://e.com/x', '/x')\"",
  );
  catches(
    'DD104',
    'FROM python:3.12\nRUN python3 - <<EOF\nimport requests\nrequests.get("https://e.com/x", verify=False)\nEOF',
  );
  catches(
    'DD104',
    '# syntax=docker/dockerfile:1\nFROM python:3.12\nRUN <<EOF python3\nimport ssl\nctx = ssl._create_unverified_context()\nEOF',
  );
  passes('DD104', 'FROM python:3.12\nRUN python3 -c "import ssl; print(ssl.OPENSSL_VERSION)"');
  catches(
    'DD104',
    'FROM python:3.12\nRUN printf \'import requests\\nrequests.get("https://e.com", verify=False)\\n\' > /tmp/f.py && python3 /tmp/f.py',
  );
  catches(
    'DD104',
    'FROM python:3.12\nCOPY fetch.py /opt/fetch.py\nRUN python3 /opt/fetch.py',
    ctxFiles({
      'fetch.py': 'import ssl\nssl._create_default_https_context = ssl._create_unverified_context\n',
    }),
  );
  passes(
    'DD104',
    'FROM python:3.12\nCOPY fetch.py /opt/fetch.py\nRUN python3 /opt/fetch.py',
    ctxFiles({ 'fetch.py': 'import urllib.request\nurllib.request.urlopen("https://e.com")\n' }),
  );
  passes('DD104', 'FROM python:3.12\nRUN echo "requests.get(u, verify=False)" > /app/example.txt');
  catches(
    'DD104',
    "FROM node:20\nRUN node -e \"require('https').get({host: 'e.com', rejectUnauthorized: false})\"",
  );
  passes('DD104', "FROM node:20\nRUN node -e \"require('https').get({host: 'e.com'})\"");
});

describe('DD104: flags named through ENV/ARG (read through ctx.resolved())', () => {
  catches('DD104', 'FROM debian:12\nENV K=-k\nRUN curl $K https://example.com/x -o /x', { line: 3 });
  catches(
    'DD104',
    'FROM debian:12\nARG CURL_OPTS="-fsSL --insecure"\nRUN curl $CURL_OPTS https://example.com/x',
  );
  catches('DD104', 'FROM debian:12\nRUN K=-k; curl $K https://example.com/x -o /x');
  passes('DD104', 'FROM debian:12\nENV K=-fsSL\nRUN curl $K https://example.com/x -o /x');
});

describe('DD104: attack review (other downloaders, last option wins)', () => {
  // aria2c, HTTPie/xh and Subversion have their own switches for "accept any certificate".
  catches('DD104', 'FROM alpine\nRUN aria2c --check-certificate=false https://x.io/a', { line: 2 });
  passes('DD104', 'FROM alpine\nRUN aria2c --check-certificate=true https://x.io/a');
  // The value is optional: `false` as the next word is a URI, not the option's value.
  passes('DD104', 'FROM alpine\nRUN aria2c --check-certificate false https://x.io/a');
  catches('DD104', 'FROM alpine\nRUN http --verify=no https://x.io/a', { line: 2 });
  catches('DD104', 'FROM alpine\nRUN xh --verify false https://x.io/a');
  passes('DD104', 'FROM alpine\nRUN http --verify=/etc/ssl/ca.pem https://x.io/a');
  passes('DD104', 'FROM alpine\nRUN http --verify=yes https://x.io/a');
  catches('DD104', 'FROM alpine\nRUN svn checkout --trust-server-cert https://x.io/r', { line: 2 });
  catches(
    'DD104',
    'FROM alpine\nRUN svn co --trust-server-cert-failures=unknown-ca,cn-mismatch https://x.io/r',
  );
  catches(
    'DD104',
    'FROM alpine\nRUN svn co --non-interactive --trust-server-cert-failures other https://x.io/r',
  );
  passes('DD104', 'FROM alpine\nRUN svn checkout --non-interactive https://x.io/r');
  // Python treats 0 like False.
  catches('DD104', `FROM python:3\nRUN python3 -c "import requests; requests.get('https://x.io', verify=0)"`);
  passes('DD104', `FROM python:3\nRUN python3 -c "import requests; requests.get('https://x.io', verify=10)"`);
  // curl applies its options in order: --no-insecure after -k turns verification back on, and the reverse turns it off.
  passes('DD104', 'FROM alpine\nRUN curl --insecure --no-insecure -o a https://x.io/a');
  passes('DD104', 'FROM alpine\nRUN curl -fsSLk --no-insecure -o a https://x.io/a');
  catches('DD104', 'FROM alpine\nRUN curl --no-insecure --insecure -o a https://x.io/a');
});

describe('DD104: attack review (pip.conf values continued on indented lines)', () => {
  // pip reads its configuration with configparser: indented lines continue the value above.
  catches(
    'DD104',
    "FROM python:3\nRUN printf '[global]\\ntrusted-host =\\n    pypi.org\\n' > /etc/pip.conf",
    {
      line: 2,
    },
  );
  catches(
    'DD104',
    "FROM python:3\nRUN printf '[global]\\ntrusted-host = localhost\\n    files.pythonhosted.org\\n' > /etc/pip.conf",
  );
  passes('DD104', "FROM python:3\nRUN printf '[global]\\ntrusted-host =\\n    localhost\\n' > /etc/pip.conf");
  passes(
    'DD104',
    "FROM python:3\nRUN printf '[global]\\ntrusted-host =\\n\\n[x]\\n    pypi.org\\n' > /etc/pip.conf",
  );
});
