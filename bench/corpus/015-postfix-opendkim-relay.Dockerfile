FROM debian:bookworm-slim

LABEL org.opencontainers.image.title="smtp-relay" \
      org.opencontainers.image.description="Outbound-only Postfix relay with DKIM signing"

ARG DEBIAN_FRONTEND=noninteractive
ENV RELAY_DOMAIN=example.com \
    DKIM_SELECTOR=mail

RUN set -eux; \
    echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections; \
    apt-get update; \
    apt-get install -y --no-install-recommends \
        ca-certificates \
        libsasl2-modules \
        opendkim \
        opendkim-tools \
        postfix \
        postfix-lmdb \
        tini \
    ; \
    rm -rf /var/lib/apt/lists/*; \
    # postfix refuses to start without a main.cf
    cp /usr/share/postfix/main.cf.dist /etc/postfix/main.cf

RUN set -eux; \
    postconf -e "maillog_file = /dev/stdout"; \
    postconf -e "inet_interfaces = all"; \
    postconf -e "smtpd_relay_restrictions = permit_mynetworks, reject"; \
    postconf -e "smtp_tls_security_level = may"; \
    postconf -e "milter_default_action = accept"; \
    postconf -e "smtpd_milters = inet:localhost:8891"; \
    postconf -e "non_smtpd_milters = \$smtpd_milters"; \
    postconf -M submission/inet="submission inet n - y - - smtpd"

COPY opendkim.conf /etc/opendkim.conf
COPY --chmod=0755 entrypoint.sh /usr/local/bin/entrypoint.sh

VOLUME ["/var/spool/postfix", "/etc/opendkim/keys"]
EXPOSE 25 587

HEALTHCHECK --interval=30s --timeout=5s CMD postfix status || exit 1
ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/entrypoint.sh"]
CMD ["postfix", "start-fg"]
