FROM ubuntu:24.04

ENV JAVA_HOME /opt/java/openjdk

ENV PATH $JAVA_HOME/bin:$PATH

# Default to UTF-8 file.encoding

ENV LANG='en_US.UTF-8' LANGUAGE='en_US:en' LC_ALL='en_US.UTF-8'

RUN apt-get update && \
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
			tzdata \
			curl \
			wget \
			fontconfig \
			ca-certificates p11-kit \
			binutils \
			locales \
		 && \
	echo "en_US.UTF-8 UTF-8" >> /etc/locale.gen && \
	locale-gen en_US.UTF-8 && \
	rm -rf /var/lib/apt/lists/*

ENV JAVA_VERSION jdk-17.0.6+12

RUN dpkgArch="$(dpkg --print-architecture)" && \
	case "${dpkgArch##*-}" in \
		amd64) BINARY_URL='https://github.com/adoptium/temurin17-binaries/releases/download/jdk-17.0.6+12/OpenJDK17U-jdk_x64_linux_hotspot_17.0.6_12.tar.gz'; SHA256='dacb3a29f011a7e4eb0a938625f3422a807dc1c457c0008147a5d43ed8dab520' ;; \
		arm64) BINARY_URL='https://github.com/adoptium/temurin17-binaries/releases/download/jdk-17.0.6+12/OpenJDK17U-jdk_aarch64_linux_hotspot_17.0.6_12.tar.gz'; SHA256='e473c86c26a30741d46d74a07dffb1f5232f4fe9c0bcf6e51ef4c8066c72a082' ;; \
		armhf) BINARY_URL='https://github.com/adoptium/temurin17-binaries/releases/download/jdk-17.0.6+12/OpenJDK17U-jdk_arm_linux_hotspot_17.0.6_12.tar.gz'; SHA256='7f81f6eedcd6c42654d4e6c64fcc0b0234eae15bb61f1ab2f7000253e929ec90' ;; \
		ppc64el) BINARY_URL='https://github.com/adoptium/temurin17-binaries/releases/download/jdk-17.0.6+12/OpenJDK17U-jdk_ppc64le_linux_hotspot_17.0.6_12.tar.gz'; SHA256='83e72938ef342ad1d6f5eb974b2114d54875c9808c148d9df2aa824cc851d4a2' ;; \
		s390x) BINARY_URL='https://github.com/adoptium/temurin17-binaries/releases/download/jdk-17.0.6+12/OpenJDK17U-jdk_s390x_linux_hotspot_17.0.6_12.tar.gz'; SHA256='65a82decef24c62fe45d1a840469e5366ea5b4b92280f2fa98bdfc3c25b26d60' ;; \
		*) echo >&2 "error: unsupported architecture: ${dpkgArch##*-}"; exit 1 ;; \
	esac && \
	wget --progress=dot:giga -O /tmp/openjdk.tar.gz ${BINARY_URL} && \
	wget --progress=dot:giga -O /tmp/openjdk.tar.gz.sig ${BINARY_URL}.sig && \
	export GNUPGHOME="$(mktemp -d)" && \
	gpg --batch --keyserver keyserver.ubuntu.com --recv-keys 96D3115FA44399E8318D30DE6CCEFAED4E01E640 && \
	gpg --batch --verify /tmp/openjdk.tar.gz.sig /tmp/openjdk.tar.gz && \
	rm -rf "${GNUPGHOME}" /tmp/openjdk.tar.gz.sig && \
	echo "${SHA256} */tmp/openjdk.tar.gz" | sha256sum -c - && \
	mkdir -p "$JAVA_HOME" && \
	tar --extract \
		--file /tmp/openjdk.tar.gz \
		--directory "$JAVA_HOME" \
		--strip-components 1 \
		--no-same-owner \
		 && \
	rm -f /tmp/openjdk.tar.gz ${JAVA_HOME}/lib/src.zip && \
	find "$JAVA_HOME/lib" -name '*.so' -exec dirname '{}' ';' | sort -u > /etc/ld.so.conf.d/docker-openjdk.conf && \
	ldconfig && \
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
