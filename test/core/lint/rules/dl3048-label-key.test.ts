import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DL3048 label keys', () => {
  catches('DL3048', 'FROM debian:12\nLABEL com.docker.extension="x"', { line: 2 });
  catches('DL3048', 'FROM debian:12\nLABEL version=1 my_key="x"');
  catches('DL3048', 'FROM debian:12\nLABEL .hidden="x"');
  catches('DL3048', 'FROM debian:12\nLABEL 1st="x"');
  catches('DL3048', 'FROM debian:12\nLABEL trailing-="x"');
  catches('DL3048', 'FROM debian:12\nLABEL org..example="x"');
  catches('DL3048', 'FROM debian:12\nLABEL Maintainer="Jane"');
  passes('DL3048', 'FROM debian:12\nLABEL org.opencontainers.image.source="https://example.com/repo"');
  passes('DL3048', 'FROM debian:12\nLABEL com.example.build-id3="x" maintainer="Jane"');
  catches('DL3048', 'FROM debian:12\nLABEL invalid$character="x"');
  passes('DL3048', 'ARG PREFIX=com.example\nFROM debian:12\nLABEL ${PREFIX}.version="1"');
});
