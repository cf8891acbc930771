import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DD122 package index updated without an install in the same RUN', () => {
  catches('DD122', 'FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl', { line: 2 });
  catches('DD122', 'FROM ubuntu:24.04\nRUN apt update -q && echo done');
  catches('DD122', 'FROM alpine:3.20\nRUN apk update\nRUN apk add curl');
  catches('DD122', 'FROM fedora:40\nRUN dnf makecache\nRUN dnf install -y curl');
  catches('DD122', 'FROM rockylinux:9\nRUN yum -q makecache fast');
  catches('DD122', 'FROM opensuse/leap:15.6\nRUN zypper --non-interactive refresh');
  // The refresh after the last install leaves the index for later RUNs all the same.
  catches('DD122', 'FROM debian:12\nRUN apt-get update && apt-get install -y curl && apt-get update');
  // An install by another package manager family does not use apt's index.
  catches('DD122', 'FROM debian:12\nRUN apt-get update && apk add curl');
  passes('DD122', 'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl');
  passes('DD122', 'FROM debian:12\nRUN apt-get update \\\n && apt install -y curl');
  passes('DD122', 'FROM debian:12\nRUN apt-get update && apt-get -y dist-upgrade');
  passes('DD122', 'FROM debian:12\nRUN apt-get update && apt-get build-dep -y nginx');
  passes('DD122', 'FROM alpine:3.20\nRUN apk update && apk add --no-cache curl');
  passes('DD122', 'FROM alpine:3.20\nRUN apk add --update curl');
  passes('DD122', 'FROM fedora:40\nRUN dnf makecache && dnf install -y curl');
  passes('DD122', 'FROM opensuse/leap:15.6\nRUN zypper ref && zypper -n in curl');
  passes('DD122', 'FROM debian:12\nRUN echo "apt-get update" > /notes');
});
