import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DD113 SSH server in the image', () => {
  catches('DD113', 'FROM debian:12\nRUN apt-get update && apt-get install -y openssh-server', { line: 2 });
  catches('DD113', 'FROM debian:12\nRUN apt-get install -y --no-install-recommends ssh=1:9.2p1-2');
  catches('DD113', 'FROM alpine:3.19\nRUN apk add --no-cache openssh');
  catches('DD113', 'FROM alpine:3.19\nRUN apk add --no-cache dropbear=2022.83-r4');
  catches('DD113', 'FROM rockylinux:9\nRUN dnf install -y openssh-server && dnf clean all');
  catches('DD113', 'FROM centos:7\nRUN yum -y install openssh-server-7.4p1');
  catches('DD113', 'FROM debian:12\nEXPOSE 80 22/tcp', { line: 2 });
  catches('DD113', 'FROM debian:12\nCMD ["/usr/sbin/sshd", "-D", "-e"]');
  catches('DD113', 'FROM debian:12\nCMD service ssh start && tail -f /dev/null');
  catches('DD113', 'FROM debian:12\nRUN systemctl enable ssh');
  catches(
    'DD113',
    'FROM debian:12\nCOPY <<EOF /etc/supervisor/conf.d/sshd.conf\n[program:sshd]\ncommand=/usr/sbin/sshd -D\nEOF',
  );
  catches('DD113', 'FROM debian:12 AS base\nRUN apt-get install -y openssh-server\nFROM base\nEXPOSE 22', {
    line: 2,
  });
  passes('DD113', 'FROM alpine:3.19\nRUN apk add --no-cache openssh-client git');
  passes('DD113', 'FROM debian:12\nRUN apt-get install -y openssh-client openssh-sftp-server');
  passes('DD113', 'FROM debian:12\nEXPOSE 2222 8022 220');
  passes(
    'DD113',
    'FROM debian:12 AS tools\nRUN apt-get install -y openssh-server\nFROM debian:12\nCOPY --from=tools /usr/bin/ssh-keygen /usr/bin/',
  );
  passes('DD113', 'FROM debian:12\nRUN apt-get download openssh-server && echo sshd > /etc/motd');
  passes('DD113', 'FROM debian:12\nCMD ["ssh", "-N", "-L", "5432:db:5432", "bastion"]');
  catches('DD113', 'FROM debian:12\nCOPY supervisord.conf /etc/supervisor/conf.d/', {
    contextFiles: new Map([['supervisord.conf', '[program:sshd]\ncommand=/usr/sbin/sshd -D\n']]),
  });
  passes('DD113', 'FROM debian:12\nCOPY supervisord.conf /etc/supervisor/conf.d/', {
    contextFiles: new Map([['supervisord.conf', '[program:app]\ncommand=/usr/local/bin/app\n']]),
  });
});
