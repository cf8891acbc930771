import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DL3043 forbidden ONBUILD triggers', () => {
  catches('DL3043', 'FROM debian:12\nONBUILD ONBUILD RUN make', { line: 2 });
  catches('DL3043', 'FROM debian:12\nONBUILD FROM debian:12');
  catches('DL3043', 'FROM debian:12\nONBUILD MAINTAINER "Jane Doe"');
  passes('DL3043', 'FROM debian:12\nONBUILD RUN make');
  passes('DL3043', 'FROM debian:12\nONBUILD COPY . /src');
  passes('DL3043', 'FROM debian:12\nMAINTAINER Jane');
});
