/**
 * The control law of an adaptive concurrency bound, as pure data in and out (no clock, no promises): the
 * limiter feeds it one sample per finished engine call and reads the bound back.
 *
 * The signal is the engine's call latency against the best seen for the same kind of call (a create is
 * not a start). While a round of calls (one bound's worth) comes back no slower than `tolerance` × that
 * baseline, the engine is not queueing our work: the bound grows (doubling until the first sign of
 * congestion, then by one per round: TCP's slow start and AIMD). When a round's median latency exceeds
 * the tolerance, the engine is queueing: the bound shrinks by `backoff`. A round in which no call had to
 * wait for a slot says nothing about a larger bound, so it leaves the bound alone.
 */
export interface AdaptiveOptions {
  initial: number;
  min: number;
  max: number;
  /** Median latency / baseline above which a round counts as congested (e.g. 2). */
  tolerance: number;
  /** Multiplier applied to the bound on congestion (e.g. 0.75). */
  backoff: number;
  /**
   * Per sample, how far the baseline creeps up towards the latest latency (e.g. 0.01): an engine that got
   * slower for good (a busier machine) is learnt, instead of judging every later round congested.
   */
  drift: number;
}

export interface AdaptiveState {
  limit: number;
  /** Doubling until the first congested round. */
  slowStart: boolean;
  /** Best latency (ms) per kind of call, slowly forgotten. */
  baseline: Readonly<Record<string, number>>;
  /** The current round: latency / baseline of each sample. */
  round: readonly number[];
  /** Whether a call waited for a slot during the current round. */
  saturated: boolean;
}

export interface Sample {
  kind: string;
  latencyMs: number;
  /** A call was waiting for a slot when this one finished (the bound, not demand, held work back). */
  saturated: boolean;
}

export const DEFAULT_ADAPTIVE: AdaptiveOptions = {
  initial: 8,
  min: 4,
  max: 256,
  tolerance: 2,
  backoff: 0.75,
  drift: 0.01,
};

export function initialState(o: AdaptiveOptions): AdaptiveState {
  return { limit: clamp(o.initial, o), slowStart: true, baseline: {}, round: [], saturated: false };
}

function clamp(n: number, o: AdaptiveOptions): number {
  return Math.max(o.min, Math.min(o.max, Math.floor(n)));
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The state after one finished call. */
export function observe(state: AdaptiveState, sample: Sample, o: AdaptiveOptions): AdaptiveState {
  const latency = Math.max(sample.latencyMs, 0.1);
  const prev = state.baseline[sample.kind];
  const base = prev === undefined ? latency : Math.min(latency, prev + (latency - prev) * o.drift);
  const baseline = { ...state.baseline, [sample.kind]: base };
  const round = [...state.round, latency / base];
  const saturated = state.saturated || sample.saturated;
  if (round.length < state.limit) return { ...state, baseline, round, saturated };
  const congested = median(round) > o.tolerance;
  let { limit, slowStart } = state;
  if (congested) {
    limit = clamp(limit * o.backoff, o);
    slowStart = false;
  } else if (saturated) limit = clamp(slowStart ? limit * 2 : limit + 1, o);
  return { limit, slowStart, baseline, round: [], saturated: false };
}
