import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DL3009 apt lists left in the image', () => {
  catches('DL3009', 'FROM debian:12\nRUN apt-get update && apt-get install -y curl', { line: 2 });
  catches('DL3009', 'FROM debian:12\nRUN apt update && apt install -y curl');
  catches('DL3009', 'FROM debian:12\nRUN aptitude update && aptitude install -y curl');
  catches(
    'DL3009',
    'FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl && rm -rf /var/lib/apt/lists/*',
    {
      line: 2,
    },
  );
  catches(
    'DL3009',
    'FROM debian:12\nRUN rm -rf /var/lib/apt/lists/* && apt-get update && apt-get install -y curl',
  );
  catches('DL3009', 'FROM debian:12\nRUN apt-get update && rm -rf /var/lib/apt/lists/* && apt-get update');
  catches('DL3009', 'FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /tmp/*');
  catches(
    'DL3009',
    'FROM debian:12 AS base\nRUN apt-get update && apt-get install -y curl\nFROM base\nRUN true',
  );
  catches('DL3009', 'FROM debian:12 AS a\nRUN apt-get update\nFROM a AS b\nRUN true\nFROM b\nRUN true', {
    line: 2,
  });
  catches(
    'DL3009',
    'FROM debian:12 AS build\nONBUILD RUN apt-get update\nFROM scratch\nCOPY --from=build /x /x',
  );
  catches(
    'DL3009',
    'FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt apt-get update && apt-get install -y curl',
  );
  catches('DL3009', 'FROM debian:12\nRUN --mount=type=bind,target=/var/lib/apt/lists apt-get update');
  passes(
    'DL3009',
    'FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*',
  );
  passes(
    'DL3009',
    'FROM debian:12\nRUN apt-get update && apt-get install -y curl && sudo rm -fr /var/lib/apt/lists',
  );
  passes(
    'DL3009',
    'FROM debian:12\nRUN apt-get update && apt-get install -y curl \\\n && rm -rf /var/lib/apt/lists/* /tmp/*',
  );
  passes(
    'DL3009',
    'FROM debian:12 AS build\nRUN apt-get update && apt-get install -y gcc\nFROM scratch\nCOPY --from=build /out /out',
  );
  passes(
    'DL3009',
    'FROM debian:12 AS a\nRUN apt-get update\nFROM a AS b\nRUN make\nFROM scratch\nCOPY --from=b /out /out',
  );
  passes(
    'DL3009',
    'FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && apt-get install -y curl',
  );
  passes(
    'DL3009',
    'FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt --mount=type=tmpfs,target=/var/lib/apt apt-get update',
  );
  passes('DL3009', 'FROM debian:12\nRUN apt-get install -y ./tool.deb');
  passes('DL3009', 'FROM debian:12\nRUN apt-cache search update');
});
