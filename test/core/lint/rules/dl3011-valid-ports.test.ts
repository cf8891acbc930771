import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DL3011 valid ports', () => {
  catches('DL3011', 'FROM debian:12\nEXPOSE 80000', { line: 2 });
  catches('DL3011', 'FROM debian:12\nEXPOSE 80 65536/udp');
  catches('DL3011', 'FROM debian:12\nEXPOSE 40000-70000/tcp');
  passes('DL3011', 'FROM debian:12\nEXPOSE 0 80 65535/udp');
  passes('DL3011', 'FROM debian:12\nEXPOSE 40000-60000/tcp');
  passes('DL3011', 'FROM debian:12\nEXPOSE ${PORT}');
  passes('DL3011', 'FROM debian:12\nEXPOSE 40000-${LAST_PORT}');
});
