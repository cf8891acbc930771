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

ENV JAVA_VERSION jdk-17.0.9+8

RUN set -eux; \
	dpkgArch="$(dpkg --print-architecture)"; \
	case "${dpkgArch##*-}" in \
		amd64) BINARY_URL='https://github.com/adoptium/temurin17-binaries/releases/download/jdk-17.0.9+8/OpenJDK17U-jdk_x64_linux_hotspot_17.0.9_8.tar.gz'; SHA256='b80ff5235345140f72acb97ddd7d23812bf1288847ce572c26638f44d293b853' ;; \
		arm64) BINARY_URL='https://github.com/adoptium/temurin17-binaries/releases/download/jdk-17.0.9+8/OpenJDK17U-jdk_aarch64_linux_hotspot_17.0.9_8.tar.gz'; SHA256='5544a46e8a99f7acab483d577e9cc71058ae5fefa73e73f4804c25942f19d03a' ;; \
		armhf) BINARY_URL='https://github.com/adoptium/temurin17-binaries/releases/download/jdk-17.0.9+8/OpenJDK17U-jdk_arm_linux_hotspot_17.0.9_8.tar.gz'; SHA256='021e4d7a931caa8e89fa13db99b9dc32d5d7fb42277f06efc77452f02a462749' ;; \
		ppc64el) BINARY_URL='https://github.com/adoptium/temurin17-binaries/releases/download/jdk-17.0.9+8/OpenJDK17U-jdk_ppc64le_linux_hotspot_17.0.9_8.tar.gz'; SHA256='be4d92181051168120bfb31e621ec981cbd9563533aabea0fef64ff9071a5b83' ;; \
		s390x) BINARY_URL='https://github.com/adoptium/temurin17-binaries/releases/download/jdk-17.0.9+8/OpenJDK17U-jdk_s390x_linux_hotspot_17.0.9_8.tar.gz'; SHA256='8f1d8c00616123de0694a488ef50e0e3939417b9d2b021429af9bf64f92a8ca6' ;; \
		*) echo >&2 "error: unsupported architecture: ${dpkgArch##*-}"; exit 1 ;; \
	esac; \
	wget --progress=dot:giga -O /tmp/openjdk.tar.gz ${BINARY_URL}; \
	wget --progress=dot:giga -O /tmp/openjdk.tar.gz.sig ${BINARY_URL}.sig; \
	export GNUPGHOME="$(mktemp -d)"; \
	gpg --batch --keyserver keyserver.ubuntu.com --recv-keys 782B23E76FC3616A7A707631661C181F11B8D826; \
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

FROM eclipse-temurin:17-jdk AS build

WORKDIR /workspace

COPY gradlew settings.gradle.kts build.gradle.kts ./

COPY gradle gradle

RUN --mount=type=cache,target=/root/.gradle ./gradlew --no-daemon dependencies

COPY src src

RUN --mount=type=cache,target=/root/.gradle ./gradlew --no-daemon bootJar -x test && \
    java -Djarmode=layertools -jar build/libs/app.jar extract --destination /extracted

FROM eclipse-temurin:17-jre

RUN useradd --system --uid 10001 --user-group spring

WORKDIR /app

COPY --from=build /extracted/dependencies/ ./

COPY --from=build /extracted/spring-boot-loader/ ./

COPY --from=build /extracted/snapshot-dependencies/ ./

COPY --from=build /extracted/application/ ./

USER spring

EXPOSE 8080

ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "org.springframework.boot.loader.launch.JarLauncher"]
