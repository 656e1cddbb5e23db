/** An instant as people read it on the dashboard: `2026-03-02 09:00:05 UTC`. */
export function utcText(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** An instant as an `<input type="datetime-local">` shows it (the dashboard's times are UTC). */
export function dateTimeLocalValue(date: Date): string {
  return date.toISOString().slice(0, 19);
}

/** A span of time in a few words: `45 s`, `12 min`, `3 h 5 min`, `2 d 4 h`. */
export function spanText(ms: number): string {
  const seconds = Math.round(Math.abs(ms) / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days} d` : `${days} d ${hours % 24} h`;
}
