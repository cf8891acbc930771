FROM golang:1.22-alpine AS build
WORKDIR /src

COPY go.mod go.sum ./

RUN go mod download

COPY . .
RUN CGO_ENABLED=0 GOOS=linux go build -o /out/app .

FROM alpine:3.18
RUN apk update && apk add curl tzdata && rm -rf /var/cache/apk/*
COPY --from=build /out/app /usr/local/bin/app

EXPOSE 9100

ENTRYPOINT ["/usr/local/bin/app"]

CMD ["serve"]
