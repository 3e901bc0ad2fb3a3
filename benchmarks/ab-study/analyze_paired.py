"""Would a paired test use the A/B interleaving better? ab runs launch i of base and head back to back (A B, then B A),
so launch i of each side shares the machine's state. This recomputes every saved study run (samples*/) with a one-sided
paired t-test on log(head_i / base_i) - log(1 + threshold), at the run's alpha, beside the Mann-Whitney verdict ab uses, and
with either test at alpha/2. Usage: python3 analyze_paired.py (no arguments; reads the samples beside it)."""
import json, os, sys, math, glob, collections
def betacf(a,b,x):
    MAXIT=200; EPS=3e-14; FPMIN=1e-300
    qab=a+b; qap=a+1; qam=a-1; c=1.0; d=1-qab*x/qap
    if abs(d)<FPMIN: d=FPMIN
    d=1/d; h=d
    for m in range(1,MAXIT+1):
        m2=2*m; aa=m*(b-m)*x/((qam+m2)*(a+m2))
        d=1+aa*d; d=FPMIN if abs(d)<FPMIN else d; c=1+aa/c; c=FPMIN if abs(c)<FPMIN else c; d=1/d; h*=d*c
        aa=-(a+m)*(qab+m)*x/((a+m2)*(qap+m2))
        d=1+aa*d; d=FPMIN if abs(d)<FPMIN else d; c=1+aa/c; c=FPMIN if abs(c)<FPMIN else c; d=1/d; de=d*c; h*=de
        if abs(de-1)<EPS: break
    return h
def ibeta(a,b,x):
    if x<=0: return 0.0
    if x>=1: return 1.0
    bt=math.exp(math.lgamma(a+b)-math.lgamma(a)-math.lgamma(b)+a*math.log(x)+b*math.log(1-x))
    if x<(a+1)/(a+b+2): return bt*betacf(a,b,x)/a
    return 1-bt*betacf(b,a,1-x)/b
def t_sf(t,df):  # P(T>t)
    x=df/(df+t*t); p=0.5*ibeta(df/2,0.5,x)
    return p if t>0 else 1-p
def paired_p(b,h,thr):
    d=[math.log(hi/bi)-math.log(1+thr) for bi,hi in zip(b,h)]
    n=len(d); m=sum(d)/n; sd=math.sqrt(sum((x-m)**2 for x in d)/(n-1))
    if sd==0: return 0.0 if m>0 else 1.0
    return t_sf(m/sd*math.sqrt(n), n-1)
files=sorted(glob.glob(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'samples*', '*.json')))
stats=collections.defaultdict(lambda: collections.defaultdict(lambda:[0,0,0,0]))
runs=collections.defaultdict(lambda:[0,0,0,0])
for f in files:
    kind=os.path.basename(f).split('-')[0]
    if kind=='AA' and 'full' in f: kind='AAfull'
    j=json.load(open(f)); thr=j['Threshold']; al=j['Alpha']
    flag=[0,0,0]
    for b in j['Benchmarks']:
        B,H=b['BaseNanoseconds'],b['HeadNanoseconds']
        if not B or not H or len(B)!=len(H): continue
        pm=b['PValueSlower']; pp=paired_p(B,H,thr)
        v=[pm<al, pp<al, (pm<al/2) or (pp<al/2)]
        e=stats[kind][b['Name']]; e[0]+=1
        for k in range(3): e[k+1]+=v[k]; flag[k]|=v[k]
    r=runs[kind]; r[0]+=1
    for k in range(3): r[k+1]+=flag[k]
for kind in sorted(stats):
    print(f"== {kind}: runs {runs[kind][0]}; runs flagged MW {runs[kind][1]}, pairedT {runs[kind][2]}, either@a/2 {runs[kind][3]}")
    for name,e in sorted(stats[kind].items()):
        print(f"   {name:70s} n={e[0]} MW {e[1]} pT {e[2]} both/2 {e[3]}")
