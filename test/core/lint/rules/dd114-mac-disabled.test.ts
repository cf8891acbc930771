import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DD114 SELinux or AppArmor switched off', () => {
  catches('DD114', 'FROM rockylinux:9\nRUN setenforce 0 || true', { line: 2 });
  catches('DD114', 'FROM rockylinux:9\nRUN setenforce Permissive');
  catches(
    'DD114',
    "FROM rockylinux:9\nRUN sed -i 's/^SELINUX=enforcing/SELINUX=disabled/' /etc/selinux/config",
  );
  catches('DD114', 'FROM rockylinux:9\nRUN echo "SELINUX=permissive" > /etc/selinux/config');
  catches(
    'DD114',
    'FROM rockylinux:9\nCOPY <<EOF /etc/selinux/config\nSELINUX=disabled\nSELINUXTYPE=targeted\nEOF',
  );
  catches('DD114', 'FROM rockylinux:9\nRUN semanage permissive -a httpd_t');
  catches('DD114', 'FROM quay.io/fedora/fedora-bootc:40\nRUN grubby --update-kernel=ALL --args="selinux=0"');
  catches('DD114', 'FROM ubuntu:24.04\nRUN systemctl disable apparmor');
  catches('DD114', 'FROM ubuntu:24.04\nRUN aa-teardown');
  catches('DD114', 'FROM ubuntu:24.04\nRUN aa-complain /etc/apparmor.d/usr.sbin.mysqld');
  catches('DD114', 'FROM ubuntu:24.04\nRUN ln -s /etc/apparmor.d/usr.sbin.mysqld /etc/apparmor.d/disable/');
  catches(
    'DD114',
    'FROM ubuntu:24.04\nRUN sed -i \'s/GRUB_CMDLINE_LINUX="/GRUB_CMDLINE_LINUX="apparmor=0 /\' /etc/default/grub',
  );
  passes('DD114', 'FROM rockylinux:9\nRUN setenforce 1 && getenforce');
  passes(
    'DD114',
    "FROM rockylinux:9\nRUN sed -i 's/^SELINUX=permissive/SELINUX=enforcing/' /etc/selinux/config",
  );
  passes(
    'DD114',
    'FROM rockylinux:9\nRUN setsebool -P httpd_can_network_connect 1 && semanage permissive -d httpd_t',
  );
  passes(
    'DD114',
    'FROM ubuntu:24.04\nRUN apt-get install -y apparmor-utils && aa-enforce /etc/apparmor.d/usr.sbin.nginx',
  );
  passes(
    'DD114',
    'FROM ubuntu:24.04\nRUN systemctl enable apparmor && echo "SELINUX=disabled" > /tmp/notes.txt',
  );
  passes(
    'DD114',
    'FROM rockylinux:9 AS build\nRUN setenforce 0 || true\nFROM rockylinux:9\nCOPY --from=build /out /out',
  );
});
