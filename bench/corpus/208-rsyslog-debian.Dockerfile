FROM debian:bookworm
ENV DEBIAN_FRONTEND=noninteractive
RUN apt update \
    && apt install rsyslog rsyslog-gnutls \
    && rm -rf /var/lib/apt/lists/*
COPY rsyslog.conf /etc/rsyslog.conf
EXPOSE 514/udp 514/tcp
CMD ["rsyslogd", "-n"]
