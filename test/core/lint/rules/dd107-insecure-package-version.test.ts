import { describe } from 'vitest';
import type { LintPolicy } from '../../../../core/lint/rule.js';
import { catches, passes } from '../../../helpers/rule-cases.js';

const LISTED: Record<string, string> = {
  'apt openssl 1.0.1f-1': 'CVE-2014-0160',
  'apk openssl 1.0.1f-r0': 'CVE-2014-0160',
  'pip pyyaml 5.3': 'CVE-2020-1747',
  'npm lodash 4.17.15': 'CVE-2020-8203',
  'npm lodash 4.17.20': 'CVE-2021-23337',
  'npm @babel/traverse 7.22.0': 'CVE-2023-45133',
  'gem rails 5.0.0': 'CVE-2016-6316',
  'maven org.apache.logging.log4j:log4j-core 2.14.1': 'CVE-2021-44228',
};
const policy: LintPolicy = { insecure: (eco, name, version) => LISTED[`${eco} ${name} ${version}`] };
// An `ecosystem: any` entry naming the artifact only, as the example policy lists log4j-core.
const jarPolicy: LintPolicy = {
  insecure: (_eco, name, version) =>
    name.split(':').at(-1) === 'log4j-core' && version === '2.14.1' ? 'CVE-2021-44228' : undefined,
};

describe('DD107 pinned package version listed as insecure', () => {
  catches('DD107', 'FROM debian:12\nRUN apt-get update && apt-get install -y openssl=1.0.1f-1', {
    line: 2,
    policy,
  });
  catches('DD107', 'FROM debian:12\nRUN apt-get install -y --no-install-recommends openssl:amd64=1.0.1f-1', {
    policy,
  });
  catches(
    'DD107',
    'FROM debian:12\nARG OPENSSL_VERSION=1.0.1f-1\nRUN apt-get install -y "openssl=${OPENSSL_VERSION}"',
    { line: 3, policy },
  );
  catches('DD107', 'FROM alpine:3.20\nRUN apk add --no-cache --virtual .deps openssl=1.0.1f-r0', { policy });
  catches('DD107', 'FROM python:3.12\nRUN pip install --no-cache-dir PyYAML==5.3', { policy });
  catches(
    'DD107',
    'FROM python:3.12\nRUN python3 -m pip install -i https://pypi.example/simple "pyyaml[libyaml]==5.3"',
    { policy },
  );
  catches('DD107', 'FROM python:3.12\nRUN uv pip install --system pyyaml==5.3', { policy });
  catches('DD107', 'FROM node:20\nRUN npm install -g lodash@4.17.15', { policy });
  catches('DD107', 'FROM node:20\nRUN npm i @babel/traverse@7.22.0', { policy });
  catches('DD107', 'FROM node:20\nRUN yarn global add lodash@4.17.15', { policy });
  // Every install alias npm accepts, from the one list in package-managers.ts.
  for (const sub of [
    'inst',
    'in',
    'ins',
    'insta',
    'instal',
    'isnt',
    'isnta',
    'isntal',
    'isntall',
    'add',
    'it',
  ]) {
    catches('DD107', `FROM node:20\nRUN npm ${sub} lodash@4.17.20`, { line: 2, policy });
  }
  catches('DD107', 'FROM node:20\nRUN npm --loglevel warn inst lodash@4.17.20', { policy });
  // The package, version or sub-command named through ENV, ARG or a shell variable.
  catches('DD107', 'FROM node:20\nENV PKG=lodash@4.17.20\nRUN npm inst $PKG', { line: 3, policy });
  catches('DD107', 'FROM node:20\nARG SUB=isnt\nRUN npm $SUB lodash@4.17.20', { policy });
  catches('DD107', 'FROM node:20\nRUN V=4.17.20 && npm i "lodash@$V"', { policy });
  passes('DD107', 'FROM node:20\nENV PKG=lodash@4.17.21\nRUN npm inst $PKG', { policy });
  catches('DD107', 'FROM node:20\nRUN pnpm i lodash@4.17.20', { policy });
  catches('DD107', 'FROM debian:12\nRUN apt-get reinstall -y openssl=1.0.1f-1', { policy });
  catches('DD107', 'FROM ruby:3.3\nRUN gem i rails -v 5.0.0', { policy });
  passes('DD107', 'FROM node:20\nRUN npm inst lodash@4.17.21 && npm info lodash@4.17.20', { policy });
  passes('DD107', 'FROM node:20\nRUN npm uninstall lodash@4.17.20 && npm ci', { policy });

  catches('DD107', 'FROM node:20\nRUN pnpm add lodash@4.17.15', { policy });
  catches('DD107', 'FROM ruby:3.3\nRUN gem install rails -v 5.0.0 --no-document', { policy });
  catches('DD107', 'FROM ruby:3.3\nRUN gem install rails:5.0.0', { policy });
  catches(
    'DD107',
    'FROM maven:3.9\nRUN mvn -q dependency:get -Dartifact=org.apache.logging.log4j:log4j-core:2.14.1',
    { policy },
  );
  catches(
    'DD107',
    'FROM maven:3.9\nRUN mvn dependency:get -DgroupId=org.apache.logging.log4j -DartifactId=log4j-core -Dversion=2.14.1',
    { policy },
  );
  catches('DD107', 'FROM debian:12\nRUN sudo apt-get install -y openssl=1.0.1f-1', { policy });
  passes('DD107', 'FROM debian:12\nRUN apt-get install -y openssl=1.0.1f-1');
  passes('DD107', 'FROM debian:12\nRUN apt-get install -y openssl=3.0.13-1~deb12u1', { policy });
  passes('DD107', 'FROM debian:12\nRUN apt-get install -y openssl', { policy });
  passes(
    'DD107',
    'FROM debian:12\nRUN apt-get download openssl=1.0.1f-1 && apt-cache show openssl=1.0.1f-1',
    { policy },
  );
  passes('DD107', 'FROM debian:12\nRUN apt-get install -y "openssl=${OPENSSL_VERSION}"', { policy });
  passes('DD107', 'FROM python:3.12\nRUN pip install "pyyaml>=5.4" && pip download pyyaml==5.3', { policy });
  passes('DD107', 'FROM node:20\nRUN npm install lodash@^4.17.15 && npm view lodash@4.17.15', { policy });
  passes('DD107', 'FROM ruby:3.3\nRUN gem install rails -v "~> 5.0"', { policy });
  passes('DD107', 'FROM debian:12\nRUN echo "apt-get install -y openssl=1.0.1f-1" > /notes', { policy });
  // Jars fetched by URL or curl/wget: `<artifact>-<version>.jar`, as maven.
  catches(
    'DD107',
    'FROM eclipse-temurin:17\nADD https://repo1.maven.org/maven2/org/apache/logging/log4j/log4j-core/2.14.1/log4j-core-2.14.1.jar /app/lib/',
    { line: 2, policy: jarPolicy },
  );
  catches(
    'DD107',
    'FROM eclipse-temurin:17\nRUN curl -fsSLo /app/lib/log4j-core-2.14.1.jar https://repo.example.com/jars/latest.jar',
    { line: 2, policy: jarPolicy },
  );
  catches('DD107', 'FROM eclipse-temurin:17\nRUN wget https://repo.example.com/lib/log4j-core-2.14.1.jar', {
    policy: jarPolicy,
  });
  catches(
    'DD107',
    'FROM eclipse-temurin:17\nARG LOG4J=2.14.1\nRUN wget -q -O /app/log4j.jar "https://dl.example.com/log4j-core-${LOG4J}.jar"',
    { line: 3, policy: jarPolicy },
  );
  catches(
    'DD107',
    'FROM eclipse-temurin:17\nADD https://repo1.maven.org/maven2/org/apache/logging/log4j/log4j-core/2.14.1/log4j-core-2.14.1.jar /app/lib/',
    { policy },
  );
  catches('DD107', 'FROM eclipse-temurin:17\nCOPY lib/log4j-core-2.14.1.jar /app/lib/', {
    policy: jarPolicy,
  });
  passes(
    'DD107',
    'FROM eclipse-temurin:17\nADD https://repo1.maven.org/maven2/org/apache/logging/log4j/log4j-core/2.17.1/log4j-core-2.17.1.jar /app/lib/\nRUN curl -fsSLo /app/lib/log4j-api-2.14.1.jar https://x/log4j-api-2.14.1.jar',
    { policy: jarPolicy },
  );
  passes(
    'DD107',
    'FROM eclipse-temurin:17\nRUN echo log4j-core-2.14.1.jar > /notes && ls /app/log4j-core-2.14.1.jar',
    {
      policy: jarPolicy,
    },
  );
});
