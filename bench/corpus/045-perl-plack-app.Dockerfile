FROM perl:5.34-threaded

# Install required packages
RUN apt-get update \
    && apt-get install -y --no-install-recommends libexpat1-dev libssl-dev zlib1g-dev \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /opt/app

COPY cpanfile .

RUN cpanm --notest --installdeps . && rm -rf ~/.cpanm

COPY . .

EXPOSE 5000

# Default command
CMD ["plackup", "-s", "Starman", "--port", "5000", "app.psgi"]
