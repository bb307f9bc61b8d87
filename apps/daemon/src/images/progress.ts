/**
 * Progress of image work, as plain data the executor turns into ProgressEvents (kind `image`).
 * Pull/push: one message per layer update. Build: one message per output line.
 */
import type { EngineStreamMessage } from '../engine/images.js';

export interface ImageProgress {
  service: string;
  image: string;
  action: 'pull' | 'build' | 'push' | 'check';
  state: 'working' | 'done' | 'error' | 'skipped' | 'warning';
  /** Pull/push: the layer id the message is about. */
  layer?: string;
  /** Pull/push: `Downloading`, `Extracting`, `Pull complete`, ...; build: `Step 2/5 : RUN make`. */
  status?: string;
  /** Bytes done and total for a layer, when the engine says. */
  current?: number;
  total?: number;
  /** One line of build output, or a summary (`pulled`, `built sha256:...`), or an error message. */
  message?: string;
}

export type ProgressSink = (p: ImageProgress) => void;

/** A pull/push stream message as progress. */
export function layerProgress(
  m: EngineStreamMessage,
  base: Pick<ImageProgress, 'service' | 'image' | 'action'>,
): ImageProgress | undefined {
  if (m.error || m.errorDetail) return undefined;
  if (!m.status) return undefined;
  const detail = m.progressDetail;
  return {
    ...base,
    state: 'working',
    status: m.status,
    ...(m.id ? { layer: m.id } : {}),
    ...(detail?.current !== undefined ? { current: detail.current } : {}),
    ...(detail?.total !== undefined ? { total: detail.total } : {}),
  };
}

const STEP = /^Step \d+\/\d+ : /;

/**
 * Follows a classic-builder output stream: splits it into lines, remembers the step being run and the
 * lines it printed, so a failure can name the failing step and show its output.
 */
export function createBuildLog(
  base: Pick<ImageProgress, 'service' | 'image'>,
  onProgress: ProgressSink,
  keepLines = 30,
) {
  let partial = '';
  let step: string | undefined;
  let stepOutput: string[] = [];
  const emit = (line: string) => {
    if (STEP.test(line)) {
      step = line;
      stepOutput = [];
    } else if (line && !line.startsWith(' ---> ') && !/^Removing intermediate container /.test(line)) {
      stepOutput.push(line);
      if (stepOutput.length > keepLines) stepOutput.shift();
    }
    onProgress({
      ...base,
      action: 'build',
      state: 'working',
      ...(step ? { status: step } : {}),
      message: line,
    });
  };
  return {
    message(m: EngineStreamMessage): void {
      if (m.stream !== undefined) {
        partial += m.stream;
        let nl = partial.indexOf('\n');
        while (nl >= 0) {
          emit(partial.slice(0, nl).replace(/\r$/, ''));
          partial = partial.slice(nl + 1);
          nl = partial.indexOf('\n');
        }
      } else if (m.status) {
        // A FROM that pulls reports layer progress inside the build stream.
        const p = layerProgress(m, { ...base, action: 'pull' });
        if (p) onProgress(p);
      }
    },
    /** The step that was running and what it printed (for BUILD_FAILED). */
    failure(): { step?: string; output: string[] } {
      if (partial) {
        emit(partial);
        partial = '';
      }
      return { ...(step ? { step } : {}), output: [...stepOutput] };
    },
  };
}
