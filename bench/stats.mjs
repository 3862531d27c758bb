/** Statistics and the interleaved timing loop shared by the suites. */

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};

const now = () => process.hrtime.bigint();
/**
 * Lets the event loop turn between batches, as it does in a real app: objects held by WeakRefs
 * (undici's Request signals) stay alive until the current job ends, and finalizers run only then,
 * so a loop that never yields measures a growing heap rather than the code.
 */
const turn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Times async variants interleaved: every round runs one batch of each variant, in an order that
 * rotates per round, so drift (thermal, GC, other load) hits them alike. One sample is the mean
 * time per call of one batch, in µs. Ratios are taken per round against `baseline` and their
 * median reported, which cancels drift between rounds; the medians of the samples are given too.
 * On a shared machine a suite could take many times its planned time, so the rounds stop at
 * `seconds` (warm-up included) once `minRounds` are done; the rounds run are reported.
 */
export async function compare(variants, { baseline = variants[0][0], rounds: planned, batch, warmup: plannedWarmup, seconds = Infinity, minRounds = 30 }) {
  // BENCH_SCALE=0.05 runs a twentieth of the rounds: a quick check that every suite works, not a measurement.
  const scale = Number(process.env.BENCH_SCALE ?? 1);
  const planRounds = Math.max(3, Math.round(planned * scale));
  const warmup = Math.max(10, Math.round(plannedWarmup * scale));
  const deadline = performance.now() + seconds * 1000 * scale;
  for (const [, run] of variants)
    for (let i = 0; i < warmup; i++) {
      await run();
      if (i % batch === 0) await turn();
    }
  const samples = new Map(variants.map(([name]) => [name, []]));
  const cpuSamples = new Map(variants.map(([name]) => [name, []]));
  let rounds = 0;
  for (let round = 0; round < planRounds; round++) {
    if (round >= minRounds && performance.now() > deadline) break;
    rounds++;
    for (let k = 0; k < variants.length; k++) {
      const [name, run] = variants[(round + k) % variants.length];
      await turn();
      const cpu = process.cpuUsage();
      const start = now();
      for (let i = 0; i < batch; i++) await run();
      const wall = Number(now() - start) / 1000 / batch;
      const used = process.cpuUsage(cpu);
      samples.get(name).push(wall);
      cpuSamples.get(name).push((used.user + used.system) / batch);
    }
  }
  const base = samples.get(baseline);
  const cpuBase = cpuSamples.get(baseline);
  return variants.map(([name]) => {
    const own = samples.get(name);
    const ratios = own.map((t, i) => t / base[i]);
    const cpu = cpuSamples.get(name);
    const cpuRatios = cpu.map((t, i) => t / cpuBase[i]);
    return {
      name,
      medianUs: median(own),
      p10Us: quantile(own, 0.1),
      p90Us: quantile(own, 0.9),
      ratio: median(ratios),
      ratioP10: quantile(ratios, 0.1),
      ratioP90: quantile(ratios, 0.9),
      cpuUs: median(cpu),
      cpuRatio: median(cpuRatios),
      cpuRatioP10: quantile(cpuRatios, 0.1),
      cpuRatioP90: quantile(cpuRatios, 0.9),
      rounds,
      batch,
      calls: rounds * batch,
    };
  });
}
