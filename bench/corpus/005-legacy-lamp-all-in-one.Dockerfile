FROM ubuntu:latest
MAINTAINER webmaster <webmaster@example.com>

ENV DEBIAN_FRONTEND noninteractive
ENV MYSQL_ROOT_PASSWORD=root
ENV ADMIN_PASSWORD=admin123

RUN apt-get update
RUN apt-get -y upgrade
RUN apt-get -y install apache2 mysql-server php libapache2-mod-php php-mysql php-gd php-xml php-mbstring \
    curl wget git unzip vim openssh-server supervisor sudo cron

# enable ssh so the devs can get in
RUN mkdir /var/run/sshd
RUN echo "root:$ADMIN_PASSWORD" | chpasswd
RUN sed -i 's/#PermitRootLogin prohibit-password/PermitRootLogin yes/' /etc/ssh/sshd_config
RUN useradd -m dev && echo "dev:dev" | chpasswd && usermod -aG sudo dev
RUN echo "dev ALL=(ALL) NOPASSWD: ALL" >> /etc/sudoers

# composer
RUN curl -sS https://getcomposer.org/installer | php -- --install-dir=/usr/local/bin --filename=composer

# node for the asset pipeline
RUN curl -sL https://deb.nodesource.com/setup_16.x | bash -
RUN apt-get install -y nodejs

RUN a2enmod rewrite
ADD 000-default.conf /etc/apache2/sites-available/000-default.conf
ADD http://example.com/downloads/phpMyAdmin-5.2.1-all-languages.zip /tmp/pma.zip
RUN cd /tmp && unzip pma.zip && mv phpMyAdmin-5.2.1-all-languages /var/www/html/phpmyadmin

ADD . /var/www/html
RUN cd /var/www/html && composer install && npm install && npm run prod
RUN chmod -R 777 /var/www/html
RUN chown -R www-data:www-data /var/www/html

# database
RUN service mysql start && mysql -uroot -e "CREATE DATABASE app; CREATE USER 'app'@'%' IDENTIFIED BY 'app'; GRANT ALL ON app.* TO 'app'@'%';"
RUN service mysql start && mysql -uroot app < /var/www/html/database/dump.sql

ADD supervisord.conf /etc/supervisor/conf.d/supervisord.conf
ADD crontab /etc/cron.d/app
RUN chmod 0644 /etc/cron.d/app

EXPOSE 22 80 443 3306
VOLUME /var/lib/mysql

CMD /usr/bin/supervisord -n -c /etc/supervisor/conf.d/supervisord.conf
