"""Fourth series (the sequential rule): one line per run of samples4/ — the cases flagged, the launches a side each
case used (5 = one look), the ratio of medians — and per injected kind how many runs caught it.
Usage: python3 analyze_seq.py > final4.txt"""
import collections, glob, json, os, re

here = os.path.dirname(os.path.abspath(__file__))
index = {}
for line in open(os.path.join(here, 'samples4', 'index.txt')):
    fields = dict(f.split('=', 1) for f in line.split()[1:] if '=' in f)
    index[line.split()[0]] = fields


def short(name):
    name = name.replace('MeanSquaredErrorBenchmarks', 'MSE').replace('CentralGradientBenchmarks.GradientStruct', 'FD')
    return name.replace('.LossAndGradient', '').replace('Shape=', '')


caught = collections.defaultdict(lambda: [0, 0])
for path in sorted(glob.glob(os.path.join(here, 'samples4', '*.json')), key=lambda p: (re.sub(r'-\d+\.json$', '', p), int(re.search(r'-(\d+)\.json$', p).group(1)))):
    run = os.path.basename(path)[:-5]
    data = json.load(open(path))
    flagged = [b for b in data['Benchmarks'] if b['Verdict'] in ('Slower', 'AllocatesMore', 'MissingInHead')]
    kind = run.rsplit('-', 1)[0]
    caught[kind][0] += 1 if flagged else 0
    caught[kind][1] += 1
    info = index.get(run, {})
    print(f"{run}: {len(flagged)} of {len(data['Benchmarks'])} flagged, {info.get('seconds', '?')} s, load {info.get('load_start', '?')}–{info.get('load_end', '?')}")
    for b in data['Benchmarks']:
        n = len(b['BaseNanoseconds'])
        mark = {'Slower': 'SLOWER', 'AllocatesMore': 'ALLOCATES MORE'}.get(b['Verdict'], b['Verdict'].lower())
        if b['Verdict'] != 'Same' or n > data['Launches']:
            print(f"    {short(b['Name'])}: {mark}, head/base {b['Ratio']:.3f}, {n} launches a side")
print()
for kind, (hit, runs) in caught.items():
    print(f"{kind}: flagged in {hit} of {runs} runs")
