#
# Generated for the drydock benchmark in the style of the eclipse-temurin official image.
# Variant: alpine3.20. Do not edit by hand; regenerate with bench/corpus/long/generate.mjs.
#

FROM alpine:3.20

ENV JAVA_HOME /opt/java/openjdk

ENV PATH $JAVA_HOME/bin:$PATH

# Default to UTF-8 file.encoding

ENV LANG='en_US.UTF-8' LANGUAGE='en_US:en' LC_ALL='en_US.UTF-8'

RUN apk add --no-cache fontconfig java-cacerts bash libretls musl-locales musl-locales-lang ttf-dejavu tzdata zlib && \
	rm -rf /var/cache/apk/*

ENV JAVA_VERSION jdk-21.0.9+6

RUN apkArch="$(apk --print-arch)" && \
	case "$apkArch" in \
		x86_64) BINARY_URL='https://github.com/adoptium/temurin21-binaries/releases/download/jdk-21.0.9+6/OpenJDK21U-jdk_x64_linux_hotspot_21.0.9_6.tar.gz'; SHA256='19d6e4210627bf9ffe68bef1523d84148dc219567d4ac4761d8be525db1f22f2' ;; \
		aarch64) BINARY_URL='https://github.com/adoptium/temurin21-binaries/releases/download/jdk-21.0.9+6/OpenJDK21U-jdk_aarch64_linux_hotspot_21.0.9_6.tar.gz'; SHA256='bc2e03e908305dc2815ef9e9b8dd1c4cf7b8c526927fe394d4e2cd4b31df71d1' ;; \
		*) echo >&2 "error: unsupported architecture: $apkArch"; exit 1 ;; \
	esac && \
	wget --progress=dot:giga -O /tmp/openjdk.tar.gz ${BINARY_URL} && \
	wget --progress=dot:giga -O /tmp/openjdk.tar.gz.sig ${BINARY_URL}.sig && \
	export GNUPGHOME="$(mktemp -d)" && \
	gpg --batch --keyserver keyserver.ubuntu.com --recv-keys 6ABAA5102E181D8B403E810A11B0BAA067228929 && \
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

RUN echo Verifying install ... && \
	fileEncoding="$(echo 'System.out.println(System.getProperty("file.encoding"))' | jshell -s -)"; [ "$fileEncoding" = 'UTF-8' ]; rm -rf ~/.java && \
	echo javac --version && javac --version && \
	echo java --version && java --version && \
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

FROM eclipse-temurin:21-jdk AS build

WORKDIR /workspace

COPY gradlew settings.gradle.kts build.gradle.kts ./

COPY gradle gradle

RUN --mount=type=cache,target=/root/.gradle ./gradlew --no-daemon dependencies

COPY src src

RUN --mount=type=cache,target=/root/.gradle ./gradlew --no-daemon bootJar -x test && \
    java -Djarmode=layertools -jar build/libs/app.jar extract --destination /extracted

FROM eclipse-temurin:21-jre

RUN useradd --system --uid 10001 --user-group spring

WORKDIR /app

COPY --from=build /extracted/dependencies/ ./

COPY --from=build /extracted/spring-boot-loader/ ./

COPY --from=build /extracted/snapshot-dependencies/ ./

COPY --from=build /extracted/application/ ./

USER spring

EXPOSE 8080

ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "org.springframework.boot.loader.launch.JarLauncher"]
