import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DD110 curl piped into a shell', () => {
  catches('DD110', 'FROM debian:12\nRUN curl -fsSL https://get.example.com | sh', { line: 2 });
  catches('DD110', 'FROM debian:12\nRUN wget -qO- https://x.example/install.sh | sudo -E bash -s -- --yes');
  catches('DD110', 'FROM debian:12\nRUN curl -sL https://x.example/i.sh | tee /tmp/i.sh | bash');
  catches('DD110', 'FROM debian:12\nRUN bash <(curl -s https://x.example/i.sh)');
  catches('DD110', 'FROM debian:12\nRUN sh -c "$(curl -fsSL https://x.example/i.sh)"');
  catches('DD110', 'FROM debian:12\nRUN eval "$(wget -O- https://x.example/env)"');
  catches('DD110', 'FROM debian:12\nRUN apt-get update && \\\n    curl https://x.example/i.sh | python3 -', {
    line: 3,
  });
  catches('DD110', "FROM debian:12\nRUN sh -c 'curl https://x.example/i.sh | sh'");
  catches('DD110', 'FROM debian:12\nRUN ["/bin/bash", "-c", "curl -s https://x.example/i.sh | bash"]');
  catches(
    'DD110',
    '# syntax=docker/dockerfile:1\nFROM debian:12\nRUN <<EOF\nset -e\ncurl -fsSL https://x.example/i.sh | sh\nEOF',
    {
      line: 5,
    },
  );
  catches('DD110', 'FROM debian:12\nONBUILD RUN curl https://x.example/i.sh | sh');
  passes(
    'DD110',
    'FROM debian:12\nRUN curl -fsSLo /tmp/i.sh https://x.example/i.sh && sha256sum -c i.sha256 && sh /tmp/i.sh',
  );
  passes(
    'DD110',
    'FROM debian:12\nRUN curl -fsSL https://x.example/key.asc | gpg --dearmor -o /usr/share/keyrings/x.gpg',
  );
  passes('DD110', 'FROM debian:12\nRUN curl -fsSL https://x.example/a.tgz | tar -xz -C /opt');
  passes('DD110', 'FROM debian:12\nRUN echo "curl https://x | sh" > /README');
  passes('DD110', 'FROM debian:12\nRUN cat <<EOF > /etc/motd\ncurl https://x | sh\nEOF');
});
