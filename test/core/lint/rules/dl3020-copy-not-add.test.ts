import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DL3020 COPY instead of ADD', () => {
  catches('DL3020', 'FROM debian:12\nADD app.py /srv/', { line: 2 });
  catches('DL3020', 'FROM debian:12\nADD "release.zip" /opt/');
  catches('DL3020', 'FROM debian:12\nADD ["src", "/srv/src"]');
  catches('DL3020', 'FROM debian:12\nADD app.tar.gz config.yaml /opt/');
  catches('DL3020', 'FROM debian:12\nONBUILD ADD . /src');
  passes('DL3020', 'FROM debian:12\nADD app.tar.gz /opt/');
  passes('DL3020', 'FROM debian:12\nADD "rootfs.tar.xz" /');
  passes('DL3020', 'FROM debian:12\nADD https://example.com/tool /usr/local/bin/tool');
  passes('DL3020', 'FROM debian:12\nADD git@github.com:moby/buildkit.git /src');
  passes('DL3020', 'FROM debian:12\nADD ${ARTIFACT} /opt/');
  passes('DL3020', 'FROM debian:12\nCOPY app.py /srv/');
});
