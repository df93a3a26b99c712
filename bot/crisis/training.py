"""Train the crisis classifier (`python -m bot crisis-train`): logistic regression and a network with one hidden
layer on e5 embeddings, whose probabilities the bot averages.

What it learns from, and why:
- every labelled crisis file in TRAINING_FILES: messages from people in danger and hard negatives, written
  by people who did not see crisis.yaml;
- the matchers' labelled everyday questions (MATCHER_FILES) and the FAQ's example questions of ordinary
  entries: what ordinary traffic looks like, so "I want to talk to a person" or a question about the Kita
  never alarms. Questions about the crisis entries are left out. They weigh less (0.5 and 0.3 of a labelled
  ordinary message; the FAQ's now 0.22, see FAQ_WEIGHT): at full weight they drowned the hard negatives and
  cost recall; at 0.2 and 0.1 "write me a poem" and "12345" alarmed.
The validation sets crisis_val3-6.yaml and the frozen test split are never trained on: `eval` reports
them. crisis_train3.yaml (many hard negatives: idioms, past events, crisis words as a subject, chat with a
counsellor) was measured untouched before it was added (97.4 % recall, 9.9 % false alarms); with it the
blind validation 5 went from 97.3 % / 12.3 % to 96.6 % / 9.1 %. crisis_train4.yaml (660, new situations
for the weak kinds and more hard negatives) likewise (untouched: 96.6 % / 13.2 %); with it validation 3
went from 2.5 to 2.1 % false alarms at the same recall, validation 5 to 96.3 % / 7.9 %.
crisis_train5.yaml (620: weak kinds in the weakest languages, hard negatives) likewise (untouched: 97.1 % /
16.8 %); crisis_val6.yaml (560) was measured first (98.2 % / 13.6 %) and is never trained or tuned on.
crisis_train6.yaml (690: hard-to-detect messages of every kind, tempting hard negatives) likewise (untouched:
97.7 % / 19.1 %); with it validation 3 went from 2.1 to 1.8 % false alarms at the same recall.
crisis_train7.yaml (480: new scenes per language, indirect suicidal messages) likewise (untouched, after round
6: 95.2 % / 7.5 %).
crisis_train8.yaml (630: 45 crisis messages and 45 tempting hard negatives per language) likewise (untouched:
97.5 % / 10.8 %); its false alarms came mostly from rules, and crisis.yaml learnt the figures of speech first.
crisis_train9.yaml (440: half of the crisis messages suicidal, tempting hard negatives) likewise (untouched:
93.6 % / 12.3 %).
crisis_train10.yaml (420: danger inside everyday questions, tempting hard negatives) likewise (untouched: 89.3 % /
8.9 %): crisis.yaml learnt from its rule false alarms (fire-safety equipment, a phone that "died"), but a
classifier trained on it too lost a message of validation 3 and alarmed on 2 more everyday questions, so it was
not among the training files until round 13 (see below).
crisis_val7.yaml (420: every kind evenly, hard negatives) was measured first (98.6 % / 9.5 %); a classifier trained
on it too lost 2 messages of validation 3, so it stays a validation set and is never trained on.
crisis_train11.yaml (375: round 12, de en ar fa uk, hard negatives beside crisis messages in the same settings)
taught crisis.yaml its rule false alarms (untouched 16.4 % and 10.3 %); the classifier learnt from it only with
round 13 (see below).
crisis_val8.yaml (150: round 12, tr ru) is a validation set: measured untouched (100 % / 18.2 %), never trained on.
crisis_train12.yaml (300: round 13, de uk fa ar, danger inside everyday questions, hard negatives) taught
crisis.yaml (untouched 98.0 % / 11 % and 86.0 % / 8 %).
Since 2026-12-01 the classifier is trained on train10-12 as well (about 750 more tempting hard negatives). With
them, validation 3 and the dev set came out as before (278 of 280 / 5 false alarms; 374 of 374 / 5) and the
everyday questions 16 instead of 15 alarms of 2,127, while a retrain without them lost 2 messages of validation 3
and one of the dev set.
crisis_val9.yaml (210: round 13, all languages) is a validation set: measured untouched (98.8 % / 4.8 %), never
trained on.
crisis_train13.yaml (350: round 14, all languages, a third of the danger inside ordinary questions) taught
crisis.yaml (untouched 85.7 % / 9.9 %). A classifier trained on it as well was measured and not shipped: validation 3
and the everyday questions gained a false alarm each, the other labelled files 10, at the same recall elsewhere.
crisis_val10.yaml (210: round 14, all languages) is a validation set: measured untouched (86.7 % / 4.5 %), never
trained on.
crisis_train14.yaml (350: round 15, all languages, half of the danger inside ordinary questions) taught
crisis.yaml (untouched 86.3 % / 9.7 %); the classifier was not retrained on it. crisis_val11.yaml (210: round 15,
all languages) is a validation set: measured untouched (85.7 % / 7.6 %), never trained on.
crisis_train15.yaml (200: round 16, de ar ru tr, exploitation and indirect suicidal intent) taught crisis.yaml
(untouched 91.0 % / 11.0 %). crisis_train16.yaml (350: round 17, all languages, medical emergencies told in plain
words, especially tempting hard negatives) taught crisis.yaml (untouched 87.9 % / 4.8 %); the classifier was trained
on neither. crisis_val12.yaml (210: round 17, all languages) is a validation set: measured untouched
(88.6 % / 3.8 %), never trained on. crisis_train17.yaml (350: round 18, all languages, violence, threats, forced
marriage and exploitation in everyday words) and crisis_train18.yaml (150: round 19, de fa uk, every kind) taught
crisis.yaml (untouched 90.7 % / 10.0 % and 81.3 % / 5.3 %). crisis_val13.yaml (210: round 20, all languages) is a
validation set: measured untouched (89.5 % / 7.6 %), never trained on. crisis_train19.yaml (280: round 20, all
languages, many sorts of tempting hard negatives) and crisis_train20.yaml (150: round 21, de fa uk, danger inside
ordinary questions) taught crisis.yaml (untouched 86.5 % / 11.0 % and 89.3 % / 1.3 %).
Since the evening of 2026-12-01 the classifier learns from rounds 14-21 (crisis_train13-20.yaml) as well. Most
messages the nets still missed there told the danger inside an ordinary question, where the classifier over the
whole message vetoed a rule hit or did not back a cue. Out of fold (each round predicted by a classifier trained
without it), the nets missed 21 instead of 67 of the 999 crisis messages of these rounds, for 116 instead of 88
false alarms of 1,181; validation 3 came out at 277 of 280 / 9 false alarms (before 277 / 6 with a refit of the old
files, 278 / 6 shipped) and the everyday questions at 21 alarms of 2,127 (before 17 / 16). The thresholds were
compared on the same figures and kept: 0.9 beside a confident answer saved the 5 everyday alarms but lost a
message of validation 3 and one of the rounds; higher bars lost more than they saved.
Since 2026-12-02 it learns from rounds 22-25 (crisis_train21-24.yaml: untouched 92.0 / 8.0 %, 98.3 / 8.0 %,
93.0 / 13.0 %, 96.0 / 12.0 %) as well. Out of fold on rounds 14-25 the nets missed 21 instead of 25 of 1,359 crisis
messages at the same 148 false alarms of 1,581; validation 3 278 -> 279 of 280 at the same 9 false alarms, the dev
set unchanged (374 of 374, 6 false alarms), the everyday questions 19 alarms of 2,127 as before. With rounds 22-23
alone (2026-12-02 night) the everyday questions had gone over the 1 % bound, so that retrain was not shipped.
Since the morning of 2026-12-02 it learns from rounds 26-29 (crisis_train25-28.yaml, 800 messages, most of their
danger told in one sentence of a long ordinary question; untouched 91.0 / 21.0 %, 93.0 / 18.0 %, 95.0 / 14.0 %,
96.0 / 8.0 %). Out of fold on rounds 14-29 the nets missed 29 instead of 42 of 1,759 crisis messages, for 214
instead of 198 false alarms of 1,981. On the choose sets it cost a little: validation 3 279 -> 278 of 280 at 9 -> 10
false alarms, the dev set 374 -> 373 of 374 at 6 -> 5, the everyday questions 19 -> 21 alarms of 2,127 (0.99 %,
inside the 1 % bound). Thirteen more people in danger caught out of fold outweighed that.
Since the afternoon of 2026-12-02 it learns from rounds 30-31 (crisis_train29-30.yaml, 400 messages, half of the
danger inside long ordinary questions, a quarter in Latin letters; untouched 98.0 / 5.0 % and 95.0 / 8.0 %). Out of
fold on rounds 14-31 the nets missed 29 instead of 32 of 1,959 crisis messages, for 230 instead of 229 false alarms
of 2,181. Choose sets: validation 3 278 -> 279 of 280 at 10 -> 9 false alarms, the dev set 373 -> 374 of 374 (the
Arabic "صاحب الشغل اخد جوازي" now caught) at 5 false alarms, the everyday questions 21 -> 23 alarms of 2,127
(1.08 %: past the 1 % this module had held itself to, inside the issue's 2 %; "write me a poem about love" and a
question about a family reunion are among them). Shipped for the people in danger it catches.
A retrain with rounds 32-35 as well (crisis_train31-34.yaml) was measured on 2026-12-02 evening and not shipped.
Out of fold on rounds 14-35 the nets missed 24 instead of 29 of 2,359 crisis messages for 301 instead of 295 false
alarms of 2,581, but on rounds 32-35 themselves (out of fold against unseen) it caught no more (7 and 7 missed, 50
and 51 false alarms), and validation 3 lost 4 messages that only the classifier had caught (indirect farewells and
threats: 279 -> 275 of 280, false alarms 10 -> 8), the everyday questions 374 -> 383 alarms of 5,104. Those rounds
stay choose sets for crisis.yaml.
A retrain with rounds 32-38 (crisis_train31-37.yaml) was measured on 2026-12-03 and not shipped either: against the
shipped weights on the same crisis.yaml, validation 3 lost 4 messages again (279 -> 275 of 280, false alarms 9 -> 8),
the everyday questions of the choose sets alarmed 261 instead of 237 times of 5,950; the dev set and validations 1-2
came out the same.
A retrain with only the ordinary messages of rounds 32-41 (crisis_train31-40.yaml) added, meant to teach the hard
negatives without more crisis messages, was measured on 2026-12-03 afternoon and not shipped: validation 3 missed 2
instead of 1 of 280 (false alarms 8 -> 7), round 42 (out of fold) missed 1 instead of 0 of 87 (13 -> 12 false alarms),
round 44 (out of fold) stayed at 36 of 126, and the everyday questions of the choose sets alarmed 277 instead of 264
times of 6,316.
A small neural network instead of logistic regression (three members, one hidden layer of 128, alpha 0.01, 200
epochs, probabilities averaged; same thresholds), trained with crisis_train43-46.yaml as well (four blind sets of
strong feelings - homesickness, grief, anger at offices, "write a poem for my mother" - beside danger told in the
same tone; untouched the nets alarmed on 38-49 % of their ordinary messages, nearly all through the classifier
alone), was measured on 2026-12-03 evening and not shipped. On the choose sets (with 24 draft FAQ examples that were
not kept) it looked better: out of fold on crisis_train43-46 8 of 280 missed for 150 instead of 235 false alarms of
560 (logistic regression retrained: 8 / 205); crisis_train31-42 8 instead of 12 of 1,232 missed, 72 instead of 119
false alarms; the everyday questions it never learnt from 216 instead of 273 alarms of 4,952; validation 3 2 instead
of 1 missed. Measured afterwards on the held-out sets (all crisis validations 4-25 and the frozen test), it missed
48 instead of 64 of 3,023 crisis messages and raised 191 instead of 254 false alarms of 3,056. But the frozen test
went from 95.0 to 94.1 % recall and 8.0 to 10.9 % false alarms, the floors of validations 10, 23 and 25 broke, and
among its new misses were plain ones the linear model had caught ("ya ustal ot vsego. segodnya noch'yu vsyo
zakonchu, uzhe vsyo prigotovil"; a three-year-old who ate iron pills, "kutu bos"): it had learnt that "tired of
everything" is ordinary. Not shipped until such messages are held on the choose sets as well; crisis_train43-46 stay
choose sets for crisis.yaml and for that next attempt.
The network was tried again on 2026-12-03 night with two more blind choose sets (crisis_train47.yaml: short plain
messages, suicidal intent without the words for it, untouched 93.4 % / 45.2 %; crisis_train48.yaml: the same
situations with and without danger, 97.1 % / 37.1 %), with a rule for shipping written down before anything was
measured: no more misses than the shipped weights on validation 3 and on crisis_train31-42, then fewer false alarms.
On the choose sets (shipped: validation 3 1 missed / 8 false alarms, crisis_train31-42 12 / 119, everyday questions
283 alarms of 5,144) the network alone gave 2 / 8, 7 / 69, 235; the larger of both probabilities under 8 words 2 / 8,
7 / 70, 249, under 15 words 2 / 9, 6 / 87, 263, always 1 / 11, 4 / 132, 342; both must agree from 8, 15 or 25 words on
2 / 5, 16 / 56, 189; 2 / 6, 15 / 73, 203; 1 / 8, 14 / 102, 229. None met the rule (validation 3 or rounds 32-43 lost
messages), so nothing was measured on the held-out sets and the weights stay.
A retrain with all later choose sets (crisis_train31-62.yaml, 7,000 messages) was measured on 2026-12-05 (session 35)
and not shipped. Out of fold (four folds over those files, each predicted by a classifier trained without it, against
the shipped weights, which never saw them) the nets missed 40 instead of 37 of 3,836 crisis messages for 522 instead
of 527 false alarms of 3,093; validation 3 lost 2 messages (279 -> 277 of 280) at 9 -> 13 false alarms, and the
everyday questions of the matcher choose sets alarmed 356 instead of 324 times of 5,306. More of the same labelled
data no longer helps a linear model on these embeddings; the held-out sets were not run.
Since 2026-12-05 (session 36) a network with one hidden layer of 256 units (scikit-learn MLPClassifier, alpha 1e-3)
is trained beside the linear model, both on these files and on rounds 31-72, and the bot averages their
probabilities. The network alone separates far better (out of fold on rounds 31-69, at 90 % recall 133 instead of
563 false alarms of 3,724), but it is sometimes sure of "ordinary" (p 0.0001-0.02) where the linear model doubts
(0.4-0.99): shipped alone, with bars chosen out of fold, it halved the held-out false alarms (308 -> 158 of 3,958)
and lost crisis messages (held-out recall 4,210 -> 4,203 of 4,280, the frozen split 209 -> 204 of 219). The mean
keeps the linear model's doubt. Out of fold on rounds 31-72 the nets with the mean caught 4,945 instead of 4,939 of
4,982 crisis messages for 392 instead of 584 false alarms of 4,058, and 238 instead of 348 of 5,670 everyday
questions, at the old bars; a bar of 0.5 alone caught fewer than the linear model (4,936), 0.3 more for 74 more false
alarms, so the bars stayed. The held-out sets, read once afterwards: recall 4,210 -> 4,211 of 4,280, false alarms
308 -> 191 of 3,958; the frozen split alone 209 -> 206 of 219 (German 2, Persian and Turkish 1 fewer, English 1
more) at 14 -> 11 false alarms of 175.
Both were retrained on 2026-12-05 (session 37) with rounds 73-75 (708 messages, 293 of them mostly hard negatives),
the bars unchanged. On all 32 held-out crisis sets (lexical matcher) recall rose 4,377 -> 4,390 of 4,447 (every
language now 98.2 % or more) and false alarms 192 -> 209 of 4,052; the frozen split stayed at 206 of 219, with
11 -> 13 false alarms of 175. Measured before and not shipped: the everyday questions of the matcher choose sets
(matcher_train*.yaml, 5,861 outside the crisis entries) as more ordinary training data. Out of fold (four folds by
file over rounds 31-75 and over those sets, crisis.yaml as before session 37) at weight 0.5 they cut false alarms
385 -> 348 of 4,406 and 268 -> 201 of the everyday questions, but caught 5,292 instead of 5,306 of 5,342 crisis
messages. With session 37's rules a bar of 0.3 brought recall back only to 5,306, at 454 false alarms; weight 0.2
caught 5,295-5,299 for 343-345. Fewer false alarms came only with fewer crisis messages caught.
Retrained on 2026-12-05 (session 38) with rounds 76-78 (crisis_train76-78.yaml, 605 messages) and the network
joined from three seeds (see SEEDS), the bars unchanged. Out of fold on rounds 31-78 (4 folds by file) one network
caught 5,595 of 5,631 crisis messages for 398 false alarms of 4,722 and 266 of 5,861 everyday questions, three
joined 5,595 for 393 and 247; with three joined a bar of 0.45 alone would have caught 5,593 for 364 (234), 0.5 5,589
for 336 (227): fewer crisis messages caught, so the bar stayed at 0.4. The held-out sets, read once afterwards
(lexical matcher): recall 4,556 -> 4,553 of 4,613, false alarms 210 -> 195 of 4,147; the frozen split 206 -> 205 of
219 (Persian 1 fewer), false alarms 13 -> 11 of 175. Two retrains on data that differed only by 18 FAQ examples (at
0.22 each) came out 12 crisis messages and 33 false alarms apart on the held-out sets, so single readings of this
size are within what a retrain moves; the out-of-fold figures decided.
crisis_val4.yaml was measured blind before crisis_train2.yaml was added (98.2 % recall,
8.2 % false alarms) and then only measured again; no threshold was chosen on it.

The thresholds were chosen on crisis_val3.yaml, on out-of-fold predictions for crisis_train.yaml (the two
crisis sets the rules were not tuned on) and on the everyday questions of matcher_val3.yaml; see the commit
that introduced them. The bot itself needs only the weights file and numpy for this net.

Since 2026-12-07 (session 52) `train_ngrams` fits a third model on the same data and sample weights: logistic
regression on hashed character n-grams (bot/crisis/ngrams.py), mixed into the probability with a share of 0.2. A
rule was written before anything was measured: choose the share (0.1-0.5) and C (4-256) on the blind rounds 106-163,
which no model had learnt from (the setting with the fewest false alarms that loses at most 2 of the crisis messages
the embedding models alone catch there); ship only if, on the 53 held-out sets read once afterwards, it catches at
least as many crisis messages, raises at least a tenth fewer false alarms and keeps the frozen split's recall in every
language. Rounds 106-163: 4,334 -> 4,339 of 4,355 caught (1 lost, 6 gained), false alarms 439 -> 395 of 5,300 (share
0.2, C 256). Held-out: 6,874 -> 6,892 of 6,944 caught (1 lost, 19 gained), false alarms 246 -> 211 of 6,212 (56 fewer,
21 new), the frozen split 208 -> 209 of 219 (Turkish one more) and 13 -> 10 false alarms of 175. The embedding
models' weights were not retrained with it. `crisis-train --only-ngrams` retrains the n-gram model alone.
A second rule, written after it landed: the n-gram model retrained with rounds 106-163 as well (NGRAM_TRAINING_FILES)
ships only if it loses no crisis message and raises fewer false alarms on the blind rounds 164-165, which no model and
no rule had learnt from, and then on the 55 held-out sets (with validations 55-56) catches at least as many and raises
fewer false alarms, the frozen split's recall kept in every language. Rounds 164-165: 126 of 126 caught before and
after, false alarms 59 -> 55 of 154; held-out: 7,101 -> 7,104 of 7,153 caught (1 lost, 4 gained), false alarms
216 -> 206 of 6,419 (16 fewer, 6 new), the frozen split 209 -> 210 of 219 (Turkish one more). Shipped.
A third rule of the same form added rounds 164-165 (written this session about long worried questions and family
worries): on the blind rounds 166-167, written afterwards, 140 of 140 caught before and after, false alarms 35 -> 34
of 140; on the 56 held-out sets (with validation 57) 7,209 of 7,258 caught before and after (1 lost, a Russian debt
collector's threat in validation 3; 1 gained, a Ukrainian stroke), false alarms 210 -> 208 of 6,520, the frozen split
unchanged. Shipped; more rounds of the same kinds now move the held-out figures by a message or two.
Session 53 raised the n-gram model's share to 0.5 under a fourth rule (see bot/crisis/ngrams.py). Two more candidates
were measured under rules written beforehand and not shipped. The n-gram model retrained with rounds 166-171 as well:
on the blind rounds 172-173 140 of 140 caught, false alarms 9 -> 8 of 140, but on the 57 held-out sets 7,328 instead
of 7,332 of 7,362 caught (5 lost, among them a child of 3 who swallowed pills, in Arabizi) for 190 instead of 189 false
alarms. The mean of log-odds instead of the mean of probabilities (sigmoid((1 - s) * logit(p_embedding) + s *
score_ngram), s chosen as 0.4 on rounds 166-173, where every s caught 560 of 560 for 52-70 false alarms against 67):
on the held-out sets false alarms 189 -> 125 of 6,622, but 7,326 caught (10 lost: one model's confident "ordinary"
outweighs the other's "danger", and a rule hit is then vetoed, as for "Ich denke jeden Tag daran mich umzubringen.
Gibt es jemand der jetzt gleich mit mir redet?"), the frozen split's German and Persian recall one lower.
Session 54 chose the bars again on the blind rounds 166-177, since they were set before the n-gram model joined, under
rules written beforehand (ship only if at most one crisis message is lost for every ten false alarms saved on the 58
held-out sets, and the frozen split keeps its recall). `threshold` 0.5 instead of 0.4 (rounds 166-177: 835 of 836 caught
either way, false alarms 73 -> 58 of 836): held-out 42 of 188 false alarms saved, 16 crisis messages lost (3 of the
frozen split). `confirm_rule` 0.2 and `confirm_weak` 0.35 instead of 0.05 and 0.2 (rounds 166-177: 835 caught for every
pair tried, false alarms 73 -> 61): held-out 55 saved, 6 lost, among them the sentence above (p 0.085), a stroke (0.165)
and a balcony fire spreading (0.167). Neither shipped. The n-gram model retrained with rounds 166-177 as well: on the
blind rounds 178-180 124 of 124 caught, false alarms 2 -> 1 of 60, but on the held-out sets 7,431 instead of 7,437 of
7,467 caught (6 lost, none gained; the frozen split's Persian one lower) for 182 instead of 188 false alarms. Not
shipped: as with rounds 166-171 in session 53, the later rounds (mostly ordinary messages close to danger) teach it
to doubt danger it caught before.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import yaml

from bot.crisis.classifier import ClassifierWeights, Network
from bot.crisis.ngrams import NgramModel
from bot.embedding import Embedder
from bot.knowledge.model import KnowledgeBase
from bot.labelled_sets import HELD_OUT

TRAINING_FILES = (
    "crisis_dev.yaml",
    "crisis_val.yaml",
    "crisis_val2.yaml",
    "crisis_probes.yaml",
    "crisis_train.yaml",
    "crisis_train2.yaml",
    "crisis_train3.yaml",
    "crisis_train4.yaml",
    "crisis_train5.yaml",
    "crisis_train6.yaml",
    "crisis_train7.yaml",
    "crisis_train8.yaml",
    "crisis_train9.yaml",
    "crisis_train10.yaml",
    "crisis_train11.yaml",
    "crisis_train12.yaml",
    "crisis_train13.yaml",
    "crisis_train14.yaml",
    "crisis_train15.yaml",
    "crisis_train16.yaml",
    "crisis_train17.yaml",
    "crisis_train18.yaml",
    "crisis_train19.yaml",
    "crisis_train20.yaml",
    "crisis_train21.yaml",
    "crisis_train22.yaml",
    "crisis_train23.yaml",
    "crisis_train24.yaml",
    "crisis_train25.yaml",
    "crisis_train26.yaml",
    "crisis_train27.yaml",
    "crisis_train28.yaml",
    "crisis_train29.yaml",
    "crisis_train30.yaml",
    # since 2026-12-05 (the averaged network): the choose rounds the linear model alone no longer gained from; since
    # session 45 (2026-12-06) also rounds 79-105, written after the retrain of session 38
    *(f"crisis_train{number}.yaml" for number in range(31, 106)),
)
# the n-gram model (bot/crisis/ngrams.py) learns from the blind rounds 106-165 as well, which the embedding models
# never saw: measured in session 52 under rules written beforehand (see the module docstring)
NGRAM_TRAINING_FILES = (*TRAINING_FILES, *(f"crisis_train{number}.yaml" for number in range(106, 166)))
MATCHER_FILES = ("devset.yaml", "matcher_val.yaml", "matcher_val2.yaml")
NEVER_TRAIN_ON = HELD_OUT  # the frozen splits and blind validations of bot/labelled_sets.py
MATCHER_WEIGHT = 0.5
FAQ_WEIGHT = 0.22
# 0.3 until the FAQ grew by 1,200 blind example questions (indirect ones among them, 2026-11-30): with the
# total weight of FAQ examples held about where 0.3 had put it, out-of-fold recall on train 1-5 and validation 3
# rose 96.6 -> 96.9 % at 8.3 -> 8.5 % false alarms (classifier alone from 0.4)
REGULARISATION = 16.0  # scikit-learn's C; 16 and 64 were compared, 16 caught more at the same false alarms
# the network averaged with the linear model (2026-12-05). Out of fold on the choose rounds 31-69 (4 folds by file),
# at 90 % recall the linear model alone raised 563 false alarms of 3,724 ordinary messages, a network of 64 units
# 173, of 256 units 133; chosen on those folds alone
HIDDEN_UNITS = 256
PENALTY = 1e-3  # scikit-learn's alpha (L2)
MAX_ITERATIONS = 300
# the network is three trained from different starting points (seeds 0-2), joined into one (Network.joined): a
# single network's seed moved single messages either way. Out of fold on the choose rounds 31-75 (4 folds by file,
# 2026-12-05 session 38) one network caught 5,302 of 5,342 crisis messages for 383 false alarms of 4,406 ordinary
# messages and 248 of 5,861 everyday questions, three joined 5,308 for 373 and 237
SEEDS = (0, 1, 2)  # the same data gives the same weights
# Session 45 (2026-12-06) retrained both models with the choose rounds 79-105 (4,386 more labelled messages, 2,380 of
# them ordinary, mostly tricky hard negatives), settings unchanged; no out-of-fold run (the training alone took 70
# minutes). Read once afterwards on the 41 held-out crisis sets (lexical matcher): recall 5,612 -> 5,621 of 5,684
# (Arabic 97.8 -> 98.5 %, every language 98.5 % or more), false alarms 206 -> 212 of 4,964; the seven newest
# validations (36-42) 10 fewer false alarms and 2 more caught, the older sets and the frozen split 16 more; on the
# blind rounds 106-110 that neither model saw, 420 of 425 caught both times, false alarms 40 -> 37 of 530.
# Session 48 (2026-12-06) retrained both with the choose rounds 106-129 as well (44,186 messages; cached embeddings,
# 17 minutes), with a rule written down before measuring: ship only if the rounds 130-135, which neither model saw,
# lose no crisis message and raise fewer false alarms, and the held-out sets lose none either. On rounds 130-135 it
# caught 524 instead of 525 of 527 (it lost "haplar hazır, mektubu yazıyorum" with "bu gece": pills ready, the letter
# being written, tonight) for 53 instead of 55 false alarms of 672, so it was not shipped; the held-out sets were
# not run
# Session 50 (2026-12-07) tried again, with a rule written down before measuring: ship only if the blind rounds
# 145-149 (written that session, seen by neither model) lose no crisis message and raise fewer false alarms, and the 49
# held-out sets (read once) lose none overall. Retrained with rounds 106-144 (A) and with the matcher's labelled
# questions of matcher_train*.yaml as well (B, at MATCHER_WEIGHT), rounds 145-149 kept all 261 of 262 caught and cut
# false alarms 74 -> 58 (A) and 74 -> 50 of 337 (B); but the held-out sets caught 6,449 (A) and 6,445 (B) instead of
# 6,455 of 6,524 (false alarms 235 -> 212 and 196 of 5,796): short plain messages ("ana ta3bane ktir ma 3ad bde 3ish")
# fell from 0.4-0.7 to 0.2-0.4. A shift of B's output (+0.25 on the logit), chosen out of fold on rounds 106-144 (two
# folds by file) as the smallest that caught as many there as the shipped weights, caught 6,450 on the held-out sets
# for 234 false alarms. None was shipped.
# Session 51 (2026-12-07) tried once more, with a rule written down before measuring (the same two conditions, on the
# blind rounds 150-154 and the 50 held-out sets): B's data with rounds 145-149 as well, and every labelled crisis
# message of at most 12 words weighing twice (the short plain messages B had lost). Rounds 150-154: 273 -> 274 of 275
# caught, false alarms 51 -> 33 of 306. The held-out sets: 6,560 -> 6,566 of 6,629 caught (16 gained, 10 lost) but
# false alarms 236 -> 242 of 5,901 (25 fewer, 31 new), so it was not shipped. Each retrain moves dozens of single
# held-out messages either way; on these embeddings more data no longer buys fewer false alarms at the same recall.

THRESHOLD = 0.4  # the classifier alone
# 0.5 until crisis_train5 (2026-11-30): on out-of-fold probabilities for train 1-5 and on validation 3, 0.4 caught
# 96.4 -> 97.0 % at 7.6 -> 8.5 % false alarms (validation 3: 98.6 % / 1.4 -> 1.8 %), and 20 of 2,127 everyday
# questions alarm instead of 17. A false alarm still gets its answer below the numbers; a miss gets none
THRESHOLD_ANSWERED = 0.8  # alone, when the matcher confidently answers with an ordinary entry (or in a ticket)
# 0.9 until the answer gate (2026-11-30): the matcher now answers far more often, and at 0.9 the nets lost
# recall on out-of-fold probabilities (train, train2, train3, validation 3: 97.3 -> 96.8 %). 0.7 restores
# 97.2 % but alarms on 25 of 2,127 everyday questions (1.2 %); 0.8 gives 97.0 % and 19 (0.9 %)
CONFIRM_RULE = 0.05  # a rule or phrase hit stands unless the classifier is this sure it is ordinary
CONFIRM_WEAK = 0.2  # weighted cues or the matcher's crisis entry need this much agreement


@dataclass(frozen=True)
class Labelled:
    text: str
    crisis: bool
    weight: float
    source: str


def load_training_data(
    data_dir: Path, knowledge: KnowledgeBase, files: Sequence[str] = TRAINING_FILES
) -> list[Labelled]:
    """The labelled messages and everyday questions to learn from; refuses the held-out files. Questions
    about the knowledge's crisis entries (`crisis: true`) are not everyday ones and stay out."""
    found: list[Labelled] = []
    for name in files:
        if Path(name).name in NEVER_TRAIN_ON:
            raise ValueError(f"{name} is held out for measuring; never train on it")
        data = yaml.safe_load((data_dir / name).read_text(encoding="utf-8"))
        found += [Labelled(str(m["text"]), bool(m["crisis"]), 1.0, name) for m in data["messages"]]
    crisis_entries = {entry.id for entry in knowledge.entries.values() if entry.crisis}
    for name in MATCHER_FILES:
        path = data_dir / name
        if not path.is_file():
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        found += [
            Labelled(str(q["q"]), False, MATCHER_WEIGHT, name)
            for q in data["questions"]
            if q.get("expect") not in crisis_entries
        ]
    found += [
        Labelled(question, False, FAQ_WEIGHT, "faq examples")
        for entry in knowledge.entries.values()
        if not entry.crisis
        for questions in entry.questions.values()
        for question in questions
    ]
    return found


def sample_weights(data: Sequence[Labelled]) -> npt.NDArray[np.float64]:
    """Crisis and ordinary messages of the labelled files weigh half each in all (on average 1 a message, so
    that C keeps its usual scale); the everyday questions count as a fraction (their `weight`) of one
    labelled ordinary message."""
    labelled = [item for item in data if item.weight == 1.0]
    crisis = sum(item.crisis for item in labelled)
    if not crisis or crisis == len(labelled):
        raise ValueError("training needs labelled crisis and ordinary messages")
    positive, negative = 0.5 * len(labelled) / crisis, 0.5 * len(labelled) / (len(labelled) - crisis)
    return np.array([positive if item.crisis else negative * item.weight for item in data])


def fit(
    vectors: npt.NDArray[np.float32], labels: npt.NDArray[np.int_], weights: npt.NDArray[np.float64]
) -> tuple[npt.NDArray[np.float32], float]:
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=REGULARISATION, max_iter=5000)
    model.fit(vectors, labels, sample_weight=weights)
    return np.asarray(model.coef_[0], dtype=np.float32), float(model.intercept_[0])


def fit_network(
    vectors: npt.NDArray[np.float32], labels: npt.NDArray[np.int_], weights: npt.NDArray[np.float64]
) -> Network:
    """One network per seed of SEEDS (which the weights file records), joined into one that averages their scores."""
    from sklearn.neural_network import MLPClassifier

    members = []
    for seed in SEEDS:
        model = MLPClassifier(
            hidden_layer_sizes=(HIDDEN_UNITS,), alpha=PENALTY, max_iter=MAX_ITERATIONS, random_state=seed
        )
        model.fit(vectors, labels, sample_weight=weights)
        members.append(
            Network(
                np.asarray(model.coefs_[0], dtype=np.float32),
                np.asarray(model.intercepts_[0], dtype=np.float32),
                np.asarray(model.coefs_[1][:, 0], dtype=np.float32),
                float(model.intercepts_[1][0]),
            )
        )
    return Network.joined(members)


def _labels(data: Sequence[Labelled]) -> npt.NDArray[np.int_]:
    """1 for a crisis message, 0 for an ordinary one."""
    return np.array([int(item.crisis) for item in data])


def _provenance(data: Sequence[Labelled], today: dt.date | None) -> dict[str, Any]:
    """When a model was trained and on which files, for the record in its file."""
    return {"trained": (today or dt.date.today()).isoformat(), "files": sorted({item.source for item in data})}


def train_ngrams(data: list[Labelled], today: dt.date | None = None) -> NgramModel:
    """The character n-gram model (bot/crisis/ngrams.py), with the sample weights the embedding models use (its
    data: NGRAM_TRAINING_FILES)."""
    return NgramModel.fit([item.text for item in data], _labels(data), sample_weights(data), _provenance(data, today))


def train(embedder: Embedder, data: list[Labelled], today: dt.date | None = None) -> ClassifierWeights:
    """Both models on the same data; the bot averages their probabilities."""
    vectors = embedder.embed([item.text for item in data])
    labels = _labels(data)
    weights = sample_weights(data)
    coefficients, bias = fit(vectors, labels, weights)
    network = fit_network(vectors, labels, weights)
    info = {
        **_provenance(data, today),
        "messages": len(data),
        "crisis": int(labels.sum()),
        "regularisation": REGULARISATION,
        "hidden_units": HIDDEN_UNITS,
        "seeds": list(SEEDS),
        "penalty": PENALTY,
    }
    return ClassifierWeights(
        embedder.name, coefficients, bias, THRESHOLD, THRESHOLD_ANSWERED, CONFIRM_RULE, CONFIRM_WEAK, info, network
    )
