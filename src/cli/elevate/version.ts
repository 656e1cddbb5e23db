import { readFileSync } from 'node:fs';

/** This checkout's (or installed package's) version, sent in `User-Agent: elevate-cli/<version>`. */
export const CLI_VERSION: string = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export const USER_AGENT = `elevate-cli/${CLI_VERSION}`;
