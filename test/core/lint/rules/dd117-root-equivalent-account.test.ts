import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DD117 account equivalent to root, or root with a known or empty password', () => {
  catches('DD117', 'FROM debian:12\nRUN useradd -o -u 0 -g 0 -M admin', { line: 2 });
  catches('DD117', 'FROM debian:12\nRUN usermod -o -u 0 backup');
  catches('DD117', 'FROM debian:12\nRUN echo "toor:x:0:0:root:/root:/bin/bash" >> /etc/passwd');
  catches('DD117', "FROM debian:12\nRUN echo 'root:Docker!' | chpasswd");
  catches(
    'DD117',
    'FROM debian:12\nENV ADMIN_PASSWORD=admin123\nRUN echo "root:$ADMIN_PASSWORD" | chpasswd',
    { line: 3 },
  );
  catches('DD117', 'FROM rockylinux:9\nRUN echo "s3cret" | passwd --stdin root');
  catches('DD117', 'FROM debian:12\nRUN usermod -p "$(openssl passwd -1 pw)" root');
  catches('DD117', 'FROM debian:12\nRUN passwd -d root');
  catches('DD117', 'FROM alpine:3.19\nRUN adduser -D app && passwd -d app');
  catches('DD117', "FROM debian:12\nRUN sed -i 's/^root:[^:]*:/root::/' /etc/shadow");
  catches('DD117', 'FROM debian:12\nRUN useradd -m dev && echo "dev:dev" | chpasswd && usermod -aG sudo dev');
  catches(
    'DD117',
    'FROM ubuntu:22.04\nRUN useradd -m -s /bin/bash deploy && echo "deploy:deploy" | chpasswd && adduser deploy sudo',
  );
  catches('DD117', 'FROM debian:12\nRUN chpasswd <<EOF\nroot:hunter2\nEOF');
  passes('DD117', 'FROM debian:12\nRUN useradd -r -u 10001 -g 0 app && usermod -aG docker app');
  passes('DD117', 'FROM debian:12\nRUN useradd -m dev && echo "dev:dev" | chpasswd');
  passes('DD117', 'FROM alpine:3.19\nRUN adduser -S -D jump && passwd -u jump && passwd -l root');
  passes('DD117', 'FROM debian:12\nRUN echo "app:x:10001:0::/home/app:/sbin/nologin" >> /etc/passwd');
  passes('DD117', 'FROM debian:12\nRUN usermod -u 1000 node && groupmod -g 0 staff');
  passes(
    'DD117',
    'FROM debian:12 AS build\nRUN echo root:pw | chpasswd\nFROM debian:12\nCOPY --from=build /out /out',
  );
  catches('DD117', 'FROM debian:12 AS base\nRUN echo root:pw | chpasswd\nFROM base\nUSER app', { line: 2 });
  passes('DD117', "FROM debian:12\nRUN echo 'root:!' | chpasswd -e && usermod -p '*' root");

  describe('evasions', () => {
    const ctx = (files: Record<string, string>) => ({ contextFiles: new Map(Object.entries(files)) });
    catches('DD117', "FROM alpine:3.19\nRUN echo 'root:' | busybox chpasswd", { line: 2 });
    catches('DD117', 'FROM debian:12\nENV ROOT_USER=root\nRUN echo "${ROOT_USER}:" | chpasswd', { line: 3 });
    catches('DD117', 'FROM alpine:3.19\nARG PW=hunter2\nRUN echo "root:$PW" | busybox chpasswd');
    catches('DD117', "FROM debian:12\nRUN usermod -p '' root");
    catches('DD117', 'FROM alpine:3.19\nRUN busybox passwd -d root');
    catches('DD117', "FROM debian:12\nRUN printf 'root:toor\\n' > /tmp/pw && chpasswd < /tmp/pw");
    catches('DD117', "FROM debian:12\nENV F=/etc/passwd\nRUN echo 'x:x:0:0::/root:/bin/sh' >> $F", {
      line: 3,
    });
    catches('DD117', "FROM debian:12\nRUN sed -i 's/^app:x:1000:/app:x:0:/' /etc/passwd");
    catches('DD117', "FROM debian:12\nRUN perl -pi -e 's/^(backup:x:)\\d+:/${1}0:/' /etc/passwd");
    catches('DD117', "FROM debian:12\nRUN sed -i 's/:1000:1000:/:0:0:/' /etc/passwd");
    catches('DD117', "FROM debian:12\nRUN perl -pi -e 's/^root:\\*:/root::/' /etc/shadow");
    catches(
      'DD117',
      "FROM debian:12\nRUN echo 'ops:x:0:0::/root:/bin/sh' > /tmp/p && cat /tmp/p >> /etc/passwd",
    );
    catches('DD117', 'FROM debian:12\nCOPY passwd /etc/passwd', {
      line: 2,
      ...ctx({ passwd: 'root:x:0:0:root:/root:/bin/bash\ntoor:x:0:0::/root:/bin/bash\n' }),
    });
    catches('DD117', 'FROM debian:12\nCOPY etc/ /etc/', ctx({ 'etc/shadow': 'root::19000:0:99999:7:::\n' }));
    catches('DD117', 'FROM debian:12\nRUN useradd -o -u 00 admin');
    catches('DD117', 'FROM alpine:3.19\nRUN adduser -D -u 0 admin');
    catches('DD117', 'FROM debian:12\nENV ADMIN_UID=0\nRUN useradd -o -u $ADMIN_UID ops', { line: 3 });
    passes('DD117', "FROM debian:12\nRUN echo 'root2:x:1000:1000::/home/root2:/bin/sh' >> /etc/passwd");
    passes('DD117', 'FROM debian:12\nRUN useradd -u 10000 root2 && usermod -u 1000 app');
    passes(
      'DD117',
      'FROM debian:12\nCOPY passwd /etc/passwd',
      ctx({ passwd: 'root:x:0:0:root:/root:/bin/bash\napp:x:1000:0::/home/app:/bin/sh\n' }),
    );
    passes(
      'DD117',
      'FROM debian:12\nCOPY shadow /etc/shadow',
      ctx({ shadow: 'root:*:19000:0:99999:7:::\napp:!:19000::::::\n' }),
    );
    passes(
      'DD117',
      "FROM debian:12\nRUN sed -i 's#^root:x:0:0:root:/root:/bin/bash#root:x:0:0:root:/root:/sbin/nologin#' /etc/passwd",
    );
    passes('DD117', "FROM debian:12\nRUN sed -i 's/:0:0:/:1000:1000:/' /etc/passwd");
    passes('DD117', "FROM alpine:3.19\nRUN echo 'root:!' | busybox chpasswd -e");
    passes('DD117', 'FROM debian:12\nENV APP_UID=10001\nRUN useradd -u $APP_UID app');
  });

  catches('DD117', "FROM debian:12\nRUN echo 'toor:pw:0:0::/root:/bin/sh' | newusers", { line: 2 });
  passes('DD117', "FROM debian:12\nRUN echo 'app:!:10001:10001::/home/app:/bin/sh' | newusers");

  catches('DD117', 'FROM alpine:3.19\nENV SETPW="busybox chpasswd"\nRUN echo "root:" | $SETPW', { line: 3 });
  passes('DD117', 'FROM alpine:3.19\nENV SETPW="busybox chpasswd"\nRUN echo "app:!" | $SETPW -e');
});

describe('DD117: attack review (getopt clusters, numbers, root hash written)', () => {
  // getopt: the uid may end a letter cluster (`-ou0`, `-ou 0`) or follow a long option's unambiguous start.
  catches('DD117', 'FROM debian:12\nRUN useradd -ou0 admin', { line: 2 });
  catches('DD117', 'FROM debian:12\nRUN usermod -ou 0 www-data');
  catches('DD117', 'FROM debian:12\nRUN useradd -Mou 0 admin');
  catches('DD117', 'FROM alpine\nRUN adduser -DHu 0 admin');
  // shadow's uid parser (strtol) reads +0 as 0.
  catches('DD117', 'FROM debian:12\nRUN useradd -o -u +0 admin');
  passes('DD117', 'FROM debian:12\nRUN useradd -ou 1000 admin');
  passes('DD117', 'FROM debian:12\nRUN useradd -mu1000 -s /bin/sh -c 0 admin');
  passes('DD117', 'FROM debian:12\nRUN useradd -o -u 10 admin');
  // A hash written for root is a root password set in the build.
  catches('DD117', "FROM debian:12\nRUN echo 'root:$6$abc$defghijk:19000:0:99999:7:::' > /etc/shadow", {
    line: 2,
  });
  passes('DD117', "FROM debian:12\nRUN echo 'root:*:19000:0:99999:7:::' > /etc/shadow");
  passes('DD117', "FROM debian:12\nRUN echo 'root:!:19000:0:99999:7:::' > /etc/shadow");
  passes('DD117', "FROM debian:12\nRUN echo 'root:x:0:0:root:/root:/bin/bash' > /etc/passwd");
});
