import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DL3044 ENV referring to a variable it defines', () => {
  catches('DL3044', 'FROM debian:12\nENV APP=/opt/app BIN="${APP}/bin"', { line: 2 });
  catches('DL3044', 'FROM debian:12\nENV APP=/opt/app BIN=$APP/bin');
  catches('DL3044', 'FROM debian:12\nENV PATH=/a:${PATH} PATH=/b:${PATH}');
  catches('DL3044', 'FROM debian:12\nENV APP=/opt/app \\\n    BIN=${APP:-/usr}/bin');
  passes('DL3044', 'FROM debian:12\nENV APP=/opt/app\nENV BIN=${APP}/bin');
  passes('DL3044', 'FROM debian:12\nENV PATH=/opt/bin:${PATH}');
  passes('DL3044', 'FROM debian:12\nENV APP=/opt/app BIN=$APPDIR/bin');
  passes('DL3044', "FROM debian:12\nENV APP=/opt/app MSG='$APP stays literal'");
  passes('DL3044', 'FROM debian:12\nENV APP=/opt/app MSG=\\$APP');
  passes('DL3044', 'FROM debian:12\nENV APP /opt/$APP');
});
