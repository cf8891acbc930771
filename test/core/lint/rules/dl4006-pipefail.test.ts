import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DL4006 pipefail', () => {
  catches('DL4006', 'FROM debian:12\nRUN wget -qO- https://example.com/a | wc -l > /number', { line: 2 });
  catches('DL4006', 'FROM debian:12\nONBUILD RUN curl -fsSL https://example.com/a.tgz | tar xz');
  catches(
    'DL4006',
    'FROM debian:12\nSHELL ["/bin/sh", "-o", "pipefail", "-c"]\nRUN curl -fsSL https://example.com/a.tgz | tar xz',
  );
  catches(
    'DL4006',
    'FROM debian:12\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nFROM debian:12\nRUN curl -fsSL https://example.com/a.tgz | tar xz',
  );
  catches(
    'DL4006',
    'FROM debian:12\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nSHELL ["/bin/sh", "-c"]\nRUN a | b',
  );
  catches(
    'DL4006',
    'FROM debian:12\nRUN apt-get update && \\\n    curl -fsSL https://example.com/k | gpg --dearmor -o /k.gpg',
    { line: 3 },
  );
  catches('DL4006', 'FROM debian:12\nRUN X="$(curl -fsSL https://example.com/v | head -n1)" && echo "$X"');
  catches('DL4006', 'FROM debian:12\nRUN curl -fsSL https://example.com/a.tgz | tar xz && set -o pipefail');
  catches(
    'DL4006',
    '# syntax=docker/dockerfile:1\nFROM debian:12\nRUN <<EOF\ncurl -fsSL https://example.com/a.tgz | tar xz\nEOF',
    { line: 4 },
  );
  passes('DL4006', 'FROM debian:12\nRUN wget -qO- https://example.com/a && wc -l file > /number');
  passes(
    'DL4006',
    'FROM debian:12\nSHELL ["/bin/bash", "-eo", "pipefail", "-c"]\nRUN curl -fsSL https://example.com/a.tgz | tar xz',
  );
  passes('DL4006', 'FROM debian:12\nSHELL ["/bin/bash", "-o", "errexit", "-o", "pipefail", "-c"]\nRUN a | b');
  passes('DL4006', 'FROM debian:12\nSHELL ["/usr/local/bin/zsh", "-o", "pipefail", "-c"]\nRUN a | b');
  passes('DL4006', 'FROM alpine:3.20\nSHELL ["/bin/ash", "-eo", "pipefail", "-c"]\nRUN a | b');
  passes(
    'DL4006',
    'FROM mcr.microsoft.com/powershell\nSHELL ["pwsh", "-c"]\nRUN Get-Variable PSVersionTable | Select-Object Value',
  );
  passes(
    'DL4006',
    'FROM mcr.microsoft.com/windows/servercore\nSHELL ["cmd.exe", "/c"]\nRUN type a.txt | findstr b',
  );
  passes('DL4006', 'FROM debian:12\nRUN set -euxo pipefail && curl -fsSL https://example.com/a.tgz | tar xz');
  passes(
    'DL4006',
    '# syntax=docker/dockerfile:1\nFROM debian:12\nRUN <<EOF\nset -eo pipefail\ncurl -fsSL https://example.com/a.tgz | tar xz\nEOF',
  );
  passes('DL4006', 'FROM debian:12\nRUN ["/bin/bash", "-c", "set -o pipefail; a | b"]');
  passes('DL4006', 'FROM debian:12\nRUN echo "a | b" > /x && test -f /x || exit 1');
});
