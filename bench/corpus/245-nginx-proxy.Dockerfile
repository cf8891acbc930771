from nginx:latest
run rm /etc/nginx/conf.d/default.conf
copy conf.d/ /etc/nginx/conf.d/
copy certs/ /etc/nginx/certs/
expose 80 443
