import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DL3047 wget without progress', () => {
  catches('DL3047', 'FROM debian:12\nRUN wget https://example.com/a.tgz', { line: 2 });
  catches('DL3047', 'FROM debian:12\nONBUILD RUN wget https://example.com/a.tgz');
  catches('DL3047', 'FROM debian:12\nRUN wget -O /tmp/a.tgz https://example.com/a.tgz');
  catches(
    'DL3047',
    'FROM debian:12\nRUN curl -fsSO https://example.com/b && wget -c https://example.com/a.tgz',
  );
  passes('DL3047', 'FROM debian:12\nRUN wget --progress=dot:giga https://example.com/a.tgz');
  passes('DL3047', 'FROM debian:12\nRUN wget -q https://example.com/a.tgz');
  passes('DL3047', 'FROM debian:12\nRUN wget -qO- https://example.com/a.tgz | tar xz');
  passes('DL3047', 'FROM debian:12\nRUN wget --quiet https://example.com/a.tgz');
  passes('DL3047', 'FROM debian:12\nRUN wget -nv https://example.com/a.tgz');
  passes('DL3047', 'FROM debian:12\nRUN wget --no-verbose https://example.com/a.tgz');
  passes('DL3047', 'FROM debian:12\nRUN wget -o /tmp/wget.log https://example.com/a.tgz');
  passes('DL3047', 'FROM debian:12\nRUN wget --append-output=/tmp/wget.log https://example.com/a.tgz');
  passes('DL3047', 'FROM debian:12\nRUN apt-get install -y wget=1.21.3-1+b2');
});
