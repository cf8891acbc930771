import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DD103 ADD of a remote source without pinning', () => {
  catches('DD103', 'FROM debian:12\nADD https://example.com/tool.tar.gz /opt/', { line: 2 });
  catches('DD103', 'FROM debian:12\nADD http://example.com/tool.tar.gz /opt/tool.tar.gz');
  catches(
    'DD103',
    'FROM debian:12\nADD --chown=app:app https://example.com/a.jar https://example.com/b.jar /opt/',
  );
  catches('DD103', 'FROM debian:12\nADD ["https://example.com/tool.tar.gz", "/opt/"]');
  catches('DD103', 'FROM debian:12\nADD git@github.com:moby/buildkit.git /src');
  catches('DD103', 'FROM debian:12\nADD https://github.com/moby/buildkit.git#v0.10.1 /buildkit');
  catches('DD103', 'FROM debian:12\nADD https://github.com/moby/buildkit.git#master:docs /docs');
  catches('DD103', 'FROM debian:12\nADD https://github.com/moby/buildkit.git?ref=v0.10.1 /buildkit');
  catches('DD103', 'FROM debian:12\nADD --keep-git-dir=true ssh://git@example.com/repo.git /src');
  passes(
    'DD103',
    'FROM debian:12\nADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/tool.tar.gz /opt/',
  );
  passes(
    'DD103',
    'FROM debian:12\nADD https://github.com/moby/buildkit.git#d2b9f0ad4c0fc1b9bb0fdb4ac8e7b8e6f1fc2bb3 /buildkit',
  );
  passes(
    'DD103',
    'FROM debian:12\nADD https://github.com/moby/buildkit.git?ref=v0.10.1&checksum=d2b9f0ad4c0fc1b9bb0fdb4ac8e7b8e6f1fc2bb3 /buildkit',
  );
  catches(
    'DD103',
    'FROM debian:12\nADD https://example.com/tini /tini\nRUN sha256sum /tini && chmod +x /tini',
  );
  passes(
    'DD103',
    'FROM debian:12\nADD https://example.com/v1/tini /tini\nRUN echo "93dcc18adc78c65a028a84799ecf8ad40c936fdfc5f2a57b1acda5a8117fa82c  /tini" | sha256sum -c -',
  );
  passes(
    'DD103',
    'FROM debian:12\nADD https://example.com/tool.tar.gz https://example.com/tool.tar.gz.asc /tmp/\nRUN gpg --batch --verify /tmp/tool.tar.gz.asc /tmp/tool.tar.gz',
  );
  passes('DD103', 'FROM debian:12\nADD tool.tar.gz /opt/');
  passes('DD103', 'FROM debian:12\nADD ./https-proxy.conf /etc/');
  passes('DD103', 'FROM debian:12\nADD <<EOF /etc/motd\nsee https://example.com/docs\nEOF');
});
