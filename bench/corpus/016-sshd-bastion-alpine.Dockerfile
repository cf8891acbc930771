FROM alpine:3.19

RUN apk add --no-cache openssh-server openssh-keygen google-authenticator openssh-server-pam tini \
    && ssh-keygen -A \
    && addgroup -S bastion \
    && adduser -S -D -s /bin/sh -G bastion jump \
    && passwd -u jump \
    && mkdir -p /home/jump/.ssh \
    && chmod 700 /home/jump/.ssh

COPY sshd_config /etc/ssh/sshd_config
COPY --chown=jump:bastion authorized_keys /home/jump/.ssh/authorized_keys

# No shells for forwarding-only users; keys only; no root.
RUN sed -i -e 's/^#\?PermitRootLogin.*/PermitRootLogin no/' \
           -e 's/^#\?PasswordAuthentication.*/PasswordAuthentication no/' \
           -e 's/^#\?AllowTcpForwarding.*/AllowTcpForwarding yes/' /etc/ssh/sshd_config \
    && chmod 600 /home/jump/.ssh/authorized_keys

EXPOSE 22
ENTRYPOINT ["/sbin/tini", "--"]
CMD ["/usr/sbin/sshd", "-D", "-e"]
