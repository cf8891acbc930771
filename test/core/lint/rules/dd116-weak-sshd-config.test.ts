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

  describe('evasions: other ways to write the file', () => {
    const ctx = (files: Record<string, string>) => ({ contextFiles: new Map(Object.entries(files)) });
    catches(
      'DD116',
      "FROM debian:12\nRUN perl -pi -e 's/^#?PermitRootLogin.*/PermitRootLogin yes/' /etc/ssh/sshd_config",
      { line: 2 },
    );
    catches(
      'DD116',
      'FROM debian:12\nRUN awk \'/PasswordAuthentication/{print "PasswordAuthentication yes"; next} 1\' /etc/ssh/sshd_config > /tmp/c && mv /tmp/c /etc/ssh/sshd_config',
    );
    catches(
      'DD116',
      "FROM debian:12\nRUN printf 'PasswordAuthentication yes\\n' > /tmp/sshd\nRUN cp /tmp/sshd /etc/ssh/sshd_config.d/50-login.conf",
      { line: 3 },
    );
    catches(
      'DD116',
      "FROM debian:12\nRUN echo 'PermitEmptyPasswords yes' | dd of=/etc/ssh/sshd_config.d/x.conf",
    );
    catches(
      'DD116',
      'FROM debian:12\nRUN echo UGVybWl0Um9vdExvZ2luIHllcw== | base64 -d >> /etc/ssh/sshd_config',
    );
    catches(
      'DD116',
      "FROM debian:12\nRUN printf '%s\\n' '$a' 'PermitRootLogin yes' . w | ed -s /etc/ssh/sshd_config",
    );
    catches('DD116', 'FROM debian:12\nCOPY conf/sshd_config /etc/ssh/', {
      line: 2,
      ...ctx({ 'conf/sshd_config': 'Port 22\nPermitRootLogin yes\n' }),
    });
    catches(
      'DD116',
      'FROM debian:12\nCOPY sshd/ /etc/ssh/sshd_config.d/',
      ctx({ 'sshd/10-pw.conf': 'PasswordAuthentication=yes\n' }),
    );
    catches('DD116', 'FROM debian:12\nENV F=/etc/ssh/sshd_config\nRUN echo "PermitRootLogin yes" >> $F', {
      line: 3,
    });
    catches(
      'DD116',
      'FROM debian:12\nARG D=/etc/ssh\nRUN echo "PasswordAuthentication yes" > ${D}/sshd_config.d/pw.conf',
    );
    catches(
      'DD116',
      'FROM debian:12\nRUN echo "PermitRootLogin yes" > /opt/sshd.conf\nCMD ["/usr/sbin/sshd", "-D", "-f", "/opt/sshd.conf"]',
      { line: 2 },
    );
    catches('DD116', 'FROM debian:12\nENTRYPOINT /usr/sbin/sshd -D -oPermitEmptyPasswords=yes');
  });

  describe('read as sshd reads it', () => {
    const ctx = (files: Record<string, string>) => ({ contextFiles: new Map(Object.entries(files)) });
    // Keyboard-interactive logins ask for the password through PAM (Debian and RHEL set UsePAM yes).
    catches('DD116', 'FROM debian:12\nRUN echo "KbdInteractiveAuthentication yes" >> /etc/ssh/sshd_config');
    catches(
      'DD116',
      'FROM debian:12\nRUN echo "ChallengeResponseAuthentication yes" > /etc/ssh/sshd_config.d/kbd.conf',
    );
    passes(
      'DD116',
      'FROM debian:12\nRUN printf "UsePAM no\\nKbdInteractiveAuthentication yes\\n" > /etc/ssh/sshd_config.d/kbd.conf',
    );
    passes('DD116', 'FROM debian:12\nRUN echo "KbdInteractiveAuthentication no" >> /etc/ssh/sshd_config');
    // The first value wins: a later line does not override an earlier one.
    catches(
      'DD116',
      'FROM debian:12\nRUN echo "PermitRootLogin yes" >> /etc/ssh/sshd_config && echo "PermitRootLogin no" >> /etc/ssh/sshd_config',
      { line: 2 },
    );
    passes(
      'DD116',
      'FROM debian:12\nRUN cat > /etc/ssh/sshd_config <<EOF\nPermitRootLogin no\nPermitRootLogin yes\nEOF',
    );
    passes(
      'DD116',
      'FROM debian:12\nCOPY sshd_config /etc/ssh/sshd_config\nRUN echo "PasswordAuthentication yes" >> /etc/ssh/sshd_config',
      ctx({ sshd_config: 'PasswordAuthentication no\n' }),
    );
    // Drop-ins are read where an Include puts them; the stock files include sshd_config.d/*.conf first.
    catches(
      'DD116',
      'FROM debian:12\nRUN echo "PermitRootLogin yes" > /etc/ssh/sshd_config.d/00-root.conf\nRUN echo "PermitRootLogin no" >> /etc/ssh/sshd_config',
      { line: 2 },
    );
    catches(
      'DD116',
      'FROM debian:12\nCOPY sshd_config /etc/ssh/sshd_config\nRUN echo "PermitRootLogin yes" > /etc/ssh/sshd_config.d/10.conf',
      { line: 3, ...ctx({ sshd_config: 'Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin no\n' }) },
    );
    catches(
      'DD116',
      'FROM debian:12\nCOPY sshd_config /etc/ssh/sshd_config\nRUN echo "PermitRootLogin yes" >> /etc/ssh/sshd_config',
      ctx({ sshd_config: 'Include /etc/ssh/sshd_config.d/*.conf\n' }),
    );
    passes(
      'DD116',
      'FROM debian:12\nCOPY sshd_config /etc/ssh/sshd_config\nRUN echo "PermitRootLogin no" > /etc/ssh/sshd_config.d/10.conf && echo "PermitRootLogin yes" >> /etc/ssh/sshd_config',
      ctx({ sshd_config: 'Include /etc/ssh/sshd_config.d/*.conf\nPort 22\n' }),
    );
    passes(
      'DD116',
      'FROM debian:12\nCOPY sshd_config /etc/ssh/sshd_config\nRUN echo "PermitRootLogin yes" > /etc/ssh/sshd_config.d/10.conf',
      ctx({ sshd_config: 'Port 22\nPermitRootLogin no\n' }),
    );
    passes('DD116', 'FROM debian:12\nRUN echo "PermitRootLogin yes" > /etc/ssh/sshd_config.d/README');
    // An edit replayed on a copied file: the line it changes stays a comment.
    passes(
      'DD116',
      "FROM debian:12\nCOPY sshd_config /etc/ssh/sshd_config\nRUN sed -i 's/prohibit-password/yes/' /etc/ssh/sshd_config",
      ctx({ sshd_config: '#PermitRootLogin prohibit-password\n' }),
    );
    catches(
      'DD116',
      "FROM debian:12\nCOPY sshd_config /etc/ssh/sshd_config\nRUN sed -i 's/^#PermitRootLogin.*/PermitRootLogin yes/' /etc/ssh/sshd_config",
      { line: 3, ...ctx({ sshd_config: '#PermitRootLogin prohibit-password\n' }) },
    );
    passes(
      'DD116',
      "FROM debian:12\nRUN echo 'PermitRootLogin yes' >> /etc/ssh/sshd_config && sed -i 's/^PermitRootLogin yes/PermitRootLogin no/' /etc/ssh/sshd_config",
    );
    catches(
      'DD116',
      'FROM debian:12\nRUN printf "Match Address 10.0.0.0/8\\n  PasswordAuthentication yes\\n" >> /etc/ssh/sshd_config',
    );
    passes(
      'DD116',
      'FROM debian:12\nRUN printf "Match User sftp\\n  PasswordAuthentication no\\n" >> /etc/ssh/sshd_config',
    );
    passes('DD116', 'FROM debian:12\nCMD ["/usr/sbin/sshd", "-D", "-o", "PermitRootLogin=no"]');
    passes(
      'DD116',
      'FROM debian:12\nCOPY ssh_config /etc/ssh/ssh_config',
      ctx({ ssh_config: 'PasswordAuthentication yes\n' }),
    );
  });

  catches('DD116', 'FROM debian:12\nWORKDIR /etc/ssh\nRUN echo "PermitRootLogin yes" >> sshd_config', {
    line: 3,
  });

  catches(
    'DD116',
    'FROM debian:12\nENV SSHD_OPTS="-o PermitRootLogin=yes"\nCMD /usr/sbin/sshd -D $SSHD_OPTS',
  );
});

describe('DD116: attack review (Include of any directory, getopt clusters)', () => {
  // sshd reads whatever an Include names, wherever it is, not only sshd_config.d.
  catches(
    'DD116',
    "FROM debian:12\nRUN echo 'Include /etc/ssh/extra/*.conf' >> /etc/ssh/sshd_config && echo 'PermitRootLogin yes' > /etc/ssh/extra/x.conf",
    { line: 2 },
  );
  catches(
    'DD116',
    "FROM debian:12\nRUN echo 'PermitRootLogin yes' > /opt/ssh/root\nRUN echo 'Include /opt/ssh/root' > /etc/ssh/sshd_config.d/00-inc.conf",
  );
  passes('DD116', "FROM debian:12\nRUN echo 'PermitRootLogin yes' > /etc/ssh/extra/x.conf");
  passes(
    'DD116',
    "FROM debian:12\nRUN echo 'Include /etc/ssh/extra/*.conf' >> /etc/ssh/sshd_config && echo 'PermitRootLogin yes' > /etc/ssh/extra/x.txt",
  );
  // `-f` may end a letter cluster with its value joined (`-Df/opt/s.conf`) or next (`-Df /opt/s.conf`).
  catches(
    'DD116',
    'FROM debian:12\nRUN echo \'PermitRootLogin yes\' > /opt/s.conf\nCMD ["/usr/sbin/sshd", "-Df/opt/s.conf"]',
  );
  catches(
    'DD116',
    'FROM debian:12\nRUN echo \'PermitRootLogin yes\' > /opt/s.conf\nCMD ["/usr/sbin/sshd", "-Def", "/opt/s.conf"]',
  );
  catches('DD116', 'FROM debian:12\nCMD ["/usr/sbin/sshd", "-DeoPermitRootLogin=yes"]');
  passes(
    'DD116',
    'FROM debian:12\nRUN echo \'PermitRootLogin yes\' > /opt/s.conf\nCMD ["/usr/sbin/sshd", "-De", "-E", "/opt/s.conf"]',
  );
});
