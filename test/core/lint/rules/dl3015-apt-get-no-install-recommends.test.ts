import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DL3015 apt-get install with recommended packages', () => {
  catches('DL3015', 'FROM debian:12\nRUN apt-get install -y curl', { line: 2 });
  catches('DL3015', 'FROM debian:12\nRUN apt-get -y install curl');
  catches('DL3015', 'FROM debian:12\nRUN apt-get -o APT::Install-Recommends=true install -y curl');
  catches(
    'DL3015',
    'FROM debian:12\nRUN apt-get install -y curl && apt-get install -y --no-install-recommends git',
    {
      line: 2,
    },
  );
  catches(
    'DL3015',
    'FROM debian:12 AS a\nRUN echo \'APT::Install-Recommends "0";\' > /etc/apt/apt.conf.d/01norec\nFROM debian:12\nRUN apt-get install -y curl',
  );
  catches('DL3015', 'FROM debian:12\nONBUILD RUN apt-get install -y curl');
  passes('DL3015', 'FROM debian:12\nRUN apt-get install -y --no-install-recommends curl');
  passes('DL3015', 'FROM debian:12\nRUN apt-get -o APT::Install-Recommends=false install -y curl');
  passes('DL3015', 'FROM debian:12\nRUN apt-get -o APT::Install-Recommends=0 install -y curl');
  passes('DL3015', 'FROM debian:12\nRUN apt-get install --install-recommends=no -y curl');
  passes(
    'DL3015',
    'FROM debian:12\nRUN echo \'APT::Install-Recommends "false";\' > /etc/apt/apt.conf.d/01norec\nRUN apt-get install -y curl',
  );
  passes(
    'DL3015',
    'FROM debian:12 AS base\nRUN echo \'APT::Install-Recommends "0";\' > /etc/apt/apt.conf.d/01norec\nFROM base\nRUN apt-get install -y curl',
  );
  passes('DL3015', 'FROM debian:12\nRUN apt-get update && apt-get -y upgrade');
});
