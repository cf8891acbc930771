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
