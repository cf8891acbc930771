import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DD116 SSH server configured to accept root or password logins', () => {
  catches(
    'DD116',
    "FROM debian:12\nRUN sed -i 's/#PermitRootLogin prohibit-password/PermitRootLogin yes/' /etc/ssh/sshd_config",
    {
      line: 2,
    },
  );
  catches(
    'DD116',
    "FROM debian:12\nRUN sed -ri 's/^#?(PasswordAuthentication)\\s+.*/\\1 yes/' /etc/ssh/sshd_config",
  );
  catches('DD116', "FROM debian:12\nRUN sed -i 's/prohibit-password/yes/' /etc/ssh/sshd_config");
  catches('DD116', 'FROM debian:12\nRUN echo "PermitRootLogin yes" >> /etc/ssh/sshd_config');
  catches(
    'DD116',
    "FROM debian:12\nRUN printf 'PermitEmptyPasswords yes\\n' > /etc/ssh/sshd_config.d/10-dev.conf",
  );
  catches(
    'DD116',
    'FROM debian:12\nRUN cat <<EOF >> /etc/ssh/sshd_config\nPort 22\nPasswordAuthentication yes\nEOF',
  );
  catches(
    'DD116',
    'FROM debian:12\nCOPY <<EOF /etc/ssh/sshd_config.d/override.conf\nPermitRootLogin=yes\nEOF',
  );
  catches('DD116', 'FROM debian:12\nCMD ["/usr/sbin/sshd", "-D", "-o", "PasswordAuthentication=yes"]');
  passes(
    'DD116',
    "FROM debian:12\nRUN sed -i -e 's/^#\\?PermitRootLogin.*/PermitRootLogin no/' -e 's/^#\\?PasswordAuthentication.*/PasswordAuthentication no/' /etc/ssh/sshd_config",
  );
  passes(
    'DD116',
    "FROM debian:12\nRUN sed -i 's/^#\\?AllowTcpForwarding.*/AllowTcpForwarding yes/' /etc/ssh/sshd_config",
  );
  passes('DD116', 'FROM debian:12\nRUN echo "PermitRootLogin prohibit-password" >> /etc/ssh/sshd_config');
  passes('DD116', 'FROM debian:12\nRUN echo "# PasswordAuthentication yes" >> /etc/ssh/sshd_config');
  passes('DD116', 'FROM debian:12\nRUN echo "PasswordAuthentication yes" >> /etc/ssh/ssh_config');
  passes('DD116', "FROM debian:12\nRUN sed -i 's/UsePAM no/UsePAM yes/' /etc/ssh/sshd_config");
  passes(
    'DD116',
    'FROM debian:12 AS test\nRUN echo "PermitRootLogin yes" >> /etc/ssh/sshd_config\nFROM debian:12\nCOPY --from=test /out /out',
  );
});
