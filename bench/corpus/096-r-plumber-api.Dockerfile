# Base image
from rocker/shiny:4.3.2

run apt-get update \
    # tzdata and ca-certificates are needed at runtime
    && apt-get install -y --no-install-recommends \
        libcurl4-openssl-dev \
        libssl-dev \
        libxml2-dev \
        libpq-dev \
    && rm -rf /var/lib/apt/lists/*

run install2.r --error --skipinstalled plumber dplyr DBI RPostgres

copy api.R /app/api.R

# Document the listening port
expose 8000

cmd ["R", "-e", "pr <- plumber::plumb('/app/api.R'); pr$run(host='0.0.0.0', port=8000)"]
