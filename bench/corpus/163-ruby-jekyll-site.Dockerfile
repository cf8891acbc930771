# Build stage
FROM ruby:3.1-slim AS build
RUN apt-get update \
    && apt-get install -y build-essential=12.9 git=1:2.39.2-1.1 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /site

# Copy the requirements file into the container
COPY Gemfile Gemfile.lock ./
RUN bundle config set --local without 'development test' && bundle install --jobs $(nproc)

# Copy the rest of the code
COPY . .
ENV JEKYLL_ENV=production
RUN bundle exec jekyll build --destination /site/_site

FROM nginx:1.25-alpine
COPY --from=build /site/_site /usr/share/nginx/html

# Document the listening port
EXPOSE 80
