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
});
