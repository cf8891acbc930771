import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DD106 world-writable or setuid/setgid file mode', () => {
  catches('DD106', 'FROM debian:12\nRUN chmod 777 /entrypoint.sh', { line: 2 });
  catches('DD106', 'FROM debian:12\nRUN chmod -R 777 /app');
  catches('DD106', 'FROM debian:12\nRUN chmod 0666 /app/config.yml');
  catches('DD106', 'FROM debian:12\nRUN chmod a+w /app/data');
  catches('DD106', 'FROM debian:12\nRUN chmod -R o+w /var/www');
  catches('DD106', 'FROM debian:12\nRUN chmod ugo+rwx /opt/tool');
  catches('DD106', 'FROM debian:12\nRUN chmod u+x,o=rwx /opt/tool');
  catches('DD106', 'FROM debian:12\nRUN chmod 777 /tmp');
  catches('DD106', 'FROM debian:12\nRUN chmod u+s /usr/local/bin/helper');
  catches('DD106', 'FROM debian:12\nRUN chmod 4755 /usr/local/bin/helper');
  catches('DD106', 'FROM debian:12\nRUN chmod +s /usr/local/bin/helper');
  catches('DD106', 'FROM debian:12\nRUN chmod 2755 /usr/local/bin/helper');
  catches('DD106', 'FROM debian:12\nRUN chmod g+s /usr/local/bin/helper');
  catches('DD106', 'FROM debian:12\nRUN sudo chmod 777 /srv');
  catches('DD106', 'FROM debian:12\nRUN find /app -type f -exec chmod 666 {} \\;');
  catches('DD106', 'FROM debian:12\nRUN ls /app/bin/* | xargs chmod 777');
  catches('DD106', 'FROM debian:12\nRUN mkdir -p -m 777 /data');
  catches('DD106', 'FROM debian:12\nRUN install -m 4755 helper /usr/local/bin/helper');
  catches('DD106', 'FROM debian:12\nCOPY --chmod=777 entrypoint.sh /entrypoint.sh', { line: 2 });
  catches('DD106', 'FROM debian:12\nADD --chmod=4755 helper /usr/local/bin/');
  catches('DD106', 'FROM debian:12\nRUN chmod 777 /build/out && cp -r /build/out /app');
  catches('DD106', 'FROM debian:12 AS base\nRUN chmod 777 /app\nFROM base\nCMD ["x"]', { line: 2 });
  catches('DD106', 'FROM debian:12\nONBUILD RUN chmod -R 777 /app');
  passes('DD106', 'FROM debian:12\nRUN chmod 755 /entrypoint.sh && chmod +x /usr/local/bin/*');
  passes('DD106', 'FROM debian:12\nRUN chmod -R g=u /app && chmod 775 /app');
  passes('DD106', 'FROM debian:12\nRUN chmod +w /app/config.yml');
  passes('DD106', 'FROM debian:12\nRUN chmod a+rX -R /usr/share/app');
  passes('DD106', 'FROM debian:12\nRUN chmod o-w /app && chmod u-s /usr/bin/newgrp');
  passes('DD106', 'FROM debian:12\nRUN chmod 1777 /tmp /var/tmp');
  passes('DD106', 'FROM debian:12\nRUN mkdir -m 1777 /scratch');
  passes('DD106', 'FROM debian:12\nRUN chmod a+rwxt /shared-tmp');
  passes('DD106', 'FROM debian:12\nRUN mkdir -p /data && chmod 2775 /data/');
  passes('DD106', 'FROM debian:12\nRUN mkdir -m 2775 /srv/shared');
  passes('DD106', 'FROM debian:12\nRUN find /srv -type d -exec chmod g+s {} +');
  passes('DD106', 'FROM debian:12\nRUN chmod 777 /tmp/build/out && make -C /tmp/build && rm -rf /tmp/build');
  passes('DD106', 'FROM debian:12\nRUN --mount=type=cache,target=/root/.cache chmod -R 777 /root/.cache/pip');
  passes(
    'DD106',
    'FROM debian:12 AS build\nRUN chmod -R 777 /src\nFROM debian:12\nCOPY --from=build /src/app /app',
  );
  passes('DD106', 'FROM debian:12\nCOPY --chmod=755 entrypoint.sh /entrypoint.sh');
  passes('DD106', 'FROM debian:12\nRUN chmod $MODE /app');
  passes('DD106', 'FROM debian:12\nRUN echo "chmod 777 /app" > /notes.txt');
  // setgid on a directory made earlier in the stage only sets group inheritance.
  passes('DD106', 'FROM debian:12\nWORKDIR /srv/shared\nRUN chmod 2775 /srv/shared');
  passes('DD106', 'FROM debian:12\nRUN mkdir -p /srv/shared\nRUN chmod 2775 /srv/shared');
  passes('DD106', 'FROM debian:12\nRUN mkdir -p /srv/a /srv/shared\nUSER app\nRUN chmod g+s /srv/shared/');
  passes('DD106', 'FROM debian:12 AS base\nRUN mkdir /srv/shared\nFROM base\nRUN chmod 2775 /srv/shared');
  catches('DD106', 'FROM debian:12\nRUN mkdir -p /srv/shared\nRUN chmod 2775 /srv/shared/tool', { line: 3 });
  catches('DD106', 'FROM debian:12 AS a\nRUN mkdir /srv/shared\nFROM debian:12\nRUN chmod 2775 /srv/shared');
  catches('DD106', 'FROM debian:12\nRUN chmod 2775 /srv/shared\nRUN mkdir -p /srv/shared');
  catches('DD106', 'FROM debian:12\nWORKDIR /srv/shared\nRUN chmod 4775 /srv/shared');
});
