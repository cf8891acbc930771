ARG RUBY_VERSION=3.2.3
# Common base
FROM ruby:${RUBY_VERSION}-slim-bookworm AS base

# Create app directory
WORKDIR /app

ENV RACK_ENV=production BUNDLE_DEPLOYMENT="1" BUNDLE_PATH="/usr/local/bundle" BUNDLE_WITHOUT="development:test"

# === build ===
FROM base AS build

RUN apt-get update -qq \
    && apt-get install --no-install-recommends -y libyaml-dev libpq-dev libvips build-essential pkg-config \
    && rm -rf /var/lib/apt/lists /var/cache/apt/archives

COPY Gemfile Gemfile.lock ./

RUN bundle install \
    && rm -rf ~/.bundle/ "${BUNDLE_PATH}"/ruby/*/cache "${BUNDLE_PATH}"/ruby/*/bundler/gems/*/.git

# Copy the current directory contents into the container
COPY . .

# Runtime image
FROM base

# Install OS packages
RUN apt-get update -qq \
    && apt-get install --no-install-recommends -y libvips postgresql-client \
    && rm -rf /var/lib/apt/lists /var/cache/apt/archives

COPY --from=build "${BUNDLE_PATH}" "${BUNDLE_PATH}"
COPY --from=build /app /app

# Add an unprivileged user to run the app
RUN useradd app --uid 1000 --create-home --shell /bin/bash \
    && chown -R app:app /app

# Drop privileges
USER app

# Run the app
CMD ["bundle", "exec", "sidekiq", "-C", "config/sidekiq.yml"]
