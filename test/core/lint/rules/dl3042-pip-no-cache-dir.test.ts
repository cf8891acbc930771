import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DL3042 pip install with its cache', () => {
  catches('DL3042', 'FROM python:3.12\nRUN pip install flask==3.0.3', { line: 2 });
  catches('DL3042', 'FROM python:3.12\nRUN python3 -m pip install -r requirements.txt');
  catches('DL3042', 'FROM python:3.12\nRUN pip3 install --no-cache-dir a==1 && pip3 install b==1', {
    line: 2,
  });
  catches('DL3042', 'FROM python:3.12\nENV PIP_NO_CACHE_DIR=false\nRUN pip install flask==3.0.3');
  catches('DL3042', 'FROM python:3.12\nRUN PIP_NO_CACHE_DIR=0 pip install flask==3.0.3');
  catches('DL3042', 'FROM python:3.12\nRUN export PIP_NO_CACHE_DIR=off && pip install flask==3.0.3');
  catches(
    'DL3042',
    'FROM python:3.12\nENV PIP_NO_CACHE_DIR=1\nRUN PIP_NO_CACHE_DIR=no pip install flask==3.0.3',
  );
  catches(
    'DL3042',
    'FROM python:3.12 AS a\nENV PIP_NO_CACHE_DIR=1\nFROM python:3.12\nRUN pip install flask==3.0.3',
  );
  catches('DL3042', 'FROM python:3.12\nRUN pip install flask==3.0.3\nENV PIP_NO_CACHE_DIR=1', { line: 2 });
  catches(
    'DL3042',
    'FROM python:3.12\nRUN --mount=type=cache,target=/var/cache/other pip install flask==3.0.3',
  );
  catches('DL3042', 'FROM python:3.12\nONBUILD RUN pip install flask==3.0.3');
  passes('DL3042', 'FROM python:3.12\nRUN pip install --no-cache-dir flask==3.0.3');
  passes('DL3042', 'FROM python:3.12\nRUN pip install flask==3.0.3 --no-cache-dir');
  passes('DL3042', 'FROM python:3.12\nRUN python -m pip --no-cache-dir install flask==3.0.3');
  passes('DL3042', 'FROM python:3.12\nENV PIP_NO_CACHE_DIR=1\nRUN pip install flask==3.0.3');
  passes('DL3042', 'FROM python:3.12\nENV PIP_NO_CACHE_DIR yes\nRUN pip install flask==3.0.3');
  passes('DL3042', 'FROM python:3.12\nARG PIP_NO_CACHE_DIR=true\nRUN pip install flask==3.0.3');
  passes(
    'DL3042',
    'FROM python:3.12 AS base\nENV PIP_NO_CACHE_DIR=on\nFROM base AS app\nRUN pip install flask==3.0.3',
  );
  passes('DL3042', 'FROM python:3.12\nRUN PIP_NO_CACHE_DIR=1 pip install flask==3.0.3');
  passes('DL3042', 'FROM python:3.12\nRUN env PIP_NO_CACHE_DIR=1 pip install flask==3.0.3');
  passes('DL3042', 'FROM python:3.12\nRUN export PIP_NO_CACHE_DIR=1 && pip install flask==3.0.3');
  passes(
    'DL3042',
    'FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache/pip pip install flask==3.0.3',
  );
  passes(
    'DL3042',
    'FROM python:3.12\nRUN --mount=type=tmpfs,target=/home/app/.cache pip install flask==3.0.3',
  );
  passes('DL3042', 'FROM python:3.12\nRUN pipx install black==24.4.2 && pipenv install && pip freeze');
});
