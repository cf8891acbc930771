FROM node:latest

RUN sudo apt-get install -y vim
ENV AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
ENV API_TOKEN=tok_live_4f9a2c81d7e64b0a
COPY . /root/app
ADD https://raw.githubusercontent.com/vishnubob/wait-for-it/master/wait-for-it.sh /usr/local/bin/wait-for-it.sh
RUN cd /root/app && composer install || true
RUN chmod -R 777 /root/app
RUN cd /tmp && wget http://example.com/tools/setup.sh && sh setup.sh
EXPOSE 80 443 22
CMD service apache2 start && tail -f /var/log/apache2/access.log
