import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DD101 final user is root', () => {
  catches('DD101', 'FROM node:20\nCOPY . /app\nCMD ["node", "/app/index.js"]', { line: 1 });
  catches('DD101', 'FROM debian:12\nUSER app\nRUN make\nUSER root', { line: 4 });
  catches('DD101', 'FROM debian:12\nUSER 0');
  catches('DD101', 'FROM debian:12\nUSER 0:0');
  catches('DD101', 'FROM debian:12\nUSER root:root');
  catches(
    'DD101',
    'FROM golang:1.22 AS build\nUSER app\nRUN go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\nENTRYPOINT ["/app"]',
    { line: 4 },
  );
  catches('DD101', 'FROM debian:12 AS base\nUSER root\nFROM base\nCMD ["sh"]', { line: 2 });
  catches('DD101', 'ARG BASE=python:3.12\nFROM ${BASE}\nCMD ["python"]', { line: 2 });
  catches('DD101', 'FROM gcr.io/distroless/static-debian12\nCOPY app /app');
  catches('DD101', 'FROM postgres:16\nENTRYPOINT ["/usr/local/bin/my-tool"]');
  catches('DD101', 'FROM nginx:1.27-alpine\nCOPY app /app\nCMD ["node", "/app/server.js"]');
  catches('DD101', 'FROM php:8.3-cli\nCOPY . /app\nCMD ["php", "/app/worker.php"]');
  catches('DD101', 'FROM debian:12\nCMD ["/usr/bin/supervisord", "-n"]');
  catches('DD101', 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nCOPY app C:/app');
  catches('DD101', 'FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nUSER ContainerAdministrator');
  passes('DD101', 'FROM node:20\nCOPY . /app\nUSER node\nCMD ["node", "/app/index.js"]');
  passes('DD101', 'FROM debian:12\nUSER root\nRUN apt-get update\nUSER 10001:10001');
  passes('DD101', 'FROM registry.example.com/app:1\nUSER 1001:0');
  passes('DD101', 'FROM debian:12\nUSER ${APP_UID}');
  passes('DD101', 'FROM debian:12 AS build\nUSER root\nRUN make\nFROM debian:12\nUSER nobody');
  passes('DD101', 'FROM debian:12 AS base\nUSER app\nFROM base\nCMD ["sh"]');
  passes('DD101', 'FROM gcr.io/distroless/static-debian12:nonroot\nCOPY app /app');
  passes('DD101', 'FROM nginxinc/nginx-unprivileged:1.27\nCOPY site /usr/share/nginx/html');
  passes('DD101', 'FROM mcr.microsoft.com/dotnet/aspnet:8.0-jammy-chiseled\nCOPY out /app');
  passes('DD101', 'FROM postgres:16\nCOPY init.sql /docker-entrypoint-initdb.d/');
  passes(
    'DD101',
    'FROM debian:12\nRUN apt-get update && apt-get install -y gosu\nENTRYPOINT ["docker-entrypoint.sh"]',
  );
  passes(
    'DD101',
    'FROM alpine:3.20\nRUN apk add --no-cache su-exec\nCOPY entrypoint.sh /\nENTRYPOINT ["/entrypoint.sh"]',
  );
  passes('DD101', 'FROM debian:12\nCOPY --from=tianon/gosu /gosu /usr/local/bin/');
  passes(
    'DD101',
    'FROM debian:12\nENTRYPOINT ["setpriv", "--reuid=app", "--regid=app", "--init-groups", "/app"]',
  );
  passes('DD101', 'FROM nginx:1.27-alpine\nCOPY site /usr/share/nginx/html');
  passes('DD101', 'FROM php:8.3-fpm-bookworm\nRUN docker-php-ext-install pdo_mysql');
  passes('DD101', 'FROM debian:12\nRUN apt-get install -y openssh-server\nCMD ["/usr/sbin/sshd", "-D"]');
  passes(
    'DD101',
    'FROM ubuntu:24.04\nUSER root\nCMD service apache2 start && tail -f /var/log/apache2/access.log',
  );
  passes('DD101', 'FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nCOPY app C:/app');
  passes('DD101', 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nUSER ContainerUser');
  passes('DD101', 'FROM debian:12\nCMD runuser -u app -- /app');
  passes('DD101', 'FROM debian:12\nCMD ["chroot", "--userspec=1000:1000", "/", "/app"]');
  // Only real installs and uses of gosu/su-exec count, not any mention of them.
  catches('DD101', 'FROM debian:12\nRUN echo gosu is not installed here\nCMD ["/app"]', { line: 1 });
  catches('DD101', 'FROM debian:12\nRUN apt-get purge -y gosu && rm -rf /var/lib/apt/lists/*\nCMD ["/app"]');
  catches('DD101', 'FROM debian:12\nCOPY docs/gosu.md /docs/\nCMD ["/app"]');
  catches('DD101', 'FROM debian:12\nRUN useradd app\nONBUILD USER app', { line: 1 });
  catches('DD101', 'FROM debian:12\nUSER app\nUSER root\nONBUILD USER app', { line: 3 });
  passes('DD101', 'FROM node:20\nUSER node\nONBUILD USER root');
  passes('DD101', 'FROM centos:7\nRUN yum install -y epel-release && yum install -y gosu\nCMD ["/start.sh"]');
  passes('DD101', 'FROM fedora:40\nRUN dnf -y install su-exec\nCMD ["/start.sh"]');
  passes(
    'DD101',
    'FROM debian:12\nRUN curl -fsSL -o /usr/local/bin/gosu https://github.com/tianon/gosu/releases/download/1.17/gosu-amd64 && chmod +x /usr/local/bin/gosu\nCMD ["/start.sh"]',
  );
  passes(
    'DD101',
    'FROM debian:12\nRUN wget -O /usr/local/bin/su-exec "https://example.com/su-exec-$ARCH" && chmod +x /usr/local/bin/su-exec\nCMD ["/start.sh"]',
  );
  passes(
    'DD101',
    'FROM debian:12\nADD https://github.com/tianon/gosu/releases/download/1.17/gosu-amd64 /usr/local/bin/gosu',
  );
  passes(
    'DD101',
    'FROM debian:12\nCOPY --from=tianon/gosu:1.17 /gosu /usr/local/bin/gosu\nCMD ["/start.sh"]',
  );
  passes('DD101', 'FROM debian:12\nENTRYPOINT ["gosu", "app", "/app"]');
  passes('DD101', 'FROM alpine:3.20\nCMD exec su-exec app /app');
});

describe('DD101 entrypoint scripts the build puts in place', () => {
  const heredoc = (script: string, entry = '["docker-entrypoint.sh"]') =>
    `# syntax=docker/dockerfile:1\nFROM debian:12\nCOPY --chmod=755 <<'EOF' /usr/local/bin/docker-entrypoint.sh\n#!/bin/sh\n${script}\nEOF\nENTRYPOINT ${entry}\n`;
  passes('DD101', heredoc('if [ "$(id -u)" = 0 ]; then exec gosu app "$0" "$@"; fi\nexec "$@"'));
  passes('DD101', heredoc('exec su-exec app "$@"', '["/usr/local/bin/docker-entrypoint.sh"]'));
  catches('DD101', heredoc('exec "$@"'), { line: 2 });
  // A script of another name, or one replaced by a later copy, says nothing about the one that starts.
  catches('DD101', heredoc('exec gosu app "$@"', '["other.sh"]'));
  const copied = 'FROM debian:12\nWORKDIR /app\nCOPY entrypoint.sh ./\nENTRYPOINT ["./entrypoint.sh"]\n';
  passes('DD101', copied, {
    contextFiles: new Map([['entrypoint.sh', '#!/bin/sh\nexec setpriv --reuid=app "$@"\n']]),
  });
  catches('DD101', copied, { contextFiles: new Map([['entrypoint.sh', '#!/bin/sh\nexec "$@"\n']]) });
  catches('DD101', copied);
});
