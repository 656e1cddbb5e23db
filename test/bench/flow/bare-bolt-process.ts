/**
 * The yardstick of the acknowledgement benchmark: a Bolt app that does nothing but acknowledge
 * `/elevate`, on the same Bolt version and receiver Elevate uses (HTTPReceiver, signature checked,
 * `processBeforeResponse: false`), in a process of its own. Reads SLACK_SIGNING_SECRET,
 * SLACK_BOT_TOKEN and SLACK_API_URL, prints `{"url":…}` once it listens, exits when stdin closes.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';

const receiver = new HTTPReceiver({ signingSecret: process.env.SLACK_SIGNING_SECRET ?? '', endpoints: '/slack/events', processBeforeResponse: false, logLevel: LogLevel.ERROR });
const app = new App({ token: process.env.SLACK_BOT_TOKEN, receiver, logLevel: LogLevel.ERROR, clientOptions: { slackApiUrl: process.env.SLACK_API_URL } });
app.command('/elevate', async ({ ack }) => {
  await ack();
});
const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })}\n`);
process.stdin.resume();
process.stdin.on('end', () => void app.stop().finally(() => process.exit(0)));
