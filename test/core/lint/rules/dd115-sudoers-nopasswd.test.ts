import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DD115 sudo grants root without a password', () => {
  catches('DD115', 'FROM debian:12\nRUN echo "dev ALL=(ALL) NOPASSWD: ALL" >> /etc/sudoers', { line: 2 });
  catches(
    'DD115',
    'FROM debian:12\nRUN echo "${USERNAME} ALL=(root) NOPASSWD:ALL" > /etc/sudoers.d/${USERNAME}',
  );
  catches(
    'DD115',
    "FROM debian:12\nRUN printf '%s\\n' 'app ALL=(ALL:ALL) NOPASSWD: ALL' | sudo tee /etc/sudoers.d/app",
  );
  catches('DD115', "FROM debian:12\nRUN sed -i 's/^%sudo.*/%sudo ALL=(ALL:ALL) NOPASSWD:ALL/' /etc/sudoers");
  catches(
    'DD115',
    'FROM debian:12\nRUN cat <<EOF > /etc/sudoers.d/ci\nDefaults !requiretty\nci ALL=(ALL) NOPASSWD:ALL\nEOF',
  );
  catches('DD115', 'FROM debian:12\nCOPY <<EOF /etc/sudoers.d/wheel\n%wheel ALL=(ALL) NOPASSWD: ALL\nEOF');
  catches('DD115', 'FROM debian:12\nRUN echo "Defaults !authenticate" > /etc/sudoers.d/noauth');
  catches('DD115', 'FROM debian:12\nRUN echo "deploy ALL=(ALL) ALL" >> /etc/sudoers');
  catches(
    'DD115',
    'FROM debian:12\nRUN <<EOF\nset -e\necho "app ALL=(ALL) NOPASSWD: /bin/sh, ALL" > /etc/sudoers.d/app\nEOF',
    {
      line: 4,
    },
  );
  passes(
    'DD115',
    'FROM debian:12\nRUN echo "app ALL=(root) NOPASSWD: /usr/sbin/nginx -s reload" > /etc/sudoers.d/app',
  );
  passes(
    'DD115',
    'FROM debian:12\nRUN echo "%wheel ALL=(ALL) ALL" >> /etc/sudoers && echo "Defaults env_keep += HOME" >> /etc/sudoers',
  );
  passes('DD115', "FROM debian:12\nRUN sed -i 's/^%sudo.*NOPASSWD.*/%sudo ALL=(ALL:ALL) ALL/' /etc/sudoers");
  passes('DD115', 'FROM debian:12\nRUN echo "# dev ALL=(ALL) NOPASSWD: ALL" >> /etc/sudoers.d/README');
  passes('DD115', 'FROM debian:12\nRUN echo "dev ALL=(ALL) NOPASSWD: ALL" > /tmp/sudoers.example');
  passes(
    'DD115',
    'FROM debian:12 AS build\nRUN echo "b ALL=(ALL) NOPASSWD: ALL" > /etc/sudoers.d/b\nFROM debian:12\nCOPY --from=build /out /out',
  );

  describe('evasions and semantics', () => {
    const ctx = (files: Record<string, string>) => ({ contextFiles: new Map(Object.entries(files)) });
    catches(
      'DD115',
      'FROM debian:12\nENV LINE="app ALL=(ALL) NOPASSWD: ALL"\nRUN echo "$LINE" > /etc/sudoers.d/app',
      { line: 3 },
    );
    catches('DD115', 'FROM debian:12\nENV D=/etc/sudoers.d\nRUN echo "app ALL=(ALL) NOPASSWD: ALL" > $D/app');
    catches('DD115', 'FROM debian:12\nCOPY sudoers/ /etc/sudoers.d/', {
      line: 2,
      ...ctx({ 'sudoers/ci': 'ci ALL=(ALL) NOPASSWD:ALL\n' }),
    });
    catches(
      'DD115',
      'FROM debian:12\nCOPY conf/sudoers /etc/sudoers',
      ctx({ 'conf/sudoers': 'root ALL=(ALL) ALL\n%wheel ALL=(ALL) NOPASSWD: ALL\n' }),
    );
    catches(
      'DD115',
      "FROM debian:12\nRUN echo 'app ALL=(ALL) NOPASSWD: ALL' | EDITOR='tee -a' visudo -f /etc/sudoers.d/app",
    );
    catches(
      'DD115',
      "FROM debian:12\nRUN echo 'app ALL=(ALL) NOPASSWD: ALL' > /tmp/s && install -m 0440 /tmp/s /etc/sudoers.d/app",
    );
    catches(
      'DD115',
      'FROM debian:12\nRUN tee /etc/sudoers.d/wheel <<EOF\n%wheel ALL=(ALL) NOPASSWD: ALL\nEOF',
    );
    catches(
      'DD115',
      "FROM debian:12\nRUN echo 'app ALL=(ALL) NOPASSWD: ALL' | busybox tee /etc/sudoers.d/app",
    );
    // NOPASSWD for a program that starts a shell (apt-get -o APT::Update::Pre-Invoke::=/bin/sh) is NOPASSWD for all.
    catches(
      'DD115',
      'FROM debian:12\nRUN echo "app ALL=(root) NOPASSWD: /usr/bin/apt-get" > /etc/sudoers.d/app',
    );
    catches(
      'DD115',
      'FROM debian:12\nRUN echo "app ALL=(root) NOPASSWD: /usr/local/bin/*" > /etc/sudoers.d/app',
    );
    catches(
      'DD115',
      'FROM debian:12\nRUN printf "Cmnd_Alias SHELLS = /bin/bash, /bin/sh\\napp ALL=(ALL) NOPASSWD: SHELLS\\n" > /etc/sudoers.d/app',
    );
    catches('DD115', 'FROM debian:12\nRUN echo "app ALL=(ALL) /bin/ls, NOPASSWD: ALL" > /etc/sudoers.d/app');
    catches(
      'DD115',
      "FROM debian:12\nRUN printf 'app ALL=(ALL) \\\\\\nNOPASSWD: ALL\\n' > /etc/sudoers.d/app",
    );
    catches(
      'DD115',
      "FROM debian:12\nCOPY sudoers /etc/sudoers\nRUN sed -i 's/ALL$/NOPASSWD: ALL/' /etc/sudoers",
      { line: 3, ...ctx({ sudoers: '%sudo ALL=(ALL:ALL) ALL\n' }) },
    );
    passes('DD115', 'FROM debian:12\nRUN echo "app ALL=(postgres) NOPASSWD: ALL" > /etc/sudoers.d/app');
    passes(
      'DD115',
      'FROM debian:12\nRUN echo "app ALL=(root) NOPASSWD: /usr/sbin/service nginx reload" > /etc/sudoers.d/app',
    );
    // sudo skips sudoers.d files with a dot in their name.
    passes('DD115', 'FROM debian:12\nRUN echo "app ALL=(ALL) NOPASSWD: ALL" > /etc/sudoers.d/app.disabled');
    passes(
      'DD115',
      "FROM debian:12\nCOPY sudoers /etc/sudoers.d/ops\nRUN sed -i 's/NOPASSWD: //' /etc/sudoers.d/ops",
      ctx({ sudoers: '%sudo ALL=(ALL:ALL) NOPASSWD: ALL\n' }),
    );
    passes(
      'DD115',
      'FROM debian:12\nCOPY sudoers /usr/share/doc/app/sudoers.example',
      ctx({ sudoers: 'app ALL=(ALL) NOPASSWD: ALL\n' }),
    );
    passes(
      'DD115',
      'FROM debian:12\nCOPY sudoers /etc/sudoers',
      ctx({ sudoers: 'root ALL=(ALL:ALL) ALL\n%sudo ALL=(ALL:ALL) ALL\n@includedir /etc/sudoers.d\n' }),
    );
  });

  catches('DD115', 'FROM debian:12\nRUN cd /etc/sudoers.d && echo "app ALL=(ALL) NOPASSWD: ALL" > app', {
    line: 2,
  });
  catches('DD115', 'FROM debian:12\nWORKDIR /etc/sudoers.d\nRUN echo "app ALL=(ALL) NOPASSWD: ALL" > ./app');
  catches('DD115', 'FROM debian:12\nRUN echo "app ALL=(ALL) NOPASSWD: ALL" >> /etc/sudoers.d/../sudoers');
  catches('DD115', 'FROM debian:12\nRUN echo "app ALL=(ALL) NOPASSWD: ALL" >> /etc//sudoers');
  passes('DD115', 'FROM debian:12\nWORKDIR /srv\nRUN echo "app ALL=(ALL) NOPASSWD: ALL" > sudoers.d/app');
});
