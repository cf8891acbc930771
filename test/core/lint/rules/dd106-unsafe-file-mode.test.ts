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

  describe('evasions: busybox, variables, capabilities, interpreters, umask, ACLs', () => {
    catches('DD106', 'FROM alpine:3.19\nRUN busybox chmod 4755 /usr/local/bin/helper', { line: 2 });
    catches('DD106', 'FROM debian:12\nENV M=4755\nRUN chmod $M /usr/local/bin/helper', { line: 3 });
    catches('DD106', 'FROM debian:12\nARG MODE=777\nCOPY --chmod=$MODE app /app', { line: 3 });
    catches('DD106', 'FROM debian:12\nRUN install -m4755 helper /usr/local/bin/helper');
    catches('DD106', 'FROM debian:12\nRUN setcap cap_setuid+ep /usr/bin/python3.11', { line: 2 });
    catches('DD106', "FROM debian:12\nRUN setcap 'cap_net_bind_service,cap_sys_admin=+ep' /app/server");
    catches('DD106', 'FROM debian:12\nRUN setcap =ep /usr/local/bin/tool');
    catches('DD106', 'FROM debian:12\nRUN setcap cap_dac_override+eip /bin/tar');
    catches('DD106', 'FROM debian:12\nRUN python3 -c "import os; os.chmod(\'/usr/local/bin/x\', 0o4755)"');
    catches(
      'DD106',
      'FROM debian:12\nRUN python3 -c "import os, stat; os.chmod(\'/x\', stat.S_ISUID | 0o755)"',
    );
    catches('DD106', 'FROM debian:12\nRUN python3 -c "import pathlib; pathlib.Path(\'/app\').chmod(0o777)"');
    catches('DD106', 'FROM debian:12\nRUN perl -e \'chmod 04755, "/usr/local/bin/x"\'');
    catches('DD106', "FROM node:20\nRUN node -e \"require('fs').chmodSync('/app/run.sh', '777')\"");
    catches('DD106', "FROM debian:12\nRUN python3 - <<EOF\nimport os\nos.chmod('/app', 511)\nEOF");
    catches(
      'DD106',
      "FROM debian:12\nRUN <<EOF\n#!/usr/bin/env python3\nimport os\nos.chmod('/usr/local/bin/x', 0o4755)\nEOF",
    );
    catches(
      'DD106',
      'FROM debian:12\nRUN echo "import os; os.chmod(\'/x\', 0o6755)" > /tmp/m.py && python3 /tmp/m.py',
    );
    catches('DD106', 'FROM debian:12\nRUN umask 000 && mkdir -p /data && touch /data/state', { line: 2 });
    catches('DD106', 'FROM debian:12\nRUN umask 0 && pip install app');
    catches('DD106', 'FROM debian:12\nRUN umask u=rwx,g=rwx,o=rwx && cp -r /src /app');
    catches('DD106', 'FROM debian:12\nRUN chmod --reference=/usr/bin/passwd /usr/local/bin/helper');
    catches('DD106', 'FROM debian:12\nRUN setfacl -m o::rwx /app');
    catches('DD106', 'FROM debian:12\nRUN setfacl -R -d -m other:rw /data');
    passes('DD106', 'FROM debian:12\nRUN setcap cap_net_bind_service=+ep /usr/sbin/nginx');
    passes(
      'DD106',
      'FROM debian:12\nRUN setcap cap_net_raw+ep /bin/ping && setcap -r /usr/bin/x && setcap cap_setuid-ep /usr/bin/y',
    );
    passes('DD106', 'FROM debian:12\nRUN python3 -c "import os; os.chmod(\'/app/run.sh\', 0o755)"');
    passes(
      'DD106',
      "FROM debian:12\nRUN python3 -c \"import os; os.makedirs('/scratch'); os.chmod('/scratch', 0o1777)\"",
    );
    passes('DD106', 'FROM debian:12\nRUN umask 022 && mkdir /data && umask 002 && mkdir /shared');
    passes('DD106', 'FROM debian:12\nRUN mkdir /data && umask 000');
    // Without a who, chmod leaves the umask's bits (022 in a build) alone: =rwxrwxrwx gives 755.
    passes('DD106', 'FROM debian:12\nRUN chmod =rwxrwxrwx /app/run.sh');
    passes('DD106', 'FROM debian:12\nRUN chmod --reference=/etc/hosts /etc/app.conf');
    passes('DD106', 'FROM debian:12\nRUN setfacl -m u:app:rwx /data && setfacl -m o::r-x /app');
    passes('DD106', 'FROM debian:12\nENV M=755\nRUN chmod $M /usr/local/bin/helper');
    passes('DD106', 'FROM debian:12\nARG MODE=0755\nCOPY --chmod=$MODE app /app');
    passes('DD106', 'FROM alpine:3.19\nRUN busybox chmod 1777 /tmp');
  });

  catches('DD106', 'FROM debian:12\nRUN python3 -c "import os; os.chmod(\'/x\', mode=0o100777)"');

  catches('DD106', 'FROM alpine:3.19\nENV C="busybox chmod"\nRUN $C u+s /usr/local/bin/helper', { line: 3 });
});

describe('DD106: attack review (install/mkdir options in letter clusters)', () => {
  // getopt: -m may end a cluster with its value joined or next (`-pm777`, `-pm 777`, `-Dm4755`).
  catches('DD106', 'FROM debian:12\nRUN mkdir -pm 777 /data', { line: 2 });
  catches('DD106', 'FROM debian:12\nRUN mkdir -pm777 /data');
  catches('DD106', 'FROM debian:12\nRUN install -dm777 /data');
  catches('DD106', 'FROM debian:12\nRUN install -Dm4755 /tmp/x /usr/local/bin/x');
  catches('DD106', 'FROM debian:12\nRUN install -o root -Dm 4755 /tmp/x /usr/local/bin/x');
  passes('DD106', 'FROM debian:12\nRUN mkdir -pm 755 /data');
  passes('DD106', 'FROM debian:12\nRUN install -Dm755 /tmp/x /usr/local/bin/x');
  passes('DD106', 'FROM debian:12\nRUN install -dm1777 /scratch');
  // A setgid directory (install -d) only sets group inheritance.
  passes('DD106', 'FROM debian:12\nRUN install -dm2775 /srv/shared');
});
