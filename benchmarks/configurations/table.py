import glob, json, os, re, statistics, sys, collections
# usage: table.py OUT (the directory measure.sh wrote) or table.py MEDIANS.tsv (its medians, as committed here).
CONFIGURATIONS = {'X=1': 'default', 'DOTNET_EnableAVX512=0': 'avx512off', 'DOTNET_EnableAVX2=0': 'avx2off'}


def kind(type_name):
    return 'float' if 'Single' in type_name else 'softmax' if 'LinearModel' in type_name else 'double'


source = sys.argv[1]
v = collections.defaultdict(list)
if source.endswith('.tsv'):
    with open(source) as f:
        next(f)
        for line in f:
            rnd, _, env, type_name, method, parameters, median = line.rstrip('\n').split('\t')
            v[(CONFIGURATIONS[env], kind(type_name), method, parameters.split('=')[1])].append((int(rnd), float(median)))
else:
    for d in sorted(glob.glob(os.path.join(source, 'r*-c*'))):
        cfg = CONFIGURATIONS[open(os.path.join(d, 'env.txt')).read().strip()]
        rnd = int(re.search(r'r(\d+)-', os.path.basename(d)).group(1))
        for f in glob.glob(os.path.join(d, 'results', '*-report-full.json')):
            for b in json.load(open(f))['Benchmarks']:
                vals = [m['Nanoseconds'] / m['Operations'] for m in b['Measurements'] if m['IterationMode'] == 'Workload' and m['IterationStage'] == 'Actual']
                v[(cfg, kind(b['Type']), b['Method'], b['Parameters'].split('=')[1])].append((rnd, statistics.median(vals)))


def get(k): return dict(v.get(k, []))
def fmt(x): return f"{x/1e6:.2f} ms" if x > 1e5 else f"{x/1e3:.1f} µs" if x > 1e4 else f"{x:.1f} ns"
def ratio(num, den, label):
    a, b = get(num), get(den)
    rs = [a[r] / b[r] for r in sorted(a) if r in b]
    if not rs: return
    print(f"| {label} | {fmt(statistics.median(a.values()))} | {fmt(statistics.median(b.values()))} | **{statistics.median(rs):.2f}** ({min(rs):.2f}–{max(rs):.2f}) | {len(rs)} |")
print("| ratio (per round, same round's two processes) | numerator median | denominator median | ratio median (range) | rounds |")
print("| --- | ---: | ---: | ---: | ---: |")
for s in ['100000x128', '2000000x16']:
    ratio(('default', 'float', 'LossAndGradient', s), ('default', 'float', 'ReadOnlyPass512', s), f"default, float, {s} ÷ float read-only pass (512-bit)")
for s in ['50x4', '50x16', '1000x1000', '100000x128', '2000000x16']:
    ratio(('default', 'float', 'LossAndGradient', s), ('default', 'double', 'LossAndGradient', s), f"default, float ÷ double, {s}")
for s in ['50x4', '50x16']:
    ratio(('default', 'float', 'LossAndGradientFast', s), ('default', 'double', 'LossAndGradient', s), f"default, float with FloatArithmetic.Fast ÷ double, {s}")
ratio(('avx512off', 'double', 'LossAndGradient', '50x4'), ('default', 'double', 'LossAndGradient', '50x4'), "double 50x4, AVX-512 off ÷ default")
for s in ['100000x128', '2000000x16']:
    ratio(('avx512off', 'double', 'LossAndGradient', s), ('avx512off', 'double', 'ReadOnlyPass256', s), f"AVX-512 off, double, {s} ÷ read-only pass (256-bit)")
for s in ['100000x128', '2000000x16']:
    ratio(('avx2off', 'double', 'LossAndGradient', s), ('avx2off', 'double', 'ReadOnlyPass128', s), f"AVX2 off, double, {s} ÷ read-only pass (128-bit)")
for s in ['100000x128', '2000000x16']:
    ratio(('avx512off', 'float', 'LossAndGradient', s), ('avx512off', 'float', 'ReadOnlyPass256', s), f"AVX-512 off, float, {s} ÷ float read-only pass (256-bit)")
    ratio(('avx2off', 'float', 'LossAndGradient', s), ('avx2off', 'float', 'ReadOnlyPass128', s), f"AVX2 off, float, {s} ÷ float read-only pass (128-bit)")
ratio(('default', 'softmax', 'SoftmaxLossAndGradient', '100000x128'), ('default', 'softmax', 'ReadOnlyPass256', '100000x128'), "softmax K = 10, 100000x128 ÷ read-only pass (256-bit)")
ratio(('default', 'softmax', 'SoftmaxLossAndGradient', '100000x128'), ('default', 'softmax', 'SoftmaxArithmeticFloor', '100000x128'), "softmax ÷ its arithmetic floor (2·N·D·K FMAs)")
ratio(('default', 'softmax', 'SoftmaxArithmeticFloor', '100000x128'), ('default', 'softmax', 'ReadOnlyPass256', '100000x128'), "arithmetic floor ÷ read-only pass (256-bit)")
ratio(('default', 'softmax', 'SoftmaxLossAndGradient', '2000000x16'), ('default', 'softmax', 'ReadOnlyPass256', '2000000x16'), "softmax K = 10, 2000000x16 ÷ read-only pass (256-bit)")
