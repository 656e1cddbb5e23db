#!/usr/bin/env node
// The `elevate` CLI. It is written in TypeScript and run through tsx (a dependency), with this
// checkout's tsconfig whatever the current directory is.
import { register } from 'tsx/esm/api';

register({ tsconfig: new URL('../tsconfig.json', import.meta.url).pathname });
await import('../src/cli/elevate/main.ts');
