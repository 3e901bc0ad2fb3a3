"""Fifth series (issue 16): the pull request's configuration — `ab --quick --shard 2/2` with the default 14-minute
budget, further looks most urgent first — with an injected slowdown (inject.py: P10 = 10 % more FD evaluations and
an extra MSE pass over 10 % of the rows, P25 = 25 % of each, no allocation). Shard 2/2 holds the FD gradient
(GradientStruct) and the MSE kernel (one thread) among its 8 methods; its other 6 methods are unchanged (A/A controls).
One line per run of samples5/: time, load, which injected cases were caught (launches a side), what else was flagged;
then per kind how many runs caught the FD slowdown, the MSE slowdown, and how many flagged an unchanged method.
Usage: python3 analyze_shard.py > final5.txt"""
import collections, glob, json, os, re

here = os.path.dirname(os.path.abspath(__file__))
index = {}
for line in open(os.path.join(here, 'samples5', 'index.txt')):
    fields = dict(f.split('=', 1) for f in line.split()[1:] if '=' in f)
    index[line.split()[0]] = fields

BAD = ('Slower', 'AllocatesMore', 'MissingInHead')
tally = collections.defaultdict(lambda: collections.Counter())
for path in sorted(glob.glob(os.path.join(here, 'samples5', '*.json')), key=lambda p: (re.sub(r'-\d+\.json$', '', p), int(re.search(r'-(\d+)\.json$', p).group(1)))):
    run = os.path.basename(path)[:-5]
    kind = run.rsplit('-', 1)[0]
    data = json.load(open(path))
    fd = [b for b in data['Benchmarks'] if 'CentralGradientBenchmarks.GradientStruct' in b['Name']]
    mse = [b for b in data['Benchmarks'] if re.search(r'MeanSquaredErrorBenchmarks<\w+>\.LossAndGradient\(', b['Name'])]
    other = [b for b in data['Benchmarks'] if b not in fd and b not in mse]
    info = index.get(run, {})
    tally[kind]['runs'] += 1
    tally[kind]['fd'] += any(b['Verdict'] in BAD for b in fd)
    tally[kind]['mse'] += any(b['Verdict'] in BAD for b in mse)
    tally[kind]['other'] += any(b['Verdict'] in BAD for b in other)
    tally[kind]['other cases'] += len(other)
    further = sum(1 for b in data['Benchmarks'] if len(b['BaseNanoseconds']) > data['Launches'])
    print(f"{run}: {info.get('seconds', '?')} s, exit {info.get('exit', '?')}, load {info.get('load_start', '?')}–{info.get('load_end', '?')}, "
          f"{len(data['Benchmarks'])} cases, {further} with further looks")
    for b in fd + mse + other:
        n = len(b['BaseNanoseconds'])
        if b['Verdict'] in BAD or n > data['Launches'] or b in fd:
            name = b['Name'].replace('MeanSquaredErrorBenchmarks', 'MSE').replace('CentralGradientBenchmarks.GradientStruct', 'FD')
            print(f"    {name}: {b['Verdict']}, head/base {b['Ratio']:.3f}, p {b['PValueSlower']:.3g}, {n} launches a side")
print()
for kind, t in tally.items():
    print(f"{kind}: {t['runs']} runs; FD slowdown caught in {t['fd']}, MSE slowdown caught in {t['mse']}; "
          f"an unchanged method flagged in {t['other']} (of {t['other cases']} unchanged cases in all)")
