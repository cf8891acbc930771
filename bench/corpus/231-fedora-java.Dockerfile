# Start from a small base
FROM fedora:40

LABEL org.opencontainers.image.source="https://github.com/contoso/platform" \
	org.opencontainers.image.authors="dev@company.local"

# Install OS packages
RUN dnf install -y java-17-openjdk-headless shadow-utils

# Create a non-root user
RUN useradd -u 1001 -r -g 0 -s /sbin/nologin -c "Default Application User" default \
	&& mkdir -p /deployments \
	&& chown -R 1001:0 /deployments \
	&& chmod -R g=u /deployments

COPY target/app.jar /deployments/app.jar

# Drop privileges
USER 1001

# Document the listening port
EXPOSE 8080

# Run the service
CMD ["java", "-jar", "/deployments/app.jar"]
