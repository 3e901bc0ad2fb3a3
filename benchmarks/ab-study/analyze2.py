import json, os, sys, collections
R=sys.argv[1] if len(sys.argv)>1 else '/tmp/h16/study/results'
idx={}
for line in open(f'{R}/index.txt'):
    parts=line.split()
    if len(parts)>1 and '=' in parts[1]: idx[parts[0]]=dict(p.split('=') for p in parts[1:])
def load(n):
    f=f'{R}/{n}/ab-samples.json'
    return json.load(open(f)) if os.path.exists(f) else None
def judge(b,a):
    t = b['PValueSlower'] is not None and b['PValueSlower']<a
    al = bool(b['BaseBytes']) and bool(b['HeadBytes']) and min(b['HeadBytes'])-min(b['BaseBytes'])>=8
    miss = not b['HeadNanoseconds'] and b['BaseNanoseconds']
    return t, al, miss
print('== A/A (verdicts recomputed with the final rule: time p<alpha vs base*1.05; bytes min diff >= 8) ==')
runs=0; flagged_runs=0; nb=0; flags=[]; old_flag_runs=0
for n in sorted([n for n in idx if n.startswith('AA')], key=lambda x:int(x.split('-')[1])):
    d=load(n)
    if not d: continue
    runs+=1; a=d['Alpha']; f=[]
    for b in d['Benchmarks']:
        nb+=1; t,al,miss=judge(b,a)
        if t or al or miss: f.append((b['Name'],'time' if t else 'alloc' if al else 'missing', round(b['Ratio'],3), b['BaseBytes'], b['HeadBytes']))
    old=any(b['Verdict'] in ('Slower','AllocatesMore','MissingInHead') for b in d['Benchmarks'])
    old_flag_runs+=old
    flagged_runs+= bool(f); flags+= [(n,)+x for x in f]
    rs=[b['Ratio'] for b in d['Benchmarks'] if b['Ratio']]
    print(f"{n}: {idx[n]['start']} {idx[n]['seconds']} s, load {idx[n]['load_start']}→{idx[n]['load_end']}, flagged {len(f)} (old rule: {'yes' if old else 'no'}), head/base {min(rs):.3f}–{max(rs):.3f}")
print(f'A/A: {runs} runs × 11 benchmarks = {nb} verdicts; runs with a false alarm: {flagged_runs} (old allocation rule: {old_flag_runs})')
for x in flags: print('  ', x)
print('== power ==')
for kind in ['PX','PY']:
    rs=[n for n in sorted(idx) if n.startswith(kind) and load(n)]
    per=collections.defaultdict(lambda:[0,0,0,[]])
    for n in rs:
        d=load(n)
        for b in d['Benchmarks']:
            t,al,miss=judge(b,d['Alpha']); e=per[b['Name']]
            e[0]+=1; e[1]+=t; e[2]+=al; e[3].append(round(b['Ratio'],2))
    print(kind, len(rs), 'runs')
    for k,(c,t,al,r) in sorted(per.items()): print(f'  {k}: time {t}/{c}, alloc {al}/{c}, head/base {r}')
