/** drydock's version, set at build time from package.json. */
export const VERSION: string = typeof __DRYDOCK_VERSION__ === 'string' ? __DRYDOCK_VERSION__ : '0.0.0-dev';

declare const __DRYDOCK_VERSION__: string | undefined;
