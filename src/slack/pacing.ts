/** The per-channel pacing every poster shares: Slack allows about one message per second per channel. */

export interface PacerClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: PacerClock = { now: () => Date.now(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };

/** Serialises sends per channel and spaces their starts at least `minIntervalMs` apart (Slack: ~1 message/s/channel). */
export class ChannelPacer {
  private readonly lastStart = new Map<string, number>();
  private readonly tails = new Map<string, Promise<unknown>>();

  constructor(
    private readonly clock: PacerClock = realClock,
    private readonly minIntervalMs = 1_000,
  ) {}

  run<T>(channel: string, send: () => Promise<T>): Promise<T> {
    const turn = (this.tails.get(channel) ?? Promise.resolve())
      .catch(() => undefined)
      .then(async () => {
        const last = this.lastStart.get(channel);
        const wait = last === undefined ? 0 : last + this.minIntervalMs - this.clock.now();
        if (wait > 0) await this.clock.sleep(wait);
        this.lastStart.set(channel, this.clock.now());
        return send();
      });
    this.tails.set(channel, turn);
    void turn
      .finally(() => {
        if (this.tails.get(channel) === turn) this.tails.delete(channel);
      })
      .catch(() => undefined);
    return turn;
  }
}

/** One pacer per process unless a caller brings its own: every digest post shares the per-channel spacing. */
export const sharedPacer = new ChannelPacer();
