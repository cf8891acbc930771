FROM ubuntu:22.04 AS builder

RUN for iter in 1 2 3 4 5 6 7 8 9 10; do \
		apt-get update && \
		apt-get install -y --no-install-recommends curl ca-certificates && \
		exit_code=0 && break || \
		exit_code=$? && echo "apt-get error: retry $iter in 10s" && sleep 10; \
	done && \
	exit $exit_code

ENV TINI_VERSION v0.19.0

RUN case "$(arch)" in \
		aarch64) tini_bin='tini-arm64'; tini_sum='8c266946d36a4fef996f05a9ec6fed462243ec7c874314ff9619d6231e28b06f' ;; \
		x86_64) tini_bin='tini-amd64'; tini_sum='eea1e6a0c14736a102738413c461b79ac8b089aaed7e77f646319689197677df' ;; \
		*) echo >&2 "Unsupported architecture $(arch)"; exit 1 ;; \
	esac && \
	curl --retry 10 -S -L -O "https://github.com/krallin/tini/releases/download/$TINI_VERSION/${tini_bin}" && \
	echo "${tini_sum}  ${tini_bin}" | sha256sum -c - && \
	mv ${tini_bin} /bin/tini && \
	chmod 0555 /bin/tini

RUN mkdir /usr/share/elasticsearch

WORKDIR /usr/share/elasticsearch

ENV ES_VERSION 8.14.4

RUN set -eux; \
	case "$(arch)" in aarch64) esArch='aarch64' ;; x86_64) esArch='x86_64' ;; *) exit 1 ;; esac; \
	curl --retry 10 -S -L --output /tmp/elasticsearch.tar.gz "https://artifacts.elastic.co/downloads/elasticsearch/elasticsearch-$ES_VERSION-linux-$esArch.tar.gz"; \
	curl --retry 10 -S -L --output /tmp/elasticsearch.tar.gz.sha512 "https://artifacts.elastic.co/downloads/elasticsearch/elasticsearch-$ES_VERSION-linux-$esArch.tar.gz.sha512"; \
	cd /tmp && echo "$(cut -d' ' -f1 elasticsearch.tar.gz.sha512)  elasticsearch.tar.gz" | sha512sum -c - && cd -; \
	tar -zxf /tmp/elasticsearch.tar.gz --strip-components=1; \
	rm /tmp/elasticsearch.tar.gz /tmp/elasticsearch.tar.gz.sha512

RUN set -eux; \
	sed -i -e 's/ES_DISTRIBUTION_TYPE=tar/ES_DISTRIBUTION_TYPE=docker/' bin/elasticsearch-env; \
	mkdir data; \
	mv config/jvm.options config/jvm.options.orig; \
	find . -type f -name '*.options' -exec sed -i -e 's/^-XX:+HeapDumpOnOutOfMemoryError$/# &/' {} +; \
	find . -type d -exec chmod 0555 {} +; \
	find . -type f -exec chmod 0444 {} +; \
	chmod 0555 bin/* jdk/bin/* jdk/lib/jspawnhelper modules/x-pack-ml/platform/linux-*/bin/*; \
	chmod 0775 bin config config/jvm.options.d data logs plugins; \
	find config -type f -exec chmod 0664 {} +

COPY --chmod=664 <<'EOF' config/elasticsearch.yml
cluster.name: "docker-cluster"
network.host: 0.0.0.0
EOF

COPY --chmod=664 <<'EOF' config/log4j2.properties
status = error
appender.rolling.type = Console
appender.rolling.name = rolling
appender.rolling.layout.type = ECSJsonLayout
appender.rolling.layout.dataset = elasticsearch.server
rootLogger.level = info
rootLogger.appenderRef.rolling.ref = rolling
EOF

FROM ubuntu:22.04

ENV ELASTIC_CONTAINER true

RUN for iter in 1 2 3 4 5 6 7 8 9 10; do \
		export DEBIAN_FRONTEND=noninteractive && \
		apt-get update && \
		apt-get upgrade -y && \
		apt-get install -y --no-install-recommends \
			ca-certificates curl netcat-openbsd p11-kit unzip zip && \
		apt-get clean && \
		rm -rf /var/lib/apt/lists/* && \
		exit_code=0 && break || \
		exit_code=$? && echo "apt-get error: retry $iter in 10s" && sleep 10; \
	done && \
	exit $exit_code

RUN set -eux; \
	groupadd -g 1000 elasticsearch; \
	adduser --uid 1000 --gid 1000 --home /usr/share/elasticsearch elasticsearch; \
	adduser elasticsearch root; \
	chown -R 0:0 /usr/share/elasticsearch

ENV ELASTIC_CONTAINER true

WORKDIR /usr/share/elasticsearch

COPY --from=builder --chown=0:0 /usr/share/elasticsearch /usr/share/elasticsearch

COPY --from=builder --chown=0:0 /bin/tini /bin/tini

ENV PATH /usr/share/elasticsearch/bin:$PATH

ENV SHELL /bin/bash

RUN set -eux; \
	chmod g=u /etc/passwd; \
	find / -xdev -perm -4000 -exec chmod ug-s {} +; \
	chmod 0775 /usr/share/elasticsearch; \
	chown elasticsearch bin config config/jvm.options.d data logs plugins

RUN find /usr/share/elasticsearch/jdk -type d -exec chmod 0755 {} + && \
    /usr/share/elasticsearch/bin/elasticsearch-keystore create

EXPOSE 9200 9300

LABEL org.label-schema.name="Elasticsearch" \
  org.label-schema.version="8.14.4" \
  org.opencontainers.image.title="Elasticsearch" \
  org.opencontainers.image.version="8.14.4"

ENTRYPOINT ["/bin/tini", "--", "/usr/local/bin/docker-entrypoint.sh"]

CMD ["eswrapper"]

USER 1000:0

HEALTHCHECK --interval=10s --start-period=2m --retries=5 CMD curl -fsS http://localhost:9200/_cluster/health || exit 1
