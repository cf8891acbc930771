import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DL3013 pip install without versions', () => {
  catches('DL3013', 'FROM python:3.12\nRUN pip install flask', { line: 2 });
  catches('DL3013', 'FROM python:3.12\nRUN pip3 install --no-cache-dir flask==3.0.3 gunicorn');
  catches('DL3013', 'FROM python:3.12\nRUN pip3.12 install --upgrade pip');
  catches('DL3013', 'FROM python:3.12\nRUN python3 -m pip install --user httpx');
  catches('DL3013', 'FROM python:3.12\nRUN /opt/venv/bin/pip install "requests[socks]"');
  catches('DL3013', 'FROM python:3.12\nRUN pip install --index-url https://pypi.example.com/simple flask');
  catches('DL3013', 'FROM python:3.12\nRUN pip install --root-user-action=ignore flask');
  catches('DL3013', 'FROM python:3.12\nRUN pip install -r requirements.txt flask');
  catches('DL3013', 'FROM python:3.12\nRUN pip install git+https://github.com/org/lib.git#egg=lib');
  catches('DL3013', 'FROM python:3.12\nRUN pip install git+ssh://git@github.com/org/lib.git#egg=lib');
  catches('DL3013', 'FROM python:3.12\nRUN pipx install black');
  catches('DL3013', 'FROM python:3.12\nONBUILD RUN pip install flask');
  passes(
    'DL3013',
    'FROM python:3.12\nRUN pip install flask==3.0.3 "django>=4.2,<5" pandas~=2.2 "uvicorn[standard]===0.30.1"',
  );
  passes('DL3013', 'FROM python:3.12\nRUN pip install "alabaster<0.7" "sphinx!=7.0"');
  passes('DL3013', 'FROM python:3.12\nRUN pip install -r requirements.txt');
  passes('DL3013', 'FROM python:3.12\nRUN pip install --requirement=requirements/prod.txt');
  passes('DL3013', 'FROM python:3.12\nRUN pip install flask gunicorn -c constraints.txt');
  passes('DL3013', 'FROM python:3.12\nRUN pip install --constraint=https://example.com/c.txt flask');
  passes(
    'DL3013',
    'FROM python:3.12\nRUN pip install . && pip install -e ".[dev]" && pip install ./libs/core',
  );
  passes('DL3013', 'FROM python:3.12\nRUN pip install dist/app-1.0-py3-none-any.whl app-1.0.tar.gz');
  passes('DL3013', 'FROM python:3.12\nRUN pip install git+https://github.com/org/lib.git@v1.2.0#egg=lib');
  passes('DL3013', 'FROM python:3.12\nRUN pip install "lib @ git+https://github.com/org/lib.git@v1.2.0"');
  passes('DL3013', 'FROM python:3.12\nRUN pip install https://example.com/pkgs/lib-1.0.zip');
  passes(
    'DL3013',
    'FROM python:3.12\nRUN pip install --target /opt/lib --trusted-host pypi.example.com lib==1.0',
  );
  passes(
    'DL3013',
    'FROM python:3.12\nRUN pip install --root-user-action ignore --python-version 3.12 lib==1.0',
  );
  passes('DL3013', 'FROM python:3.12\nRUN pip install "$PACKAGE" "flask==${FLASK_VERSION}"');
  passes('DL3013', 'FROM python:3.12\nRUN pipx install --python "$(which python3)" poetry==1.8.5');
  passes(
    'DL3013',
    'FROM python:3.12\nRUN pipenv install black && pip download flask && pip uninstall -y flask',
  );
  passes('DL3013', 'FROM python:3.12\nRUN python3 setup.py install && python3 -c "import pip"');
});
