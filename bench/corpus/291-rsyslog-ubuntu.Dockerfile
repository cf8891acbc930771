FROM ubuntu:20.04
RUN apt-get update && \
  apt-get install -y rsyslog rsyslog-gnutls && \
  rm -rf /var/lib/apt/lists/*
COPY rsyslog.conf /etc/rsyslog.conf
EXPOSE 514/udp 514/tcp
CMD ["rsyslogd", "-n"]
