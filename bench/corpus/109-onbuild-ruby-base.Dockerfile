FROM ruby:2.7
# throw errors if Gemfile has been modified since Gemfile.lock
RUN bundle config --global frozen 1
RUN mkdir -p /usr/src/app

# Create app directory
WORKDIR /usr/src/app

ONBUILD COPY Gemfile /usr/src/app/

ONBUILD COPY Gemfile.lock /usr/src/app/

ONBUILD RUN bundle install

ONBUILD COPY . /usr/src/app
