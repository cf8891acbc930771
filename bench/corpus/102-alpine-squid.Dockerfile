FROM alpine:3.19.1

LABEL maintainer="dev@company.local"
RUN apk update && apk add ca-certificates squid && rm -rf /var/cache/apk/*
COPY squid.conf /etc/squid/squid.conf
RUN mkdir -p /var/cache/squid && chown -R squid:squid /var/cache/squid
VOLUME ["/var/cache/squid"]
EXPOSE 3128
CMD ["squid", "-NYCd", "1"]
