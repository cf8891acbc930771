FROM alpine:latest

RUN apk add --no-cache chrony tzdata
COPY chrony.conf /etc/chrony/chrony.conf
RUN mkdir -p /var/lib/chrony && chown -R chrony:chrony /var/lib/chrony
VOLUME ["/var/lib/chrony"]
EXPOSE 123/udp
CMD ["chronyd", "-d", "-x"]
