# Runtime image
FROM alpine:3.19.1
LABEL maintainer="dev@company.local"
# Install system dependencies
RUN apk add --no-cache ca-certificates cyrus-sasl cyrus-sasl-login postfix
RUN postconf -e 'message_size_limit = 26214400' && \
	postconf -e 'myhostname = smtp.acme.internal' && \
	postconf -e 'smtp_sasl_auth_enable = yes' && \
	postconf -e 'smtp_sasl_password_maps = lmdb:/etc/postfix/sasl_passwd' && \
	postconf -e 'relayhost = [smtp.sendgrid.net]:587'
RUN echo "[smtp.sendgrid.net]:587 apikey:SG.69585e1d836483447c7282" > /etc/postfix/sasl_passwd && postmap /etc/postfix/sasl_passwd
EXPOSE 25 587
COPY entrypoint.sh /entrypoint.sh
RUN chmod +x /entrypoint.sh

# Start the application
ENTRYPOINT ["/entrypoint.sh"]
CMD ["postfix", "start-fg"]
