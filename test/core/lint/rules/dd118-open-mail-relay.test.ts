import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

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
});
