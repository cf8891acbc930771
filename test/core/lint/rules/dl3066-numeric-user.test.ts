import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DL3066 numeric USER', () => {
  catches('DL3066', 'FROM node:20\nUSER node', { line: 2 });
  catches('DL3066', 'FROM node:20\nUSER 1000:staff');
  catches('DL3066', 'FROM node:20\nUSER ${APP_UID}');
  catches('DL3066', 'FROM node:20 AS build\nUSER 1000\nFROM node:20\nUSER node:node', { line: 4 });
  passes('DL3066', 'FROM node:20\nUSER 1000');
  passes('DL3066', 'FROM node:20 AS build\nUSER node\nFROM node:20\nUSER 1000');
  passes('DL3066', 'FROM node:20\nUSER node\nRUN npm ci\nUSER 1000');
  passes('DL3066', 'FROM node:20\nUSER root');
  passes('DL3066', 'FROM node:20\nUSER 1000:1000');
  passes('DL3066', 'ARG APP_UID=10001\nFROM node:20\nUSER ${APP_UID}');
  passes('DL3066', 'FROM node:20\nENV UID=10001 GID=10001\nUSER $UID:$GID');

  // Windows containers have accounts, not UIDs.
  passes('DL3066', 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nUSER ContainerUser');
  passes('DL3066', 'FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nUSER app');
  passes('DL3066', 'FROM mcr.microsoft.com/windows:ltsc2019\nUSER app');
  passes('DL3066', 'FROM mcr.microsoft.com/dotnet/aspnet:8.0-nanoserver-ltsc2022\nUSER app');
  passes('DL3066', 'FROM python:3.12-windowsservercore-ltsc2022\nUSER app');
  passes('DL3066', 'ARG BASE=mcr.microsoft.com/windows/servercore:ltsc2022\nFROM $BASE\nUSER app');
  passes('DL3066', 'FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS base\nFROM base\nUSER app');
  passes('DL3066', 'FROM example.com/win:1\nSHELL ["powershell", "-Command"]\nUSER app');
  passes('DL3066', 'FROM example.com/win:1 AS base\nSHELL ["cmd", "/S", "/C"]\nFROM base\nUSER app');
  passes('DL3066', '# hadolint shell=pwsh\nFROM example.com/win:1\nUSER app');
  passes('DL3066', 'FROM example.com/win:1\nUSER containeradministrator');
  // The nearest Linux look-alikes: a Microsoft Linux image, a bash SHELL, a Windows base only in an earlier stage.
  catches('DL3066', 'FROM mcr.microsoft.com/dotnet/aspnet:8.0\nUSER app', { line: 2 });
  catches('DL3066', 'FROM mcr.microsoft.com/windows-ish/linux:1\nUSER app');
  catches('DL3066', 'FROM debian:12\nSHELL ["/bin/bash", "-c"]\nUSER app');
  catches(
    'DL3066',
    'FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS tools\nFROM debian:12\nCOPY --from=tools /a /a\nUSER app',
  );
  catches('DL3066', 'FROM example.com/win:1 AS base\nSHELL ["pwsh", "-Command"]\nFROM debian:12\nUSER app');
});
