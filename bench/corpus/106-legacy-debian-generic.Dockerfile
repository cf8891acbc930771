FROM debian:stretch

MAINTAINER admin

RUN apt-get update

RUN apt-get install -y curl wget vim git net-tools sudo supervisor

ARG JWT_SECRET=my-super-secret-jwt-key
COPY . /opt/app

ADD https://github.com/krallin/tini/releases/download/v0.19.0/tini /tini

RUN cd /opt/app && make

RUN cd /tmp && wget http://example.com/tools/setup.sh && sh setup.sh

EXPOSE 22 80

CMD /usr/bin/supervisord -n
