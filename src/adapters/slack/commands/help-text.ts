/** What `/elevate help` says. */
export function helpText(command: string): string {
  return [
    '*Elevate* gives you a short-lived elevated token after an approver says yes.',
    `• \`${command} <scope> <duration> <reason>\` — ask for access, e.g. \`${command} prod-db-admin 1h INC-123 slow queries\` (durations: 15m, 1h, 1h30m)`,
    `• \`${command}\` — the same, in a form that lists the scopes you may request`,
    `• \`${command} list\` — your pending requests and active grants`,
    `• \`${command} done <grant id>\` — end your grant now`,
    `• \`${command} cancel <request id>\` — withdraw a pending request`,
    `• \`${command} admin map #channel <scope>\`, \`unmap\`, \`mappings\`, \`scopes\` — reviewer channels (admins)`,
  ].join('\n');
}
