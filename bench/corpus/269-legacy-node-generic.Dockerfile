FROM node:latest

MAINTAINER admin

ADD . /var/www/html

RUN cd /var/www/html && make
RUN chmod -R 777 /var/www/html

RUN cd /tmp && wget http://example.com/tools/setup.sh && sh setup.sh

USER root

EXPOSE 22 80

CMD /usr/bin/supervisord -n
