import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/adapters/slack/render/action-ids.ts';
import { VERBS } from '../../src/adapters/teams/render/verbs.ts';
import { startService, type RunningService } from '../../src/main.ts';
import { FAKE_BOT_TOKEN, startFakeSlack, type FakeSlack } from '../fakes/slack/fake-slack-server.ts';
import { buttonClick, SlackSender, TEST_SIGNING_SECRET } from '../fakes/slack/slack-sender.ts';
import { startFakeBotFramework, teamsEnvFor, type FakeBotFramework } from '../fakes/teams/fake-bot-framework.ts';
import { REVIEWERS_CHANNEL, TeamsSender, teamsUser } from '../fakes/teams/teams-sender.ts';
import { browserAvailable, launchBrowser, screenshot, signInAtDevAs } from '../support/browser.ts';
import { eventually, eventuallyFound } from '../support/eventually.ts';
import { LogCapture } from '../support/log-capture.ts';
import { loopbackServiceEnv } from '../support/loopback-service-env.ts';

const SCOPE = `
scopes:
  - name: prod-admin
    description: Administer production
    oauth_scope: prod:admin
    audience: https://prod.example.com
    max_duration: 2h
    approvers: [bob]
    requesters: [alice]
    mfa: { requester: true, approver: true, max_age: 5m, amr: [otp, mfa] }
`;

/** Every step-up link a chat message carries (Slack blocks arrive as a JSON string; Teams cards as objects). */
function stepUpLinksIn(message: unknown): string[] {
  return [...JSON.stringify(message).matchAll(/https?:\/\/[^"\\\s]+\/auth\/step-up\/[A-Za-z0-9_-]{43}/g)].map((match) => match[0]);
}

const stepUpLinkIn = (messages: unknown[]) => messages.flatMap(stepUpLinksIn)[0];

/**
 * A person follows a step-up link in Chromium: the link's page, "Continue to sign-in", the
 * development login (the pick, then the TOTP code), back to Elevate's result page. Screenshots of
 * each page; any CSP violation fails the test. Returns the result page's text.
 */
async function followLinkInBrowser(link: string, person: string, dataDir: string, shots: string): Promise<string> {
  // Each person in a browser of their own, as Bob and Alice would be.
  const browser = (await launchBrowser())!;
  const page: Page = await browser.newPage();
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  await page.goto(link);
  await screenshot(page, `${shots}-1-link`);
  await page.getByRole('button', { name: 'Continue to sign-in' }).click();
  await signInAtDevAs(page, person, dataDir, { screenshotPrefix: `${shots}-2-login` });
  await page.waitForURL(/\/auth\/step-up\/callback/).catch(async (error: unknown) => {
    await screenshot(page, `${shots}-3-stuck`);
    throw error;
  });
  await screenshot(page, `${shots}-3-result`);
  const text = await page.locator('body').innerText();
  expect(violations).toEqual([]);
  // The sign-in's cookie is gone once the callback is taken.
  expect((await browser.context.cookies()).filter((cookie) => cookie.name.includes('step-up'))).toEqual([]);
  await browser.close();
  return text;
}

/**
 * Issue 16's story on each chat platform, end to end on embedded defaults (PGlite, the
 * development AS with its TOTP login): Alice asks in chat; Bob clicks Approve, which does not count
 * until he verifies through the link he gets privately; then Alice verifies through hers, and
 * only then is the token exchanged. Every page in real Chromium.
 */
describe.skipIf(!browserAvailable())('step-up in Chromium, through the chat platforms', () => {
  describe('Slack', () => {
    let service: RunningService;
    let fake: FakeSlack;
    let dir: string;
    const logs = new LogCapture();

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'elevate-step-up-slack-'));
      writeFileSync(
        join(dir, 'elevate.yaml'),
        `principals:\n  - { id: alice, name: Alice, slack: UALICE }\n  - { id: bob, name: Bob, slack: UBOB }\n${SCOPE}channels:\n  - { platform: slack, channel: C0REVIEW, scopes: [prod-admin] }\n`,
      );
      fake = await startFakeSlack();
      fake.addChannel('C0REVIEW');
      service = await startService(
        { ...(await loopbackServiceEnv(dir)), ELEVATE_CONFIG: join(dir, 'elevate.yaml'), SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET, SLACK_BOT_TOKEN: FAKE_BOT_TOKEN, SLACK_API_URL: fake.apiUrl },
        { logDestination: logs },
      );
    }, 180_000);

    afterAll(async () => {
      await service?.stop();
      await fake?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    const dmsTo = (userId: string) => fake.callsTo('chat.postMessage').filter((call) => call.args['channel'] === `D${userId.slice(1)}` || call.args['channel'] === userId).map((call) => call.args);

    it('takes an approver and then the requester through their sign-ins before the token is issued', async () => {
      const sender = new SlackSender(`${service.url}/slack/events`);
      await sender.command({ userId: 'UALICE', text: 'prod-admin 30m INC-42 outage', responseUrl: fake.responseUrl(), triggerId: fake.triggerId() });
      const requestId = await eventuallyFound(async () => (await service.deps.store.listRequests({ requesterId: 'alice' }))[0]?.id);
      await eventually(async () => (await service.deps.store.listPostedMessages(requestId)).length === 1);

      await sender.interaction(buttonClick({ userId: 'UBOB', actionId: ACTIONS.approve, value: requestId, channelId: 'C0REVIEW', triggerId: fake.triggerId(), responseUrl: fake.responseUrl() }));
      const bobsLink = await eventuallyFound(async () => stepUpLinkIn(dmsTo('UBOB')));
      expect((await service.deps.store.getRequest(requestId))?.status).toBe('pending');
      expect(await service.deps.store.listReviews(requestId)).toEqual([]);

      expect(await followLinkInBrowser(bobsLink, 'bob', dir, 'step-up-slack-approver')).toMatch(/approval recorded/i);
      expect((await service.deps.store.getRequest(requestId))?.status).toBe('verifying');
      expect(await service.deps.store.getGrantByRequest(requestId)).toBeNull();

      const alicesLink = await eventuallyFound(async () => stepUpLinkIn(dmsTo('UALICE')));
      const result = await followLinkInBrowser(alicesLink, 'alice', dir, 'step-up-slack-requester');
      expect(result).toMatch(/token/i);
      const grant = await eventuallyFound(async () => {
        const found = await service.deps.store.getGrantByRequest(requestId);
        return found?.status === 'active' ? found : undefined;
      });
      // The window starts at issuance, after the verification.
      const verified = (await service.deps.store.getRequest(requestId))!.requesterAuthentication!;
      expect(grant.startsAt.getTime()).toBeGreaterThanOrEqual(verified.verifiedAt.getTime());
      expect(verified.amr).toContain('otp');
      await eventually(async () => dmsTo('UALICE').some((message) => JSON.stringify(message).includes(ACTIONS.revealToken)));
      // The links went to their people only, never to the reviewer channel.
      const inChannel = fake.callsTo('chat.postMessage').concat(fake.callsTo('chat.update')).filter((call) => call.args['channel'] === 'C0REVIEW');
      expect(inChannel.flatMap((call) => stepUpLinksIn(call.args))).toEqual([]);
    }, 180_000);
  });

  describe('Teams', () => {
    let service: RunningService;
    let bf: FakeBotFramework;
    let dir: string;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'elevate-step-up-teams-'));
      writeFileSync(
        join(dir, 'elevate.yaml'),
        `principals:\n  - { id: alice, name: Alice, teams: ${teamsUser('alice').aadObjectId} }\n  - { id: bob, name: Bob, teams: ${teamsUser('bob').aadObjectId} }\n${SCOPE}channels:\n  - { platform: teams, channel: "${REVIEWERS_CHANNEL}", scopes: [prod-admin] }\n`,
      );
      bf = await startFakeBotFramework();
      service = await startService(
        {
          ...(await loopbackServiceEnv(dir)),
          ELEVATE_CONFIG: join(dir, 'elevate.yaml'),
          ...teamsEnvFor(bf),
        },
        { logDestination: new LogCapture() },
      );
    }, 180_000);

    afterAll(async () => {
      await service?.stop();
      await bf?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('takes an approver and then the requester through their sign-ins before the token is issued', async () => {
      const sender = new TeamsSender(`${service.url}/api/messages`, bf);
      const [alice, bob] = [teamsUser('alice'), teamsUser('bob')];
      expect((await sender.botAdded(bob, REVIEWERS_CHANNEL)).status).toBeLessThan(300);
      expect((await sender.message(bob, 'help')).status).toBe(200); // Bob's 1:1 chat exists: the bot can write to him.
      expect((await sender.message(alice, 'elevate prod-admin 30m INC-42 outage')).status).toBe(200);
      const requestId = await eventuallyFound(async () => (await service.deps.store.listRequests({ requesterId: 'alice' }))[0]?.id);
      const posted = await eventuallyFound(async () => (await service.deps.store.listPostedMessages(requestId))[0]);

      const click = await sender.execute(bob, { channelId: REVIEWERS_CHANNEL, messageId: posted.messageId }, VERBS.approve, { requestId });
      expect(click.status).toBe(200);
      const bobsLink = await eventuallyFound(async () => stepUpLinkIn(bf.sentTo(`a:1:${bob.id}`).map((a) => a.activity)));
      expect(await service.deps.store.listReviews(requestId)).toEqual([]);

      expect(await followLinkInBrowser(bobsLink, 'bob', dir, 'step-up-teams-approver')).toMatch(/approval recorded/i);
      const alicesLink = await eventuallyFound(async () => stepUpLinkIn(bf.sentTo(`a:1:${alice.id}`).map((a) => a.activity)));
      expect(await followLinkInBrowser(alicesLink, 'alice', dir, 'step-up-teams-requester')).toMatch(/token/i);
      await eventually(async () => (await service.deps.store.getGrantByRequest(requestId))?.status === 'active');
      expect(bf.sentTo(REVIEWERS_CHANNEL).flatMap((a) => a.versions.flatMap(stepUpLinksIn))).toEqual([]);
    }, 180_000);
  });
});
