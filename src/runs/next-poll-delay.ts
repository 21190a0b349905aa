export interface PollSettings {
  initialSeconds: number;
  maxSeconds: number;
}

/** 5 s, 7.5 s, 11 s … growing by half each poll up to the maximum (60 s by default). */
export function nextPollDelayMs(pollCount: number, settings: PollSettings): number {
  const seconds = Math.min(settings.initialSeconds * 1.5 ** Math.max(0, pollCount), settings.maxSeconds);
  return Math.round(seconds * 1000);
}
