import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DL4000 MAINTAINER', () => {
  catches('DL4000', 'FROM debian:12\nMAINTAINER jane@example.com', { line: 2 });
  catches('DL4000', 'MAINTAINER Jane\nFROM debian:12', { line: 1 });
  passes('DL4000', 'FROM debian:12\nLABEL org.opencontainers.image.authors="jane@example.com"');
});
