import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DL3010 ADD for extracting archives', () => {
  catches('DL3010', 'FROM debian:12\nCOPY app.tar.gz /opt/\nRUN tar -xzf /opt/app.tar.gz -C /opt', {
    line: 2,
  });
  catches('DL3010', 'FROM debian:12\nCOPY dist/app.tar /app.tar\nRUN tar xf /app.tar');
  catches(
    'DL3010',
    'FROM debian:12\nCOPY app.tgz /tmp\nWORKDIR /tmp\nRUN make deps && tar --extract --file=app.tgz',
  );
  catches(
    'DL3010',
    'FROM debian:12\nCOPY build\\app.tar.xz "C:\\Program Files\\app.tar.xz"\nRUN tar -xf app.tar.xz',
  );
  passes('DL3010', 'FROM debian:12\nCOPY app.tar.gz /opt/');
  passes('DL3010', 'FROM debian:12\nCOPY --from=build /out/app.tar /opt/\nRUN tar -xf /opt/app.tar');
  passes('DL3010', 'FROM debian:12\nCOPY app.tar /opt/\nRUN tar -tf /opt/app.tar');
  passes('DL3010', 'FROM debian:12\nCOPY app.tar /opt/\nFROM debian:12\nRUN tar -xf /opt/app.tar');
  passes('DL3010', 'FROM debian:12\nCOPY app.zip /opt/\nRUN unzip /opt/app.zip');
  passes('DL3010', 'FROM debian:12\nCOPY other.tar /opt/\nRUN tar -xf /opt/app.tar');
});
