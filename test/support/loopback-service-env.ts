import { freePort } from './free-port.ts';

/**
 * Environment for a whole service on a free loopback port whose public URL is that port (the
 * embedded AS is discovered at it), with its data in `dataDir`.
 */
export async function loopbackServiceEnv(dataDir: string): Promise<Record<string, string>> {
  const port = await freePort();
  return { PORT: String(port), HOST: '127.0.0.1', ELEVATE_PUBLIC_URL: `http://127.0.0.1:${port}`, ELEVATE_DATA_DIR: dataDir };
}
