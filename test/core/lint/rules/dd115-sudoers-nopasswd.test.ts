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

describe('DD115: attack review (included files, visudo, doas)', () => {
  // sudo reads a file `@include`d (or the older `#include`) from sudoers, and every file of an `@includedir`.
  catches(
    'DD115',
    "FROM debian:12\nRUN echo 'app ALL=(ALL) NOPASSWD: ALL' > /etc/mysudo && echo '@include /etc/mysudo' >> /etc/sudoers",
    { line: 2 },
  );
  catches(
    'DD115',
    "FROM debian:12\nRUN echo 'app ALL=(ALL) NOPASSWD: ALL' > /opt/s\nRUN echo '#include /opt/s' >> /etc/sudoers.d/inc",
  );
  catches(
    'DD115',
    "FROM debian:12\nRUN echo 'app ALL=(ALL) NOPASSWD: ALL' > /opt/grants/app && echo '@includedir /opt/grants' >> /etc/sudoers",
  );
  // Not included, a file with a dot in an included directory, and a comment (`# include`) are not read by sudo.
  passes('DD115', "FROM debian:12\nRUN echo 'app ALL=(ALL) NOPASSWD: ALL' > /etc/mysudo");
  passes(
    'DD115',
    "FROM debian:12\nRUN echo 'app ALL=(ALL) NOPASSWD: ALL' > /opt/grants/app.bak && echo '@includedir /opt/grants' >> /etc/sudoers",
  );
  passes(
    'DD115',
    "FROM debian:12\nRUN echo 'app ALL=(ALL) NOPASSWD: ALL' > /etc/mysudo && echo '# include /etc/mysudo' >> /etc/sudoers",
  );
  // visudo edits sudoers itself: NOPASSWD for it is NOPASSWD for everything.
  catches(
    'DD115',
    "FROM debian:12\nRUN echo 'app ALL=(root) NOPASSWD: /usr/sbin/visudo' > /etc/sudoers.d/app",
  );
  // OpenDoas (Alpine's sudo replacement): `permit nopass` without a `cmd`, or with a shell-capable one, as root.
  catches('DD115', "FROM alpine:3\nRUN echo 'permit nopass app' > /etc/doas.conf", { line: 2 });
  catches('DD115', "FROM alpine:3\nRUN echo 'permit nopass keepenv :wheel as root' >> /etc/doas.d/app.conf");
  catches('DD115', "FROM alpine:3\nRUN echo 'permit nopass app cmd /bin/sh' > /etc/doas.conf");
  passes(
    'DD115',
    "FROM alpine:3\nRUN echo 'permit nopass app cmd /usr/sbin/nginx args -s reload' > /etc/doas.conf",
  );
  passes('DD115', "FROM alpine:3\nRUN echo 'permit nopass app as postgres' > /etc/doas.conf");
  passes('DD115', "FROM alpine:3\nRUN echo 'permit persist :wheel' > /etc/doas.conf");
  passes('DD115', "FROM alpine:3\nRUN echo '# permit nopass app' > /etc/doas.conf");
});
