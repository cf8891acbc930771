import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DL3021 COPY with several sources', () => {
  catches('DL3021', 'FROM debian:12\nCOPY a b /dest', { line: 2 });
  catches('DL3021', 'FROM debian:12\nCOPY a b "dest"');
  catches('DL3021', 'FROM debian:12\nCOPY ["a", "b", "dest"]');
  catches('DL3021', 'FROM debian:12\nCOPY --chown=1:1 \\\n  a \\\n  b \\\n  /dest');
  passes('DL3021', 'FROM debian:12\nCOPY a /dest');
  passes('DL3021', 'FROM debian:12\nCOPY a b /dest/');
  passes('DL3021', 'FROM debian:12\nCOPY a b "dest/"');
  passes('DL3021', 'FROM debian:12\nCOPY a b $DEST');
  passes(
    'DL3021',
    '# syntax=docker/dockerfile:1\nFROM debian:12\nCOPY <<EOF /etc/app.conf\nkey = value\nmore words\nEOF',
  );
});
