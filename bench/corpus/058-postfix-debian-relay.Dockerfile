FROM debian:bookworm-slim

ENV DEBIAN_FRONTEND=noninteractive

RUN echo "postfix postfix/main_mailer_type string 'Internet Site'" | debconf-set-selections \
  && echo "postfix postfix/mailname string mail.example.com" | debconf-set-selections \
  && apt update \
  && apt install -y --no-install-recommends \
      postfix \
      libsasl2-modules \
      ca-certificates \
      opendkim-tools \
      postfix-pcre \
  && rm -rf /var/lib/apt/lists/*

RUN postconf -e 'inet_interfaces = all' \
  && postconf -e 'smtp_sasl_auth_enable = yes' \
  && postconf -e 'relayhost = [smtp.sendgrid.net]:587'

COPY sasl_passwd /etc/postfix/sasl_passwd

EXPOSE 25 587

CMD service postfix start && tail -F /var/log/mail.log
