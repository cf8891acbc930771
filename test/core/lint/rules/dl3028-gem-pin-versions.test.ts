import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DL3028 gem install without versions', () => {
  catches('DL3028', 'FROM ruby:3.3\nRUN gem install bundler', { line: 2 });
  catches('DL3028', 'FROM ruby:3.3\nRUN gem i bundler');
  catches('DL3028', 'FROM ruby:3.3\nRUN gem install bundler:2.5.10 rake');
  catches('DL3028', 'FROM ruby:3.3\nRUN gem install --no-document rails');
  catches('DL3028', 'FROM ruby:3.3\nRUN gem install -N --install-dir /gems rake');
  catches('DL3028', 'FROM ruby:3.3\nONBUILD RUN gem install bundler');
  passes('DL3028', 'FROM ruby:3.3\nRUN gem install bundler:2.5.10 rake:13.2.1');
  passes('DL3028', 'FROM ruby:3.3\nRUN gem install bundler -v 2.5.10');
  passes('DL3028', 'FROM ruby:3.3\nRUN gem install bundler --version "~> 2.5"');
  passes('DL3028', 'FROM ruby:3.3\nRUN gem install bundler --version=2.5.10');
  passes('DL3028', 'FROM ruby:3.3\nRUN gem install nokogiri:1.16.5 -- --use-system-libraries');
  passes('DL3028', 'FROM ruby:3.3\nRUN gem install nokogiri:1.16.5 --use-system-libraries true');
  passes('DL3028', 'FROM ruby:3.3\nRUN gem install ./pkg/app-1.0.0.gem');
  passes('DL3028', 'FROM ruby:3.3\nRUN gem install "bundler:${BUNDLER_VERSION}" $GEMS');
  passes('DL3028', 'FROM ruby:3.3\nRUN gem update --system 3.5.10 && bundle install');
});
