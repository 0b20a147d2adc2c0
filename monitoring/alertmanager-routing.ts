// Who hears about an alert, by severity. The Alertmanager config is generated
// from this table, and `amtool config routes test` checks each row against it.
import type { Severity } from './baselines.ts';

export type Receiver = 'pagerduty' | 'slack' | 'jira';

// #region routing
export const ROUTING: Record<Severity, { receivers: Receiver[]; repeatInterval: string; meaning: string }> = {
  SEV1: {
    receivers: ['pagerduty', 'slack'],
    repeatInterval: '30m',
    meaning: 'pages the on-call engineer now and tells the team channel, so the incident room fills at once',
  },
  SEV2: { receivers: ['pagerduty', 'slack'], repeatInterval: '1h', meaning: 'pages the on-call engineer and tells the team channel' },
  SEV3: { receivers: ['slack'], repeatInterval: '4h', meaning: 'posts in the team channel for working hours' },
  SEV4: { receivers: ['jira'], repeatInterval: '24h', meaning: 'opens a ticket in the backlog' },
};
/** An alert without a known severity still reaches people rather than vanishing. */
export const DEFAULT_RECEIVER: Receiver = 'slack';
// #endregion routing

/** Placeholders only: real values live in the secret store and replace these at deploy time. */
export const PLACEHOLDERS = {
  pagerdutyRoutingKey: 'REPLACE_WITH_PAGERDUTY_EVENTS_V2_ROUTING_KEY',
  slackWebhook: 'https://hooks.slack.com/services/REPLACE/WITH/WEBHOOK',
  slackChannel: '#storefront-incidents',
  jiraWebhook: 'http://jira-alert-bridge.internal:9097/alertmanager',
} as const;

export function alertmanagerConfig() {
  const routes = (Object.keys(ROUTING) as Severity[]).flatMap((severity) => {
    const { receivers, repeatInterval } = ROUTING[severity];
    // One route per receiver; `continue` lets a SEV1 or SEV2 alert reach PagerDuty and then Slack.
    return receivers.map((receiver, index) => ({
      matchers: [`severity="${severity}"`],
      receiver,
      repeat_interval: repeatInterval,
      ...(index < receivers.length - 1 ? { continue: true } : {}),
    }));
  });
  return {
    global: { resolve_timeout: '5m' },
    route: {
      receiver: DEFAULT_RECEIVER,
      group_by: ['alertname', 'job', 'instance'],
      group_wait: '30s',
      group_interval: '5m',
      repeat_interval: '4h',
      routes,
    },
    receivers: [
      {
        name: 'pagerduty',
        pagerduty_configs: [
          {
            routing_key: PLACEHOLDERS.pagerdutyRoutingKey,
            send_resolved: true,
            severity: '{{ if eq .CommonLabels.severity "SEV1" }}critical{{ else }}error{{ end }}',
            description: '[{{ .CommonLabels.severity }}] {{ .CommonAnnotations.summary }}',
            links: [{ href: '{{ .CommonAnnotations.runbook_url }}', text: 'Runbook' }],
          },
        ],
      },
      {
        name: 'slack',
        slack_configs: [
          {
            api_url: PLACEHOLDERS.slackWebhook,
            channel: PLACEHOLDERS.slackChannel,
            send_resolved: true,
            title: '[{{ .CommonLabels.severity }}] {{ .CommonLabels.alertname }} ({{ .Status }})',
            title_link: '{{ .CommonAnnotations.runbook_url }}',
            text: '{{ .CommonAnnotations.summary }}\n{{ .CommonAnnotations.description }}',
          },
        ],
      },
      {
        name: 'jira',
        // A small bridge turns the webhook body into a JIRA issue (one per alert group).
        webhook_configs: [{ url: PLACEHOLDERS.jiraWebhook, send_resolved: false }],
      },
    ],
  };
}
