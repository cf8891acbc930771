import { describe, expect, describe as group, it } from 'vitest';
import { lintText } from '../../../../core/lint/engine.js';
import { RULES } from '../../../../core/lint/rules/index.js';
import { catches, passes } from '../../../helpers/rule-cases.js';

const rule = RULES.filter((r) => r.id === 'DD118');
/** DD118 findings with build-context files, as the gate passes the pushed tree. */
const withFiles = (dockerfile: string, files: Record<string, string>) =>
  lintText(dockerfile, 'Dockerfile', { rules: rule, contextFiles: new Map(Object.entries(files)) }).filter(
    (f) => f.code === 'DD118' || f.code === 'DD003',
  );

describe('DD118 mail server configured as an open relay', () => {
  catches('DD118', "FROM debian:12\nRUN postconf -e 'mynetworks = 127.0.0.0/8 0.0.0.0/0'", { line: 2 });
  catches('DD118', 'FROM debian:12\nRUN postconf -e "smtpd_relay_restrictions = permit"');
  catches(
    'DD118',
    "FROM debian:12\nRUN postconf 'smtpd_recipient_restrictions=permit_mynetworks, permit, reject_unauth_destination'",
  );
  catches('DD118', 'FROM debian:12\nRUN echo "mynetworks = [::]/0" >> /etc/postfix/main.cf');
  catches(
    'DD118',
    "FROM debian:12\nRUN sed -i 's/^mynetworks = .*/mynetworks = 0.0.0.0\\/0/' /etc/postfix/main.cf",
  );
  catches(
    'DD118',
    'FROM debian:12\nRUN cat <<EOF >> /etc/postfix/main.cf\nsmtpd_relay_restrictions =\n    permit_mynetworks\n    permit\nEOF',
  );
  catches(
    'DD118',
    'FROM debian:12\nCOPY <<EOF /etc/exim4/conf.d/main/00_relay\nhostlist relay_from_hosts = <; 0.0.0.0/0\nEOF',
  );
  catches(
    'DD118',
    "FROM debian:12\nRUN sed -i \"s/dc_relay_nets=''/dc_relay_nets='0.0.0.0\\/0'/\" /etc/exim4/update-exim4.conf.conf",
  );
  catches('DD118', 'FROM alpine:3.19\nRUN echo "relay_from_hosts = *" >> /etc/exim/exim.conf');
  catches('DD118', 'FROM debian:12\nRUN echo "FEATURE(\\`promiscuous_relay\')dnl" >> /etc/mail/sendmail.mc');
  catches('DD118', 'FROM boky/postfix:v4.3.0\nENV MYNETWORKS=0.0.0.0/0', { line: 2 });
  catches('DD118', 'FROM namshi/smtp\nENV RELAY_NETWORKS=:0.0.0.0/0');
  passes('DD118', "FROM debian:12\nRUN postconf -e 'mynetworks = 127.0.0.0/8 [::1]/128 10.0.0.0/8'");
  passes(
    'DD118',
    'FROM debian:12\nRUN postconf -e "smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, defer_unauth_destination"',
  );
  passes(
    'DD118',
    'FROM debian:12\nRUN postconf -e "smtpd_relay_restrictions = permit_mynetworks, reject" "inet_interfaces = all"',
  );
  passes(
    'DD118',
    'FROM debian:12\nRUN postconf -e "smtpd_recipient_restrictions = reject_unauth_destination, permit"',
  );
  passes('DD118', 'FROM debian:12\nRUN echo "# mynetworks = 0.0.0.0/0" >> /etc/postfix/main.cf');
  passes(
    'DD118',
    'FROM boky/postfix:v4.3.0\nENV MYNETWORKS="10.0.0.0/8 172.16.0.0/12" ALLOWED_SENDER_DOMAINS=example.com',
  );
  passes(
    'DD118',
    'FROM debian:12 AS test\nRUN postconf -e mynetworks=0.0.0.0/0\nFROM debian:12\nCOPY --from=test /out /out',
  );

  // Networks as address sets: other spellings of everyone.
  for (const nets of [
    '0/0',
    '0.0.0.0/1 128.0.0.0/1',
    '[::ffff:0.0.0.0]/96',
    '0.0.0.0/0.0.0.0',
    '::/0',
    '127.0.0.0/8, 0.0.0.0/1',
  ]) {
    catches('DD118', `FROM debian:12\nRUN postconf -e 'mynetworks = ${nets}'`);
  }
  catches('DD118', 'FROM debian:12\nRUN postconf mynetworks=0/0');
  passes('DD118', "FROM debian:12\nRUN postconf -e 'mynetworks = 10/8 127.0.0.0/8 [::1]/128 [fe80::]/10'");
  passes('DD118', "FROM debian:12\nRUN postconf -e 'mynetworks = 203.0.113.0/24 2001:db8:1234::/48'");
  // master.cf service overrides, written or through postconf -P / -M.
  catches(
    'DD118',
    'FROM debian:12\nRUN printf "submission inet n - y - - smtpd\\n  -o mynetworks=0.0.0.0/0\\n" >> /etc/postfix/master.cf',
  );
  catches('DD118', "FROM debian:12\nRUN postconf -P 'submission/inet/smtpd_relay_restrictions=permit'");
  catches('DD118', "FROM debian:12\nRUN postconf -M 'smtp/inet=smtp inet n - n - - smtpd -o mynetworks=0/0'");
  passes(
    'DD118',
    'FROM debian:12\nRUN printf "submission inet n - y - - smtpd\\n  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject\\n" >> /etc/postfix/master.cf',
  );
  // Set when the container starts.
  catches('DD118', 'FROM debian:12\nCMD ["postfix", "-o", "mynetworks=0.0.0.0/0", "start-fg"]', { line: 2 });
  catches('DD118', 'FROM debian:12\nENTRYPOINT postconf -e "mynetworks = 0/0" && exec postfix start-fg');
  catches(
    'DD118',
    'FROM debian:12\nCMD ["sh", "-c", "postconf -e smtpd_relay_restrictions=permit && postfix start-fg"]',
  );
  passes('DD118', 'FROM debian:12\nCMD ["postfix", "-o", "mynetworks=127.0.0.0/8", "start-fg"]');
  catches('DD118', 'FROM debian:12\nENV NETS=0/0\nCMD postfix -o mynetworks=$NETS start-fg', { line: 3 });
  passes('DD118', 'FROM debian:12\nENV NETS=10/8\nCMD postfix -o mynetworks=$NETS start-fg');
  // Lookup tables and files mynetworks names, with the text the build writes there.
  catches(
    'DD118',
    "FROM debian:12\nRUN echo '0.0.0.0/0 OK' > /etc/postfix/network_table && postconf -e 'mynetworks = cidr:/etc/postfix/network_table'",
  );
  catches(
    'DD118',
    "FROM debian:12\nCOPY <<EOF /etc/postfix/nets.cidr\n10.0.0.0/8 OK\n0.0.0.0/1 OK\n128.0.0.0/1 OK\nEOF\nRUN postconf -e 'mynetworks = cidr:$config_directory/nets.cidr'",
  );
  catches(
    'DD118',
    "FROM debian:12\nRUN echo '/./ OK' > /etc/postfix/nets.re && postconf -e 'mynetworks = regexp:/etc/postfix/nets.re'",
  );
  catches('DD118', "FROM debian:12\nRUN postconf -e 'mynetworks = static:all'");
  catches(
    'DD118',
    "FROM debian:12\nRUN echo '0/0' > /etc/postfix/nets && postconf -e 'mynetworks = /etc/postfix/nets'",
  );
  passes(
    'DD118',
    "FROM debian:12\nRUN echo '10.0.0.0/8 OK' > /etc/postfix/network_table && postconf -e 'mynetworks = cidr:/etc/postfix/network_table'",
  );
  passes(
    'DD118',
    "FROM debian:12\nRUN echo '/^10\\./ OK' > /etc/postfix/nets.re && postconf -e 'mynetworks = regexp:/etc/postfix/nets.re'",
  );
  passes(
    'DD118',
    "FROM debian:12\nRUN echo '0.0.0.0/0 OK' > /etc/postfix/nets && postconf -e 'mynetworks = hash:/etc/postfix/nets'",
  );
  // relay_domains and exim's domain lists.
  catches('DD118', "FROM debian:12\nRUN postconf -e 'relay_domains = *'");
  catches('DD118', 'FROM debian:12\nRUN echo "dc_relay_domains=\'*\'" >> /etc/exim4/update-exim4.conf.conf');
  catches(
    'DD118',
    'FROM debian:12\nRUN echo "dc_relay_nets=\'0.0.0.0/0\'" >> /etc/exim4/update-exim4.conf.conf',
  );
  catches(
    'DD118',
    'FROM debian:12\nRUN echo "domainlist relay_to_domains = *" >> /etc/exim4/exim4.conf.template',
  );
  catches(
    'DD118',
    'FROM debian:12\nRUN echo "hostlist relay_from_hosts = 127.0.0.1 : 0.0.0.0/1 : 128.0.0.0/1" >> /etc/exim/exim.conf',
  );
  passes('DD118', "FROM debian:12\nRUN postconf -e 'relay_domains = example.com, $mydestination'");
  passes(
    'DD118',
    'FROM debian:12\nRUN echo "dc_relay_domains=\'example.com\'" >> /etc/exim4/update-exim4.conf.conf',
  );
  passes(
    'DD118',
    'FROM debian:12\nRUN echo "hostlist relay_from_hosts = 127.0.0.1 : ::::1 : 10.0.0.0/8" >> /etc/exim/exim.conf',
  );
  // Through variables the stage resolves.
  catches('DD118', 'FROM debian:12\nENV NETS="0.0.0.0/1 128.0.0.0/1"\nRUN postconf -e "mynetworks = $NETS"');
  catches('DD118', 'FROM debian:12\nARG R=permit\nRUN postconf -e "smtpd_relay_restrictions = ${R}"');
  catches(
    'DD118',
    'FROM debian:12\nENV DOMAINS="*"\nRUN echo "dc_relay_domains=\'$DOMAINS\'" >> /etc/exim4/update-exim4.conf.conf',
  );
  catches('DD118', 'FROM boky/postfix:v4.3.0\nARG OPEN=0/0\nENV MYNETWORKS=$OPEN');
  catches('DD118', 'FROM namshi/smtp\nENV RELAY_DOMAINS=*');
  passes('DD118', 'FROM debian:12\nENV NETS="10.0.0.0/8"\nRUN postconf -e "mynetworks = $NETS"');
  passes('DD118', 'FROM namshi/smtp\nENV RELAY_DOMAINS=example.com RELAY_NETWORKS=:10.0.0.0/8');
});

group('DD118 configuration copied from the build context', () => {
  it('reads a copied main.cf by its content', () => {
    const found = withFiles('FROM debian:12\nCOPY main.cf /etc/postfix/\n', {
      'main.cf': 'myhostname = mx\nmynetworks = 0.0.0.0/1, 128.0.0.0/1\n',
    });
    expect(found.map((f) => [f.code, f.line])).toEqual([['DD118', 2]]);
  });

  it('reads a copied cidr table that a mynetworks setting names', () => {
    const found = withFiles(
      'FROM debian:12\nCOPY postfix/ /etc/postfix/\nRUN postconf -e "mynetworks = cidr:/etc/postfix/clients.cidr"\n',
      { 'postfix/clients.cidr': '# everyone\n0.0.0.0/0  OK\n', 'postfix/main.cf': 'myhostname = mx\n' },
    );
    expect(found.map((f) => f.code)).toEqual(['DD118']);
  });

  it('reads a copied master.cf and exim config', () => {
    const found = withFiles(
      'FROM debian:12\nCOPY master.cf /etc/postfix/master.cf\nCOPY exim /etc/exim4/\n',
      {
        'master.cf': 'smtp inet n - y - - smtpd\n  -o smtpd_relay_restrictions=permit\n',
        'exim/update-exim4.conf.conf': "dc_eximconfig_configtype='internet'\ndc_relay_nets='0/0'\n",
      },
    );
    expect(found.map((f) => [f.code, f.line])).toEqual([
      ['DD118', 2],
      ['DD118', 3],
    ]);
  });

  it('reads a bulk copy only where a mail server reads its configuration', () => {
    const files = {
      'docs/postfix-example.txt': 'mynetworks = 0.0.0.0/0\n',
      'conf/main.cf': 'mynetworks = 0/0\n',
    };
    expect(withFiles('FROM debian:12\nCOPY . /app/\n', files).map((f) => f.code)).toEqual(['DD118']);
    expect(withFiles('FROM debian:12\nCOPY docs /app/docs\n', files)).toEqual([]);
  });

  it('passes a copied main.cf that relays for the cluster only', () => {
    const found = withFiles('FROM debian:12\nCOPY main.cf /etc/postfix/main.cf\n', {
      'main.cf':
        'mynetworks = 127.0.0.0/8 10.0.0.0/8\nsmtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination\n',
    });
    expect(found).toEqual([]);
  });
});

describe('DD118: attack review (access tables that accept every client)', () => {
  // An access table answering OK for every client is `permit` under another name.
  catches(
    'DD118',
    "FROM debian:12\nRUN postconf -e 'smtpd_relay_restrictions = check_client_access static:OK'",
    {
      line: 2,
    },
  );
  catches(
    'DD118',
    "FROM debian:12\nRUN postconf -e 'smtpd_recipient_restrictions = check_sender_access static:{permit}, reject_unauth_destination'",
  );
  catches(
    'DD118',
    "FROM debian:12\nRUN echo '0.0.0.0/0 OK' > /etc/postfix/clients && postconf -e 'smtpd_relay_restrictions = check_client_access cidr:/etc/postfix/clients, reject_unauth_destination'",
  );
  passes(
    'DD118',
    "FROM debian:12\nRUN echo '10.0.0.0/8 OK' > /etc/postfix/clients && postconf -e 'smtpd_relay_restrictions = check_client_access cidr:/etc/postfix/clients, reject_unauth_destination'",
  );
  passes(
    'DD118',
    "FROM debian:12\nRUN postconf -e 'smtpd_relay_restrictions = check_client_access static:REJECT, reject_unauth_destination'",
  );
  passes(
    'DD118',
    "FROM debian:12\nRUN postconf -e 'smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination, check_client_access static:OK'",
  );
});
