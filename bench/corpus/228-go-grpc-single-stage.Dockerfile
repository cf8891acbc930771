# syntax=docker/dockerfile:1.7
FROM golang:1.23-alpine

LABEL maintainer="dev@company.local"
WORKDIR /app

COPY . .

RUN go build -o /manager ./cmd/manager

EXPOSE 9090
CMD ["/manager"]
