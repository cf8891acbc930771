# escape=`

# Start from a small base
FROM mcr.microsoft.com/windows/servercore:ltsc2019

SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop'; $ProgressPreference = 'SilentlyContinue';"]

RUN Set-ExecutionPolicy Bypass -Scope Process -Force; `
  [System.Net.ServicePointManager]::SecurityProtocol = [System.Net.ServicePointManager]::SecurityProtocol -bor 3072; `
  iex ((New-Object System.Net.WebClient).DownloadString('https://community.chocolatey.org/install.ps1'))

RUN choco install -y make python311 7zip git; `
  Remove-Item -Recurse -Force C:\ProgramData\chocolatey\lib-bad -ErrorAction SilentlyContinue

# Set the working directory
WORKDIR C:\build

# Start the application
CMD ["powershell.exe", "-NoLogo"]
