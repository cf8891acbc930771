import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DL3062 go version pinning', () => {
  catches('DL3062', 'FROM golang:1.22\nRUN go install example.com/cmd/tool', { line: 2 });
  catches('DL3062', 'FROM golang:1.22\nONBUILD RUN go install example.com/cmd/tool@latest');
  catches('DL3062', 'FROM golang:1.22\nRUN go get -u example.com/pkg');
  catches('DL3062', 'FROM golang:1.22\nRUN go get -tool stringer');
  catches('DL3062', 'FROM golang:1.22\nRUN go run example.com/cmd/gen@master -out x.go');
  catches('DL3062', 'FROM golang:1.22\nRUN go install -ldflags "-s -w" example.com/a@v1.0.0 example.com/b');
  passes('DL3062', 'FROM golang:1.22\nRUN go install example.com/cmd/tool@v1.2.3');
  passes('DL3062', 'FROM golang:1.22\nRUN go run example.com/cmd/gen@v1.2.3 --out example.com/x');
  passes('DL3062', 'FROM golang:1.22\nRUN go install ./cmd/... && go install /src/app && go install .');
  passes('DL3062', 'FROM golang:1.22\nRUN go run main.go serve && go run .');
  passes('DL3062', 'FROM golang:1.22\nARG V\nRUN go install example.com/cmd/tool@${V}');
  passes('DL3062', 'FROM golang:1.22\nRUN go get example.com/old@none');
  passes('DL3062', 'FROM golang:1.22\nRUN go build -o /app ./cmd/app && go mod download');
});
