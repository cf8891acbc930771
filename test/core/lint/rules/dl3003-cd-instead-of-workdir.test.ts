import { describe, expect, it } from 'vitest';
import { catches, findingsOf, passes } from '../../../helpers/rule-cases.js';

describe('DL3003 cd instead of WORKDIR', () => {
  catches('DL3003', 'FROM debian:12\nRUN cd /opt', { line: 2 });
  catches('DL3003', 'FROM debian:12\nRUN cd /usr/src/app && make install');
  catches('DL3003', 'FROM debian:12\nONBUILD RUN cd /app && npm ci');
  catches('DL3003', 'FROM debian:12\nENV APP=/srv/app\nRUN make -C lib \\\n && cd "$APP" && ./setup', {
    line: 4,
  });
  catches('DL3003', 'FROM debian:12\nRUN sh -c "cd /src && make"');
  passes('DL3003', 'FROM debian:12\nWORKDIR /opt');
  passes('DL3003', 'FROM debian:12\nRUN DIR="$(cd "$(dirname "$0")" && pwd)" && echo "$DIR"');
  passes('DL3003', 'FROM debian:12\nRUN cd "$(mktemp -d)" && curl -fsSLO https://example.com/a.tgz');
  passes('DL3003', 'FROM debian:12\nRUN for d in a b; do cd "/src/$d" && make; done');
  passes(
    'DL3003',
    'FROM debian:12\nRUN find /src -name Makefile -execdir sh -c \'cd "$1" && make\' _ {} \\;',
  );
  passes('DL3003', 'FROM debian:12\nRUN echo "cd /opt" >> /root/.bashrc');

  it('reports a RUN once, at its first cd', () => {
    const dockerfile = 'FROM debian:12\nRUN cd /usr/src/app && make \\\n && cd / && rm -rf /usr/src/app';
    expect(findingsOf('DL3003', dockerfile).map((f) => f.line)).toEqual([2]);
  });
});
