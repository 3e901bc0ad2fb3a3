"""How much of the sequential rule's power a short budget keeps (issue 16): the saved power runs of samples4/
(FD and MSE with an injected 10 % or 25 % slowdown, up to 30 launches a side) replayed with the further looks cut
at a cap of launches a side — 5 (the first look alone), 10, 15, 20, 30 — in their saved launch order, with the
gate's rule (AbSequentialPlan: looks at 5, 10, … each at alpha/2 against base × 1.05, continuing only while the
verdict is "same" and head/base > 1.05). A cap stands for the launches the time left after the first looks buys.
Prints per kind and cap how many runs flagged at least one case, and per case how often it was caught.
Usage: python3 budget_replay.py > budget_replay.txt"""
import collections, glob, json, math, os, re, statistics
from mannwhitney import p_greater

THRESHOLD, ALPHA = 0.05, 0.01
here = os.path.dirname(os.path.abspath(__file__))


def replay(base, head, cap, step=5):
    n = step
    while True:
        b, h = base[:n], head[:n]
        if p_greater([x * (1 + THRESHOLD) for x in b], h) < ALPHA / 2:
            return True
        more = min(step, cap - n, len(base) - n, len(head) - n)
        if statistics.median(h) / statistics.median(b) <= 1 + THRESHOLD or more <= 0:
            return False
        n += more


CAPS = (5, 10, 15, 20, 30)
runs = collections.defaultdict(lambda: collections.defaultdict(int))
total = collections.defaultdict(int)
cases = collections.defaultdict(lambda: collections.defaultdict(int))
for path in sorted(glob.glob(os.path.join(here, 'samples4', 'P*.json'))):
    kind = re.sub(r'-\d+$', '', os.path.basename(path)[:-5]).replace('fdb', 'fd').replace('mseb', 'mse')
    data = json.load(open(path))
    total[kind] += 1
    for cap in CAPS:
        hit = False
        for b in data['Benchmarks']:
            if b['Verdict'] == 'AllocatesMore':
                caught = True
            else:
                caught = len(b['BaseNanoseconds']) >= 5 and replay(b['BaseNanoseconds'], b['HeadNanoseconds'], cap)
            cases[(kind, b['Name'])][cap] += caught
            hit |= caught
        runs[kind][cap] += hit

print('kind: runs flagged (of runs) with further looks capped at ' + ', '.join(f'{c}' for c in CAPS) + ' launches a side')
for kind in sorted(total):
    print(f"{kind}: " + ', '.join(f"{runs[kind][c]}/{total[kind]}" for c in CAPS))
print()
print('per case: runs in which the case was caught, at the same caps')
for (kind, name), hits in sorted(cases.items()):
    print(f"{kind} {name}: " + ', '.join(f"{hits[c]}/{total[kind]}" for c in CAPS))
