#
# Generated for the drydock benchmark in the style of the eclipse-temurin official image.
# Variant: jammy. Do not edit by hand; regenerate with bench/corpus/long/generate.mjs.
#

FROM ubuntu:22.04

ENV JAVA_HOME /opt/java/openjdk

ENV PATH $JAVA_HOME/bin:$PATH

# Default to UTF-8 file.encoding

ENV LANG='en_US.UTF-8' LANGUAGE='en_US:en' LC_ALL='en_US.UTF-8'

RUN set -eux; \
	apt-get update; \
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
			tzdata \
			curl \
			wget \
			fontconfig \
			ca-certificates p11-kit \
			binutils \
			locales \
		; \
	echo "en_US.UTF-8 UTF-8" >> /etc/locale.gen; \
	locale-gen en_US.UTF-8; \
	rm -rf /var/lib/apt/lists/*

ENV JAVA_VERSION jdk-23.0.8+10

RUN set -eux; \
	dpkgArch="$(dpkg --print-architecture)"; \
	case "${dpkgArch##*-}" in \
		amd64) BINARY_URL='https://github.com/adoptium/temurin23-binaries/releases/download/jdk-23.0.8+10/OpenJDK23U-jdk_x64_linux_hotspot_23.0.8_10.tar.gz'; SHA256='b90e034fc27f76e55a7fd1d4bb30eaf4f1dad9f892de73bff67c993becd9656a' ;; \
		arm64) BINARY_URL='https://github.com/adoptium/temurin23-binaries/releases/download/jdk-23.0.8+10/OpenJDK23U-jdk_aarch64_linux_hotspot_23.0.8_10.tar.gz'; SHA256='2804ad54bd887a0e149190fc0c9a6965a843757b160e8f28bedea54b3295db98' ;; \
		armhf) BINARY_URL='https://github.com/adoptium/temurin23-binaries/releases/download/jdk-23.0.8+10/OpenJDK23U-jdk_arm_linux_hotspot_23.0.8_10.tar.gz'; SHA256='b11e9e88d06dd7870e86d0094551eaed523d3f8083abc6d47f05be660bdca600' ;; \
		ppc64el) BINARY_URL='https://github.com/adoptium/temurin23-binaries/releases/download/jdk-23.0.8+10/OpenJDK23U-jdk_ppc64le_linux_hotspot_23.0.8_10.tar.gz'; SHA256='84a838a5d0bef0101a3f916892d8881307cf79c70658e1fa7c511556fb65bcf8' ;; \
		s390x) BINARY_URL='https://github.com/adoptium/temurin23-binaries/releases/download/jdk-23.0.8+10/OpenJDK23U-jdk_s390x_linux_hotspot_23.0.8_10.tar.gz'; SHA256='31f13d486815ad29d3e2d357595c71e083857e440584042c148410563c50767d' ;; \
		*) echo >&2 "error: unsupported architecture: ${dpkgArch##*-}"; exit 1 ;; \
	esac; \
	wget --progress=dot:giga -O /tmp/openjdk.tar.gz ${BINARY_URL}; \
	wget --progress=dot:giga -O /tmp/openjdk.tar.gz.sig ${BINARY_URL}.sig; \
	export GNUPGHOME="$(mktemp -d)"; \
	gpg --batch --keyserver keyserver.ubuntu.com --recv-keys DEBCA97E9BE3AB055999609EE25FA21450774912; \
	gpg --batch --verify /tmp/openjdk.tar.gz.sig /tmp/openjdk.tar.gz; \
	rm -rf "${GNUPGHOME}" /tmp/openjdk.tar.gz.sig; \
	echo "${SHA256} */tmp/openjdk.tar.gz" | sha256sum -c -; \
	mkdir -p "$JAVA_HOME"; \
	tar --extract \
		--file /tmp/openjdk.tar.gz \
		--directory "$JAVA_HOME" \
		--strip-components 1 \
		--no-same-owner \
		; \
	rm -f /tmp/openjdk.tar.gz ${JAVA_HOME}/lib/src.zip; \
	find "$JAVA_HOME/lib" -name '*.so' -exec dirname '{}' ';' | sort -u > /etc/ld.so.conf.d/docker-openjdk.conf; \
	ldconfig; \
	java -Xshare:dump

RUN set -eux; \
	echo Verifying install ...; \
	fileEncoding="$(echo 'System.out.println(System.getProperty("file.encoding"))' | jshell -s -)"; [ "$fileEncoding" = 'UTF-8' ]; rm -rf ~/.java; \
	echo javac --version && javac --version; \
	echo java --version && java --version; \
	echo Complete.

COPY --chmod=755 <<'EOF' /__cacert_entrypoint.sh
#!/usr/bin/env bash
set -e
# Opt-in is only activated if the environment variable is set
if [ -n "$USE_SYSTEM_CA_CERTS" ]; then
    if [ ! -w /tmp ]; then
        echo "Using additional CA certificates requires write permissions to /tmp. Cannot create truststore."
        exit 1
    fi
    tmp_store=$(mktemp)
    for cert in /certificates/*.crt; do
        [ -e "$cert" ] || continue
        keytool -importcert -noprompt -keystore "$tmp_store" -storepass changeit -file "$cert" -alias "$(basename "$cert")"
    done
    export JAVA_TOOL_OPTIONS="${JAVA_TOOL_OPTIONS} -Djavax.net.ssl.trustStore=${tmp_store}"
fi
exec "$@"
EOF

ENTRYPOINT ["/__cacert_entrypoint.sh"]

FROM eclipse-temurin:23-jdk AS build

WORKDIR /workspace

COPY gradlew settings.gradle.kts build.gradle.kts ./

COPY gradle gradle

RUN --mount=type=cache,target=/root/.gradle ./gradlew --no-daemon dependencies

COPY src src

RUN --mount=type=cache,target=/root/.gradle ./gradlew --no-daemon bootJar -x test && \
    java -Djarmode=layertools -jar build/libs/app.jar extract --destination /extracted

FROM eclipse-temurin:23-jre

RUN useradd --system --uid 10001 --user-group spring

WORKDIR /app

COPY --from=build /extracted/dependencies/ ./

COPY --from=build /extracted/spring-boot-loader/ ./

COPY --from=build /extracted/snapshot-dependencies/ ./

COPY --from=build /extracted/application/ ./

USER spring

EXPOSE 8080

ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "org.springframework.boot.loader.launch.JarLauncher"]
