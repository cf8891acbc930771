# syntax=docker/dockerfile:1.4
ARG RUBY_VERSION=3.2
# ---- Base ----
FROM ruby:${RUBY_VERSION}-alpine AS base

# Create app directory
WORKDIR /rails

# Production settings
ENV RAILS_ENV="production" \
    BUNDLE_DEPLOYMENT="1" \
    BUNDLE_PATH="/usr/local/bundle" \
    BUNDLE_WITHOUT="development:test"

# Build stage
FROM base AS build

# Install OS packages
RUN apk add --no-cache build-base git tzdata yaml-dev

# Copy dependency manifests first to leverage Docker layer caching
COPY Gemfile Gemfile.lock ./

# Install any needed packages
RUN bundle install && \
    rm -rf ~/.bundle/ "${BUNDLE_PATH}"/ruby/*/cache "${BUNDLE_PATH}"/ruby/*/bundler/gems/*/.git && \
    bundle exec bootsnap precompile --gemfile

COPY . .

RUN bundle exec bootsnap precompile app/ lib/
# Precompiling assets for production without requiring secret RAILS_MASTER_KEY
RUN SECRET_KEY_BASE_DUMMY=1 ./bin/rails assets:precompile

# Start from a small base
FROM base

# Install OS packages
RUN apk add --no-cache curl tzdata vips

COPY --from=build "${BUNDLE_PATH}" "${BUNDLE_PATH}"

COPY --from=build /rails /rails

# Create the service account
RUN adduser -D -u 1000 -h /home/rails -s /bin/sh rails && \
    chown -R rails:rails db log storage tmp

# Do not run as root
USER 1000:1000

# Default command
ENTRYPOINT ["/rails/bin/docker-entrypoint"]

# Document the listening port
EXPOSE 3000

# Run the service
CMD ["./bin/rails", "server"]
