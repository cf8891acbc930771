# Base image
FROM registry.suse.com/bci/bci-base:15.5
LABEL name="acme/nginx-rhel" \
 vendor="Acme Corp" \
 version="1.0" \
 summary="nginx on bci-base:15.5"
RUN zypper refresh && \
 zypper --non-interactive install --no-recommends nginx && \
 zypper clean -a
COPY nginx.conf /etc/nginx/nginx.conf
EXPOSE 80

# Run the app
CMD ["nginx", "-g", "daemon off;"]
