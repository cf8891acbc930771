FROM ubuntu:22.04
LABEL maintainer="platform@acme.io"
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update && \
    apt-get install -y --no-install-recommends samba smbclient && \
    rm -rf /var/lib/apt/lists/* /tmp/* /var/tmp/*
COPY smb.conf /etc/samba/smb.conf
EXPOSE 139 445
VOLUME ["/srv/share"]
CMD ["smbd", "--foreground", "--no-process-group", "--debug-stdout"]
