FROM ubuntu:22.04

ENV DEBIAN_FRONTEND=noninteractive
ENV MARIADB_VERSION=10.11

RUN apt-get update && apt-get install -y curl sudo gnupg2 lsb-release
RUN curl -LsS https://r.mariadb.com/downloads/mariadb_repo_setup | sudo bash -s -- --mariadb-server-version="mariadb-${MARIADB_VERSION}"
RUN apt-get update && apt-get install -y mariadb-server mariadb-backup galera-4 socat

# let the mysql user restart services during SST
RUN echo "mysql ALL=(ALL) NOPASSWD: ALL" >> /etc/sudoers

COPY galera.cnf /etc/mysql/conf.d/galera.cnf
COPY init.sql /docker-entrypoint-initdb.d/
RUN mkdir -p /var/run/mysqld && chown mysql:mysql /var/run/mysqld && chmod 777 /var/run/mysqld

ENV MYSQL_ROOT_PASSWORD=galera-root-pw
EXPOSE 3306 4444 4567 4568
USER mysql
CMD ["mysqld", "--wsrep-new-cluster"]
