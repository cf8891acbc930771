import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DD121 WORKDIR under /proc, /sys or /dev', () => {
  catches('DD121', 'FROM debian:12\nWORKDIR /proc/self/fd/7', { line: 2 });
  catches('DD121', 'FROM debian:12\nWORKDIR /sys/fs/cgroup');
  catches('DD121', 'FROM debian:12\nWORKDIR /dev');
  catches('DD121', 'FROM debian:12\nWORKDIR "/proc/self/fd/8"');
  catches('DD121', 'FROM debian:12\nWORKDIR //proc//self/./fd/8/');
  catches('DD121', 'FROM debian:12\nWORKDIR /app/../proc/self/cwd');
  // Relative WORKDIRs resolve against the one before, in this stage or a stage it is built FROM.
  catches('DD121', 'FROM debian:12\nWORKDIR /\nWORKDIR proc/self/fd/7');
  catches('DD121', 'FROM debian:12\nWORKDIR /app\nWORKDIR ../proc/1/root');
  catches('DD121', 'FROM debian:12 AS base\nWORKDIR /proc\nFROM base\nWORKDIR self/fd/9', { line: 4 });
  // Through ENV and ARG values.
  catches('DD121', 'FROM debian:12\nENV D=/proc/self/fd\nWORKDIR $D/7');
  catches('DD121', 'ARG FD=8\nFROM debian:12\nARG FD\nWORKDIR /proc/self/fd/${FD}');
  catches('DD121', 'FROM debian:12\nARG ROOT=/sys\nWORKDIR ${ROOT}/kernel');
  catches('DD121', 'FROM debian:12\nWORKDIR ${UNSET:-/proc/self/fd/8}');
  catches('DD121', 'FROM debian:12\nARG D\nWORKDIR ${D:-/proc}/self/fd/8');
  catches('DD121', 'FROM debian:12\nENV P=/proc\nWORKDIR ${P:+/proc/self/fd/8}');
  // Through a symlink the stage creates.
  catches('DD121', 'FROM debian:12\nRUN ln -s /proc/self/fd /fds\nWORKDIR /fds/7', { line: 3 });
  catches('DD121', 'FROM debian:12\nRUN mkdir /x && ln -sf /proc/self /x/me\nWORKDIR /x/me/fd/7');
  passes('DD121', 'FROM debian:12\nWORKDIR /app/proc');
  passes('DD121', 'FROM debian:12\nWORKDIR /procedures');
  passes('DD121', 'FROM debian:12\nWORKDIR /srv/dev/app');
  passes('DD121', 'FROM debian:12\nWORKDIR /devel');
  passes('DD121', 'FROM debian:12\nWORKDIR /app\nWORKDIR proc/self');
  // A relative WORKDIR on an outside image's unknown WORKDIR is not judged.
  passes('DD121', 'FROM node:20\nWORKDIR proc/self/fd');
  passes('DD121', 'FROM debian:12\nARG DIR\nWORKDIR $DIR');
  passes('DD121', 'FROM debian:12\nARG D\nWORKDIR ${D:-/srv}/proc');
  passes('DD121', 'FROM debian:12\nRUN ln -s /opt/app /app\nWORKDIR /app/bin');
  passes('DD121', 'FROM debian:12\nRUN ln -s /proc/self/fd /fds\nWORKDIR /fdsx');
  passes('DD121', 'FROM debian:12\nRUN cd /proc/self && ls');
});

describe('DD121: attack review (relative symlink targets, ONBUILD)', () => {
  // A relative target is resolved from the link's own directory: /p → ../proc is /proc.
  catches('DD121', 'FROM debian:12\nRUN ln -s ../proc /p\nWORKDIR /p/self/fd/8', { line: 3 });
  catches('DD121', 'FROM debian:12\nRUN ln -sfn ../../sys /opt/x/k\nWORKDIR /opt/x/k');
  // /opt/x/../proc is /opt/proc, an ordinary directory.
  passes('DD121', 'FROM debian:12\nRUN ln -s ../proc /opt/x/p\nWORKDIR /opt/x/p');
  // ONBUILD WORKDIR runs in every build FROM this image.
  catches('DD121', 'FROM debian:12\nONBUILD WORKDIR /proc/self/fd/8', { line: 2 });
  passes('DD121', 'FROM debian:12\nONBUILD WORKDIR /app/proc');
});
