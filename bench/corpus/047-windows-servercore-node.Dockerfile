# escape=`

# Start from a small base
FROM mcr.microsoft.com/windows/servercore:ltsc2019

SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop'; $ProgressPreference = 'SilentlyContinue';"]

ENV NODE_VERSION=20.12.2
RUN Invoke-WebRequest $('https://nodejs.org/dist/v{0}/node-v{0}-win-x64.zip' -f $env:NODE_VERSION) -OutFile 'node.zip' -UseBasicParsing ; `
	Expand-Archive node.zip -DestinationPath C:\ ; `
	Rename-Item -Path $('C:\node-v{0}-win-x64' -f $env:NODE_VERSION) -NewName 'C:\nodejs' ; `
	Remove-Item node.zip

RUN setx /M PATH $($env:PATH + ';C:\nodejs')

# Create app directory
WORKDIR C:\app

# Only copy the dependency files first so this layer is cached
COPY package*.json ./

# Install dependencies
RUN npm ci --omit=dev

# Bundle app source
COPY . .

# Make the service port available outside the container
EXPOSE 3000

# Default command
CMD ["node.exe", "server.js"]
