import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DD120 whole-system package upgrade in a RUN', () => {
  catches('DD120', 'FROM debian:12\nRUN apt-get update && apt-get upgrade -y', { line: 2 });
  catches('DD120', 'FROM debian:12\nRUN apt-get update && apt-get -y dist-upgrade');
  catches('DD120', 'FROM debian:12\nRUN apt-get -o Dpkg::Options::=--force-confnew full-upgrade -y');
  catches('DD120', 'FROM ubuntu:24.04\nRUN apt update && apt upgrade -y');
  catches('DD120', 'FROM debian:12\nRUN sudo aptitude -y safe-upgrade');
  catches('DD120', 'FROM alpine:3.20\nRUN apk update && apk upgrade --no-cache');
  catches('DD120', 'FROM alpine:3.20\nRUN apk -U upgrade');
  catches('DD120', 'FROM rockylinux:9\nRUN yum -y update && yum clean all');
  catches('DD120', 'FROM fedora:40\nRUN dnf upgrade -y --refresh');
  catches('DD120', 'FROM fedora:40\nRUN dnf -y distro-sync');
  catches('DD120', 'FROM registry.access.redhat.com/ubi9/ubi-minimal\nRUN microdnf update -y');
  catches('DD120', 'FROM opensuse/leap:15.6\nRUN zypper --non-interactive up');
  catches('DD120', 'FROM archlinux:base\nRUN pacman -Syu --noconfirm');
  passes('DD120', 'FROM debian:12\nRUN apt-get update && apt-get install -y --only-upgrade openssl');
  passes('DD120', 'FROM debian:12\nRUN apt-get update && apt-get upgrade -y openssl libssl3');
  passes('DD120', 'FROM alpine:3.20\nRUN apk upgrade --no-cache openssl && apk add --upgrade curl');
  passes('DD120', 'FROM rockylinux:9\nRUN yum -y update openssl && yum install -y curl');
  passes('DD120', 'FROM archlinux:base\nRUN pacman -Sy --noconfirm curl');
  passes('DD120', 'FROM debian:12\nRUN echo "apt-get upgrade -y" >> /notes && pip install --upgrade pip');
  // zypper dist-upgrade is DL3035's finding.
  passes('DD120', 'FROM opensuse/leap:15.6\nRUN zypper -n dup');
});
