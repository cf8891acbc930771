FROM golang:1.22-alpine AS builder

RUN apk add --no-cache gcc git make

WORKDIR /workspace

COPY go.mod go.mod

COPY go.sum go.sum

RUN go mod download

COPY cmd/main.go cmd/main.go

COPY api/ api/
COPY internal/ internal/

RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o /bin/main .

FROM cgr.dev/chainguard/static:latest

COPY --from=builder /bin/main /main

EXPOSE 8081

ENTRYPOINT ["/main"]
