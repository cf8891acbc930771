FROM ubuntu:24.04
RUN apt-get update \
    && apt-get install -y --no-install-recommends db-util vsftpd \
    && apt-get clean && rm -rf /var/lib/apt/lists/* \
    && mkdir -p /var/run/vsftpd/empty
COPY vsftpd.conf /etc/vsftpd.conf
EXPOSE 20 21 21100-21110
CMD ["/usr/sbin/vsftpd", "/etc/vsftpd.conf"]
