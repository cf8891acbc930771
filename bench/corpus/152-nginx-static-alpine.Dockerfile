FROM nginx:alpine

LABEL maintainer="dev@company.local"
RUN rm /etc/nginx/conf.d/default.conf
COPY site.conf /etc/nginx/conf.d/site.conf
COPY dist/ /usr/share/nginx/html
EXPOSE 80
