"""Bootstrap study of the gate's sequential rule (AbSequentialPlan), issue 16.

Noise model: every saved run on the thread clock of the first four series (samples/, samples2/ … samples4/), each case's launch medians as log-ratios to the median
of their side; a case's residuals are pooled over all runs (A/A and injected alike: the injection moves a side's
median, not its spread). A simulated trial draws base and head launches from the case's residuals with replacement,
head multiplied by (1 + e), and applies a design:
  one look of 5 launches a side at alpha (the rule before), or
  looks at 5, 10, ... launches a side, each at the given level, continuing only while the verdict is "same" and the
  ratio of medians exceeds 1 + threshold (the rule now: up to 30 a side at alpha/2).
Prints per design and true slowdown e the rate of SLOWER verdicts (mean, min and max over the cases) and the mean
launches a side. Only cases with at least 100 residuals (the 13 of the studies' two methods). Seeded: reproducible.
Usage: python3 sequential_sim.py > sequential.txt   (about a minute)
"""
import collections, glob, json, math, os, random, statistics
from mannwhitney import p_greater

THRESHOLD, ALPHA = 0.05, 0.01
here = os.path.dirname(os.path.abspath(__file__))
residuals = collections.defaultdict(list)
for path in sorted(p for d in ('samples', 'samples2', 'samples3', 'samples4') for p in glob.glob(os.path.join(here, d, '*.json'))):
    run = json.load(open(path))
    if run.get('Clock') != 'thread':
        continue
    for case in run['Benchmarks']:
        for side in ('BaseNanoseconds', 'HeadNanoseconds'):
            xs = case[side]
            if len(xs) >= 3:
                m = statistics.median(xs)
                residuals[case['Name']].extend(math.log(x / m) for x in xs)


def trial(r, e, looks, level, rng):
    base, head = [], []
    for n in looks:
        k = n - len(base)
        base += [math.exp(rng.choice(r)) for _ in range(k)]
        head += [(1 + e) * math.exp(rng.choice(r)) for _ in range(k)]
        if p_greater([x * (1 + THRESHOLD) for x in base], head) < level:
            return 1, n
        if statistics.median(head) / statistics.median(base) <= 1 + THRESHOLD:
            return 0, n
    return 0, looks[-1]


designs = [
    ('one look of 5 at alpha (before)', [5], ALPHA),
    ('looks 5..30 at alpha/2 (now)', [5, 10, 15, 20, 25, 30], ALPHA / 2),
    ('looks 5..30 at alpha', [5, 10, 15, 20, 25, 30], ALPHA),
    ('looks 5..20 at alpha', [5, 10, 15, 20], ALPHA),
]
cases = [c for c in sorted(residuals) if len(residuals[c]) >= 100]
print(f'{len(cases)} cases: ' + ', '.join(cases))
print(f'threshold {THRESHOLD}, alpha {ALPHA}; trials per case: 2000 for e = 0, 400 otherwise\n')
print('| design | true slowdown e | SLOWER, mean over cases | min | max | launches a side, mean |')
print('| --- | ---: | ---: | ---: | ---: | ---: |')
rng = random.Random(20261206)
for name, looks, level in designs:
    for e in (0.0, 0.05, 0.10, 0.25):
        trials = 2000 if e == 0 else 400
        rates, launches = [], []
        for c in cases:
            hits = used = 0
            for _ in range(trials):
                h, n = trial(residuals[c], e, looks, level, rng)
                hits += h
                used += n
            rates.append(hits / trials)
            launches.append(used / trials)
        print(f'| {name} | {e:.2f} | {sum(rates) / len(rates):.4f} | {min(rates):.3f} | {max(rates):.3f} | {sum(launches) / len(launches):.1f} |')
