"""Training the statistical backstop (needs scikit-learn; only used offline, never at run time).

``scripts/train_backstop.py`` writes rules/backstop.json from the tuning sets; the evaluation
uses :func:`fit` per fold to report honest, out-of-fold figures for the sets it trains on.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import yaml

from .backstop import TOKEN_PATTERN

TRAINING_SETS = ("eval/signals/labelled.yml", "eval/signals/tuning2.yml",
                 "eval/signals/tuning3.yml", "eval/signals/tuning4.yml",
                 "eval/signals/tuning5.yml", "eval/signals/tuning6.yml",
                 "eval/signals/tuning7.yml", "eval/signals/tuning8.yml",
                 "eval/signals/tuning9.yml", "eval/signals/tuning10.yml",
                 "eval/signals/tuning11.yml", "eval/signals/tuning12.yml",
                 "eval/signals/tuning13.yml", "eval/signals/tuning14.yml",
                 "eval/signals/tuning15.yml", "eval/signals/tuning16.yml",
                 "eval/signals/tuning17.yml", "eval/signals/tuning18.yml",
                 "eval/signals/tuning19.yml", "eval/signals/tuning21.yml",
                 "eval/signals/tuning24.yml", "eval/signals/tuning25.yml",
                 "eval/signals/tuning26.yml", "eval/signals/tuning27.yml",
                 "eval/signals/tuning29.yml", "eval/signals/tuning30.yml",
                 "eval/signals/tuning32.yml", "eval/signals/tuning33.yml",
                 "eval/signals/tuning35.yml", "eval/signals/tuning37.yml")
SIGNALS = ("overly_positive_acquaintances", "poor_communication", "unclear_culture",
           "unrealistic_expectations", "vague_job_description")
# Chosen on messages that neither the patterns nor the model had seen: tuning4.yml scored with the
# patterns as they were before it was written and a model trained on the three older sets, and
# tuning5.yml likewise. Micro-F1 at 0.60 / 0.65 / 0.70 / 0.75: tuning4 0.847 / 0.847 / 0.833 /
# 0.817, tuning5 0.873 / 0.862 / 0.810 / 0.779. The out-of-fold sweep over the tuning sets
# favours 0.75, but it is biased (the patterns were tuned on those very messages, so the model
# looks needed less often than on new text); 0.65 is within 0.01 of the best on new text and
# keeps more precision (0.60 flags the person's own doubts more often). tuning6.yml, scored the
# same way before anything was tuned on it (patterns as they were, a model trained on the five
# older sets), confirmed it: micro-F1 0.836 / 0.829 / 0.819 / 0.785 / 0.775 at 0.55 / 0.60 /
# 0.65 / 0.70 / 0.75, and 0.687 with the backstop switched off - on new wording the backstop
# finds about a quarter of the flags.
THRESHOLD = 0.65
# A flag the model would add beside flags the patterns already found needs more: out of fold,
# such additions were right 14 times in 45 (a message clearly about one flag carries the words of
# the flags that usually come with it), against 54 in 79 for a message with no pattern flag.
# Micro-F1 with 0.65 / 0.75 / 0.80 / 0.85 / never beside other flags: out of fold over the seven
# sets 0.925 / 0.929 / 0.930 / 0.931 / 0.931; on tuning6+7 scored fresh (patterns as they were
# before those sets, a model trained on the five older sets) 0.830 / 0.837 / 0.837 / 0.832 /
# 0.819.
THRESHOLD_BESIDE = 0.80
# tuning14/15.yml (113 messages, team SIG2) scored fresh - patterns as they were before them, a
# model trained on the thirteen older sets - at 0.55 / 0.65 / 0.75 / 0.80: 0.774 / 0.773 / 0.772 /
# 0.784; out of fold over all fifteen sets at 0.65 / 0.70 / 0.75 / 0.80: 0.9287 / 0.9297 /
# 0.9316 / 0.9256. The fresh sets do not separate them and the older fresh sets favoured 0.65,
# so it stays.
# tuning8.yml (people juggling several processes and offers, mostly without any red flag) was
# scored fresh before it was added: 6 of its 17 neutral messages were read as poor communication
# ("two interviews this week, one at a bank and one at a startup"). Trained with it, the held-out
# score is unchanged (0.854 micro-F1) and such messages are clean.
# tuning9-11.yml (228 messages written for issue 11 by team SIG: the ways people describe poor
# communication, vague roles and shrinking promises, and neutral stories that name pay, hours
# and the recruiter) were scored fresh before they were added: 0.734, 0.868 and 0.696 micro-F1.
# Swept again with them (out of fold over all eleven sets, 1,516 messages) at 0.60 / 0.65 / 0.70
# / 0.75 / 0.80 / 0.85: 0.924 / 0.927 / 0.927 / 0.928 / 0.926 / 0.921; tuning11 scored fresh with
# a model trained on the ten older sets: 0.696 at 0.65, 0.682 at 0.75, 0.714 at 0.80. Too close
# to call, so the threshold stays 0.65. tuning12.yml (40 messages of people's own situation
# mid-conversation, mostly without a flag) scored fresh at 0.519: the model read plain mentions of
# "company", "different", "where I work now" as unclear culture; trained on it, they are clean.
# A second flag the model finds by itself needs threshold_beside too (see Backstop.detect): out
# of fold over the eleven sets 0.9278 -> 0.9281, on tuning9+10 with a model that had not seen
# them 0.927 -> 0.931.
# tuning16/17.yml (116 messages, team SIG3) were scored fresh before anything was tuned on them
# (patterns as they were, the model trained on the fifteen older sets): 0.891 and 0.818 micro-F1.
# Out of fold over all seventeen sets (1,823 messages) at 0.55 / 0.60 / 0.65 / 0.70 / 0.75 / 0.80:
# 0.9299 / 0.9315 / 0.9338 / 0.9324 / 0.9333 / 0.9277, so the threshold stays 0.65.
# tuning18/19/20.yml (166 messages, team SIG4) were scored fresh before anything was tuned on
# them: 0.675, 0.684 and 0.896 micro-F1 (the last with a model that had seen tuning18/19). The
# beside threshold swept out of fold over labelled + tuning2-19 at 0.80 / 0.90: pooled micro-F1
# 0.9367 / 0.9363 (fewer false flags, as many fewer found), and tuning18+19 scored by the model
# trained without them: 0.941+0.897 / 0.941+0.909 - too close to call, so it stays 0.80.
# tuning20.yml is left out of training on purpose: trained with it, out-of-fold figures fell
# (pooled over labelled + tuning2-19 0.9377 -> 0.9361; labelled 0.961 -> 0.958, tuning16 0.989 ->
# 0.977, tuning17 0.937 -> 0.923), so it stays a check set scored by a model that never saw it.
# tuning21.yml (offers told with their terms) scored fresh at 0.571, no-flag clean 4/10: the model
# trained on tuning18/19 read 'made me an offer too, $70,000, fully remote' as a changed promise.
# Trained with it, such offers are clean (tests/dialogue/test_comparison.py); out of fold over
# labelled + tuning2-19 0.9377 -> 0.9367 (folds re-dealt: tuning17-19 one message each).
# tuning22/24/25.yml (103 messages, team SIG5: WHO did it, WHEN/IF, the person's own next step)
# were scored blind before anything was tuned on them (0.696, 0.880, 0.889 micro-F1); every false
# flag but one came from the patterns. tuning24/25 are trained on (nothing a model never saw moves:
# tuning20 0.969, tuning22 0.828, tuning23 0.933, held-out 0.870). tuning22 is left out on purpose,
# a check set like tuning20 and tuning23: trained with it, tuning23 went 0.933 -> 1.000 (one flag),
# but the dialogue tuning conversation t_dlm5_counter_offer_accept ('my director has come back
# with a counter offer - more money AND the team lead title i asked for') crossed the threshold
# as a changed promise (0.628 -> 0.671) and lost its advice (make eval-dialogue 1681 -> 1680).
# tuning26.yml (16 messages: who got in touch, 'three recruiters called: ...', beside a few real
# flags) scored blind 0.769, 9/12 clean: the model read 'recruiters called' as poor
# communication (tests/dialogue/test_opportunity_references.py). Trained with it: held-out
# 0.870 unchanged, tuning20 0.969 unchanged, tuning22 0.828 -> 0.814 (one false flag more),
# make eval-dialogue unchanged (same misses).
# tuning27/28.yml (105 messages, team SIG6: vague roles and shrinking promises beside clean
# look-alikes) were scored blind before anything was tuned on them: 0.914 and 0.886 micro-F1.
# tuning27 is trained on; tuning28 is left out on purpose, a check set like tuning20, 22 and 23.
# Trained with tuning27, patterns fixed by kind: pooled out of fold 0.9357 -> 0.9425, tuning28
# 0.886 -> 0.972, tuning20/22/23 0.969 / 0.814 / 0.933 -> 1.000, held-out micro-F1 0.870 unchanged
# (unrealistic 0.833 -> 0.852, vague 0.830 -> 0.808: the retrained model, not the patterns - with
# the old model the new patterns leave held-out exactly as it was).
# tuning29 (32 messages, news of the process: a plain rejection email was flagged as poor
# communication, 'email' and 'after' weighing most) is trained on: blind 0.560 (no-flag clean
# 15/25), out of fold 0.700; check sets tuning20/22/23/28 unchanged (0.969 / 0.814 / 1.000 /
# 0.972), held-out 0.870 unchanged.
# A stricter threshold per signal was measured and left out (team SIG5). Out of fold over
# labelled + tuning2-19 + tuning21 (5 folds, patterns as of the WHO/own-part fixes), what the
# backstop adds beside the patterns at 0.65 / 0.70 / 0.75 / 0.80 / 0.85 / 0.90 (true/false):
# overly positive +6/7 +6/5 +6/5 +3/4 +3/1 +3/0, poor communication +25/14 +25/9 +24/6 +19/2
# +15/2 +4/0, unclear culture +18/7 +17/7 +16/4 +15/3 +14/1 +9/0, unrealistic expectations
# +25/11 +22/10 +18/8 +12/5 +9/4 +2/2, vague role +40/9 +37/9 +33/8 +27/6 +20/3 +8/0. Everywhere
# it adds more true flags than false ones at 0.65. The best F1 per signal (overly positive 0.90,
# poor communication 0.75, unclear culture 0.85, the others 0.65) made the sets no model saw
# worse: tuning20 0.969 -> 0.952, held-out 0.870 -> 0.865 (precision 0.854 -> 0.858, recall
# 0.886 -> 0.871) - the out-of-fold figures overrate the patterns on these very sets.
# tuning30/31.yml (100 messages, team sig7: vague roles and shrinking promises weighted, a third
# clean look-alikes) were scored blind before anything was tuned on them: 0.921 and 0.857
# micro-F1. tuning30 is trained on; tuning31 is left out, a check set like tuning20/22/23/28.
# tuning32.yml (30 more messages, mostly poor communication in everyday words) scored blind 0.762
# and is trained on: check sets pooled 0.907 -> 0.910 (tuning22 one false flag fewer).
# Features other than words were measured out of fold and on the check sets and left out: the
# detector's lemma keys (contractions expanded, typos corrected) pooled out of fold 0.943 ->
# 0.939, check sets 0.910 -> 0.907; the same with negation marks ("not_clear") 0.938 / 0.903;
# scoring each sentence as well as the message (the higher of the two) 0.941 -> 0.937, 0.907 ->
# 0.900; C 1 / 2 / 4 / 8 / 16: check sets 0.874 / 0.901 / 0.907 / 0.907 / 0.907; min_df 1 / 3:
# 0.894 / 0.907 (all with tuning30 trained on).
# A veto was measured and left out (team sig7): a flag the patterns found dropped when the model
# gives it less than v. Out of fold over labelled + tuning2-30, pattern flags below 0.03 / 0.05 /
# 0.08 / 0.10 / 0.12 / 0.15 were right 0 / 0 / 0 / 0 / 0 / 9 times and wrong 1 / 1 / 1 / 2 / 4 / 8;
# on the check sets (tuning20/22/23/28/31) right 0 / 0 / 0 / 0 / 0 / 2, wrong 0 / 0 / 1 / 1 / 1 /
# 3. But at 0.10 make eval-dialogue lost 2 expectations (2348 -> 2346): 'the recruiter was all
# over the place' is poor communication in words the model never saw (p=0.07) - the veto takes
# away what the patterns read beyond the training data, which is what new text needs.
C = 4.0
MIN_WEIGHT = 0.02  # smaller weights are left out of the file (they barely move a score)


def load_training(root: Path) -> List[dict]:
    items: List[dict] = []
    for name in TRAINING_SETS:
        items += yaml.safe_load((root / name).read_text("utf-8"))
    return items


def digests(root: Path) -> Dict[str, str]:
    return {name: hashlib.sha256((root / name).read_bytes()).hexdigest()
            for name in TRAINING_SETS}


def fit_linear(texts: Sequence[str], targets: Dict[str, Sequence[Tuple[int, bool]]],
               c: float, analyzer: Optional[Callable[[str], List[str]]] = None
               ) -> Tuple[Dict[str, float], Dict[str, dict]]:
    """One logistic regression per label over tf-idf word 1-2-grams of ``texts``, each trained
    on its own (row, target) pairs; the intercepts and the features with their weights, as the
    backstop and the reader (:mod:`.reader_train`) store them. ``analyzer`` (optional) turns a
    text into its terms instead (the reader adds word-class terms to the 1-2-grams)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    if analyzer is not None:
        vectorizer = TfidfVectorizer(analyzer=analyzer, min_df=2, sublinear_tf=True)
    else:
        vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True,
                                     lowercase=True, token_pattern=TOKEN_PATTERN)
    matrix = vectorizer.fit_transform(list(texts))
    weights = {}
    intercepts = {}
    for label, pairs in targets.items():
        model = LogisticRegression(C=c, max_iter=5000, class_weight="balanced", solver="lbfgs")
        model.fit(matrix[[row for row, _ in pairs]], [target for _, target in pairs])
        weights[label] = model.coef_[0]
        intercepts[label] = round(float(model.intercept_[0]), 5)
    features = {}
    for term, index in sorted(vectorizer.vocabulary_.items()):
        row = {k: round(float(weights[k][index]), 4) for k in targets
               if abs(weights[k][index]) >= MIN_WEIGHT}
        features[term] = {"idf": round(float(vectorizer.idf_[index]), 5), "w": row}
    return intercepts, features


def fit(items: Sequence[dict], threshold: float = THRESHOLD, c: float = C,
        threshold_beside: float = THRESHOLD_BESIDE) -> dict:
    """Train on labelled items; return the JSON-ready model (see interview_advisor.backstop)."""
    import sklearn

    intercepts, features = fit_linear(
        [item["text"] for item in items],
        {signal: [(i, signal in (item["signals"] or [])) for i, item in enumerate(items)]
         for signal in SIGNALS}, c)
    return {
        "about": "Statistical backstop for red-flag detection; generated by "
                 "scripts/train_backstop.py - do not edit by hand.",
        "signals": list(SIGNALS),
        "threshold": threshold,
        "threshold_beside": threshold_beside,
        "ngram_range": [1, 2],
        "intercepts": intercepts,
        "features": features,
        "messages": len(items),
        "sklearn": sklearn.__version__,
        "C": c,
    }
