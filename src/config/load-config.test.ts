import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, describeConfig, loadConfig } from './load-config.ts';

const issuesOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e.issues;
    throw e;
  }
  assert.fail('expected a ConfigError');
};

describe('loadConfig', () => {
  it('defaults to the embedded database on loopback port 8080', () => {
    const c = loadConfig({}, undefined, '/srv/vigil');
    assert.equal(c.databaseUrl, undefined);
    assert.equal(c.dataDir, '/srv/vigil/.vigil-data');
    assert.equal(c.host, '127.0.0.1');
    assert.equal(c.port, 8080);
    assert.equal(c.publicUrl, 'http://127.0.0.1:8080');
  });

  it('uses PostgreSQL when VIGIL_DATABASE_URL is set and links to VIGIL_PUBLIC_URL', () => {
    const c = loadConfig({
      VIGIL_DATABASE_URL: 'postgres://u@db:5432/vigil',
      VIGIL_HOST: '0.0.0.0',
      VIGIL_PORT: '9000',
      VIGIL_PUBLIC_URL: 'https://vigil.example.com/',
    });
    assert.equal(c.databaseUrl, 'postgres://u@db:5432/vigil');
    assert.equal(c.port, 9000);
    assert.equal(c.publicUrl, 'https://vigil.example.com');
  });

  it('gives one-click links in pages 24 hours unless VIGIL_ACTION_LINK_TTL_HOURS says otherwise (1 hour to 30 days)', () => {
    assert.equal(loadConfig({}).actionLinkTtlHours, 24);
    assert.equal(loadConfig({ VIGIL_ACTION_LINK_TTL_HOURS: '4' }).actionLinkTtlHours, 4);
    assert.deepEqual(issuesOf(() => loadConfig({ VIGIL_ACTION_LINK_TTL_HOURS: '0' })), [
      { key: 'VIGIL_ACTION_LINK_TTL_HOURS', reason: 'must be a whole number from 1 to 720 (got "0")' },
    ]);
  });

  it('writes links to localhost when listening on every interface', () => {
    assert.equal(loadConfig({ VIGIL_HOST: '0.0.0.0', VIGIL_PORT: '81' }).publicUrl, 'http://localhost:81');
  });

  it('reports every bad key at once', () => {
    const issues = issuesOf(() =>
      loadConfig({
        VIGIL_PORT: 'eighty',
        VIGIL_DATABASE_URL: 'mysql://x',
        VIGIL_BOOTSTRAP_TOKEN: 'short',
        VIGIL_ADMIN_EMAIL: 'nobody',
        VIGIL_PROT: '1',
        VIGIL_URL: 'http://ignored-client-setting',
      }),
    );
    assert.deepEqual(issues.map((i) => i.key).sort(), [
      'VIGIL_ADMIN_EMAIL',
      'VIGIL_BOOTSTRAP_TOKEN',
      'VIGIL_DATABASE_URL',
      'VIGIL_PORT',
      'VIGIL_PROT',
    ]);
    assert.match(issues.find((i) => i.key === 'VIGIL_PORT')!.reason, /whole number/);
    assert.match(issues.find((i) => i.key === 'VIGIL_BOOTSTRAP_TOKEN')!.reason, /at least 32/);
  });

  it('reads a config file that the environment overrides, and rejects its unknown keys', () => {
    const files: Record<string, string> = {
      'ok.json': JSON.stringify({ port: 7000, host: '::1', logLevel: 'warn' }),
      'bad.json': JSON.stringify({ prot: 1, port: -1 }),
      'broken.json': '{',
    };
    const read = (p: string) => files[p] ?? assert.fail(`unexpected read ${p}`);
    const c = loadConfig({ VIGIL_CONFIG_FILE: 'ok.json', VIGIL_LOG_LEVEL: 'debug' }, read);
    assert.equal(c.port, 7000);
    assert.equal(c.logLevel, 'debug');
    assert.equal(c.publicUrl, 'http://[::1]:7000');
    assert.deepEqual(
      issuesOf(() => loadConfig({ VIGIL_CONFIG_FILE: 'bad.json' }, read)).map((i) => i.key),
      ['bad.json: prot', 'VIGIL_PORT'],
    );
    assert.match(issuesOf(() => loadConfig({ VIGIL_CONFIG_FILE: 'broken.json' }, read))[0]!.reason, /cannot read/);
  });

  it('reads the Slack and Twilio settings with their default API URLs, and never describes their secrets', () => {
    const plain = loadConfig({});
    assert.equal(plain.slackApiUrl, 'https://slack.com/api');
    assert.equal(plain.twilioBaseUrl, 'https://api.twilio.com');
    assert.equal(plain.slackBotToken, undefined);
    const c = loadConfig({
      VIGIL_SLACK_BOT_TOKEN: 'xoxb-secret-bot-token',
      VIGIL_SLACK_API_URL: 'http://127.0.0.1:9999/api/',
      VIGIL_TWILIO_ACCOUNT_SID: 'AC0123',
      VIGIL_TWILIO_AUTH_TOKEN: 'twilio-secret-token',
      VIGIL_TWILIO_FROM: '+14155550100',
      VIGIL_TWILIO_BASE_URL: 'http://127.0.0.1:9998',
    });
    assert.equal(c.slackBotToken, 'xoxb-secret-bot-token');
    assert.equal(c.slackApiUrl, 'http://127.0.0.1:9999/api');
    assert.deepEqual([c.twilioAccountSid, c.twilioAuthToken, c.twilioFrom, c.twilioBaseUrl], ['AC0123', 'twilio-secret-token', '+14155550100', 'http://127.0.0.1:9998']);
    const described = JSON.stringify(describeConfig(c));
    assert.doesNotMatch(described, /secret/);
    assert.deepEqual(describeConfig(c).channels, ['webhook', 'slack_webhook', 'teams', 'slack', 'sms', 'voice']);
  });

  it('refuses half a Twilio set-up, a number not in E.164 and a bad API URL', () => {
    assert.deepEqual(issuesOf(() => loadConfig({ VIGIL_TWILIO_ACCOUNT_SID: 'AC1', VIGIL_TWILIO_FROM: '415 555 0100', VIGIL_SLACK_API_URL: 'slack.com/api' })).map((i) => i.key), [
      'VIGIL_SLACK_API_URL',
      'VIGIL_TWILIO_FROM',
      'VIGIL_TWILIO_*',
    ]);
  });
});
