"""Consistency check for corpus/gold/*.json (stdlib only).

Checks that every quantity text is found at its occurrence in the article (the seed's
gold indexes normalized/000_seed.txt), enums and value/range fields are well formed,
quantity spans do not overlap, distractors and periods occur in the text, facts point
at listed quantities, parents point at earlier facts and regions have 6-digit codes or
null (6 digits; towns 9). Run: python corpus/check_gold.py [CORPUS_DIR]
"""
import json, glob, re, os, sys
# the corpus folder: this script's own, or the one given (python corpus/check_gold.py corpus/heldout)
C=os.path.abspath(sys.argv[1]) if len(sys.argv)>1 else os.path.dirname(os.path.abspath(__file__))
KINDS={'money','count','percent','measure','duration'}
QUALS={'exact','approx','at_least','more_than','at_most','less_than','range'}
CATS={'investment','funds_in_place','foreign_investment','projects','enterprises','activities','other'}
tot_q=tot_f=0
bad=0
for g in sorted(glob.glob(C+'/gold/*.json')):
    d=json.load(open(g,encoding='utf-8'))
    aid=d['id']; assert os.path.basename(g)==aid+'.json'
    tp=C+('/normalized/000_seed.txt' if aid=='000_seed' else f'/articles/{aid}.txt')
    t=open(tp,encoding='utf-8').read()
    errs=[]
    if not re.match(r'^\d{4}-\d\d-\d\d$',d['published']): errs.append('date')
    def pos(text,occ):
        p=-1
        for _ in range(occ):
            p=t.find(text,p+1)
            if p<0: return -1
        return p
    qk=set()
    for q in d['quantities']:
        assert set(q)=={'text','occurrence','kind','value','unit','currency','qualifier','low','high'},q
        if pos(q['text'],q['occurrence'])<0: errs.append(('qpos',q['text']))
        if q['kind'] not in KINDS or q['qualifier'] not in QUALS: errs.append(('enum',q))
        if (q['kind']=='money')!=(q['currency'] is not None): errs.append(('cur',q))
        if q['kind']=='money' and q['unit']!=q['currency']: errs.append(('unit',q))
        if (q['qualifier']=='range')!=(q['low'] is not None and q['high'] is not None): errs.append(('range',q))
        if q['qualifier']=='range' and not (q['low']==q['value']<q['high']): errs.append(('rangev',q))
        k=(q['text'],q['occurrence'])
        if k in qk: errs.append(('dupq',k))
        qk.add(k)
    # overlapping quantity spans
    spans=sorted((pos(q['text'],q['occurrence']),pos(q['text'],q['occurrence'])+len(q['text'])) for q in d['quantities'])
    for a,b in zip(spans,spans[1:]):
        if b[0]<a[1]: errs.append(('overlap',t[a[0]:a[1]],t[b[0]:b[1]]))
    for x in d['distractors']:
        if x not in t: errs.append(('dis',x))
    keys=set()
    for f in d['facts']:
        assert set(f)=={'key','quantity','occurrence','category','metric','subject','region','threshold','period','status','parent'},f
        if (f['quantity'],f['occurrence']) not in qk: errs.append(('fq',f['key']))
        if f['category'] not in CATS or f['status'] not in ('target','actual'): errs.append(('fenum',f['key']))
        if f['parent'] is not None and f['parent'] not in keys: errs.append(('parent',f['key']))
        r=f['region']
        if r is None or set(r)!={'name','adcode'} or (r['adcode'] is not None and not re.match(r'^(?:\d{6}|\d{9})$',r['adcode'])): errs.append(('region',f['key']))
        if f['period'] is not None and f['period'] not in t: errs.append(('period',f['key']))
        keys.add(f['key'])
    tot_q+=len(d['quantities']); tot_f+=len(d['facts'])
    n=len(t)
    bad+=bool(errs)
    print(aid, len(t), len(d['quantities']), len(d['facts']), errs or 'ok')
print('quantities', tot_q, 'facts', tot_f)
sys.exit(1 if bad else 0)
