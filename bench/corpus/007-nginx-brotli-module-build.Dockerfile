# Dynamic brotli module built against the exact nginx version in the base image.
ARG NGINX_VERSION=1.25.4

FROM nginx:${NGINX_VERSION}-alpine AS builder
ARG NGINX_VERSION
ARG NGX_BROTLI_COMMIT=6e975bcb015f62e1f303054897783355e2a877dc

RUN apk add --no-cache --virtual .build-deps \
        gcc \
        libc-dev \
        make \
        openssl-dev \
        pcre2-dev \
        zlib-dev \
        linux-headers \
        brotli-dev \
        git \
        curl

WORKDIR /usr/src
RUN set -eux; \
    curl -fsSL "https://nginx.org/download/nginx-${NGINX_VERSION}.tar.gz" -o nginx.tar.gz; \
    tar -xzf nginx.tar.gz; \
    git clone --recurse-submodules -j8 https://github.com/google/ngx_brotli.git; \
    cd ngx_brotli && git checkout "${NGX_BROTLI_COMMIT}" && cd ..; \
    # reuse the configure arguments the packaged nginx was built with
    CONFARGS="$(nginx -V 2>&1 | sed -n -e 's/^.*arguments: //p')"; \
    cd "nginx-${NGINX_VERSION}"; \
    eval ./configure --with-compat $CONFARGS --add-dynamic-module=../ngx_brotli; \
    make modules; \
    mkdir -p /out; \
    cp objs/ngx_http_brotli_filter_module.so objs/ngx_http_brotli_static_module.so /out/

FROM nginx:${NGINX_VERSION}-alpine
RUN apk add --no-cache brotli-libs
COPY --from=builder /out/*.so /usr/lib/nginx/modules/
RUN sed -i '1i load_module modules/ngx_http_brotli_filter_module.so;\nload_module modules/ngx_http_brotli_static_module.so;' /etc/nginx/nginx.conf \
    && nginx -t

COPY conf.d/ /etc/nginx/conf.d/
COPY --chown=nginx:nginx dist/ /usr/share/nginx/html/

EXPOSE 80
STOPSIGNAL SIGQUIT
HEALTHCHECK --interval=15s --timeout=3s CMD wget -q --spider http://127.0.0.1/ || exit 1
