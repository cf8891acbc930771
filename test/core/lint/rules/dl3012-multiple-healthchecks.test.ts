import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DL3012 multiple HEALTHCHECK', () => {
  catches('DL3012', 'FROM debian:12\nHEALTHCHECK CMD /bin/a\nHEALTHCHECK CMD /bin/b', { line: 3 });
  catches('DL3012', 'FROM debian:12\nHEALTHCHECK NONE\nRUN make\nHEALTHCHECK CMD ["/bin/b"]');
  passes('DL3012', 'FROM debian:12\nHEALTHCHECK CMD /bin/a');
  passes('DL3012', 'FROM debian:12\nHEALTHCHECK CMD /bin/a\nFROM debian:12\nHEALTHCHECK CMD /bin/b');
  passes('DL3012', 'FROM debian:12\nHEALTHCHECK CMD /bin/a\nONBUILD HEALTHCHECK CMD /bin/b');
  passes('DL3012', 'FROM debian:12');
});
