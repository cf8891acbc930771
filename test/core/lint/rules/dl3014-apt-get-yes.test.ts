import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DL3014 apt-get install without -y', () => {
  catches('DL3014', 'FROM debian:12\nRUN apt-get install curl', { line: 2 });
  catches('DL3014', 'FROM debian:12\nRUN apt-get update && apt-get install -q curl');
  catches('DL3014', 'FROM debian:12\nRUN apt-get install --quiet --no-install-recommends curl');
  catches('DL3014', 'FROM debian:12\nRUN apt-get -o APT::Get::Assume-Yes=false install curl');
  catches('DL3014', 'FROM debian:12\nRUN echo y && apt-get install curl');
  catches('DL3014', 'FROM debian:12\nONBUILD RUN apt-get install curl');
  passes('DL3014', 'FROM debian:12\nRUN apt-get install -y curl');
  passes('DL3014', 'FROM debian:12\nRUN apt-get -y install curl');
  passes('DL3014', 'FROM debian:12\nRUN apt-get install -qqy curl');
  passes('DL3014', 'FROM debian:12\nRUN apt-get --yes install curl');
  passes('DL3014', 'FROM debian:12\nRUN apt-get --assume-yes install curl');
  passes('DL3014', 'FROM debian:12\nRUN apt-get install -qq curl');
  passes('DL3014', 'FROM debian:12\nRUN apt-get install -q -q curl');
  passes('DL3014', 'FROM debian:12\nRUN apt-get install -q=2 curl');
  passes('DL3014', 'FROM debian:12\nRUN apt-get install --quiet --quiet curl');
  passes('DL3014', 'FROM debian:12\nRUN apt-get -o APT::Get::Assume-Yes=true install curl');
  passes('DL3014', 'FROM debian:12\nRUN yes | apt-get install curl');
  passes('DL3014', 'FROM debian:12\nRUN apt-get update && apt-get source curl');
});
