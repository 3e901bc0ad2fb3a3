"""Power study of the A/B gate, third series (thread clock, --quick): per injection, per case, how often the gate
flagged it. Usage: analyze3.py SAMPLES_DIR (holds NAME.json = each run's ab-samples.json and index.txt)."""
import json, os, sys, collections
R = sys.argv[1]
idx = {}
for line in open(f'{R}/index.txt'):
    parts = line.split()
    if len(parts) > 1 and '=' in parts[1]:
        idx[parts[0]] = dict(p.split('=') for p in parts[1:])

def load(n):
    f = f'{R}/{n}.json'
    return json.load(open(f)) if os.path.exists(f) else None

def judge(b, alpha):
    # The time test and the byte test separately (the table's one verdict shows ALLOCATES MORE before SLOWER).
    slower = b['PValueSlower'] is not None and b['PValueSlower'] < alpha
    base = b.get('BaseCallingThreadBytes') or b['BaseBytes']
    head = b.get('HeadCallingThreadBytes') or b['HeadBytes']
    allocates = bool(base) and bool(head) and min(head) > min(base)
    return slower, allocates

for kind, label in [('AA', 'A/A (base = head = the same commit)'), ('P10', '+10 %: MSE extra pass over 10 % of the rows, FD +10 % evaluations'), ('P25', '+25 %: MSE extra pass over 25 % of the rows and one 24 B object per call, FD +25 % evaluations')]:
    runs = [n for n in sorted(idx) if n.startswith(kind + '-') and load(n)]
    print(f'== {kind}: {label}: {len(runs)} runs ==')
    per = collections.defaultdict(lambda: [0, 0, 0, []])
    run_hits = collections.defaultdict(int)
    for n in runs:
        d = load(n)
        hit = collections.defaultdict(bool)
        for b in d['Benchmarks']:
            t, al = judge(b, d['Alpha'])
            e = per[b['Name']]
            e[0] += 1; e[1] += t; e[2] += al; e[3].append(round(b['Ratio'], 2) if b['Ratio'] else None)
            method = 'MSE' if 'MeanSquaredError' in b['Name'] else 'FD'
            hit[method + ' time'] |= t
            hit[method + ' alloc'] |= al
        for k, v in hit.items():
            run_hits[k] += v
        i = idx[n]
        print(f"  {n}: {i['start']} {i['seconds']} s, load {i['load_start']}→{i['load_end']}, exit {i['exit']}")
    for k in sorted(run_hits):
        print(f'  runs in which {k} was flagged: {run_hits[k]} of {len(runs)}')
    for name in sorted(per):
        e = per[name]
        print(f'  {name}: time {e[1]}/{e[0]}, alloc {e[2]}/{e[0]}, head/base {e[3]}')
