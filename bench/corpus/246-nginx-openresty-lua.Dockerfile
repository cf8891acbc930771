FROM openresty/openresty:1.21.4.3-bookworm
RUN luarocks install lua-resty-jwt && luarocks install lua-resty-http
COPY nginx.conf /usr/local/openresty/nginx/conf/nginx.conf
COPY lua/ /usr/local/openresty/nginx/lua/
EXPOSE 8080
CMD ["/usr/local/openresty/bin/openresty", "-g", "daemon off;"]
