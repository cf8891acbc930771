# syntax=docker/dockerfile:1
ARG RUBY_VERSION=3.2
# Common base
FROM ruby:${RUBY_VERSION}-slim AS base

# Working directory inside the container
WORKDIR /app
ENV RACK_ENV=production \
    BUNDLE_DEPLOYMENT="1" \
    BUNDLE_PATH="/usr/local/bundle" \
    BUNDLE_WITHOUT="development:test"

# ---- Build ----
FROM base AS build

RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \
    --mount=type=cache,target=/var/lib/apt,sharing=locked \
    apt-get update -qq \
    && apt-get install --no-install-recommends -y build-essential git libpq-dev pkg-config

# Only copy the dependency files first so this layer is cached
COPY Gemfile Gemfile.lock ./

# Install any needed packages
RUN bundle install \
    && rm -rf ~/.bundle/ "${BUNDLE_PATH}"/ruby/*/cache "${BUNDLE_PATH}"/ruby/*/bundler/gems/*/.git

# Copy the rest of the code
COPY . .

# Runtime image
FROM base

# System packages
RUN apt-get update -qq \
    && apt-get install --no-install-recommends -y curl libvips \
    && rm -rf /var/lib/apt/lists /var/cache/apt/archives

COPY --from=build "${BUNDLE_PATH}" "${BUNDLE_PATH}"
COPY --from=build /app /app

RUN useradd app --uid 1000 --create-home --shell /bin/bash \
    && chown -R app:app /app

# Switch to the unprivileged user
USER app

# Default command
CMD ["bundle", "exec", "sidekiq", "-C", "config/sidekiq.yml"]
