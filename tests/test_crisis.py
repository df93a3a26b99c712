"""The crisis safety net: how messages are read, the rules, editors' errors, the floors, the reply, urgent tickets."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from pathlib import Path

import pytest

from bot.cli import CRISIS_SETS, main
from bot.clock import FixedClock
from bot.crisis.detector import CrisisDetector
from bot.crisis.evaluation import evaluate_crisis, evaluate_crisis_file, load_crisis_examples
from bot.crisis.net import second_net
from bot.crisis.rules import CrisisRules
from bot.crisis.text import fold_words, forms, laughs, question_ends
from bot.knowledge import KnowledgeBase, load_knowledge
from bot.knowledge.checker import alarming_examples, check_knowledge
from bot.knowledge.loader import KnowledgeError
from bot.knowledge.problems import Severity
from bot.labelled_sets import MATCHER_SETS
from bot.matching.evaluation import load_labelled
from bot.matching.matcher import Matcher
from bot.matching.terms import cyrillic_readings
from bot.service import CoreService
from bot.telegram.render import plain
from tests.conftest import KNOWLEDGE

DEV = Path(__file__).parent / "data" / "crisis_dev.yaml"
VALIDATION = Path(__file__).parent / "data" / "crisis_val.yaml"  # keyword-free wordings, written blind
VALIDATION_2 = Path(__file__).parent / "data" / "crisis_val2.yaml"  # second blind set, tuned on after measuring
MATCHER_DEVSET = Path(__file__).parent / "data" / "devset.yaml"
PROBES = Path(__file__).parent / "data" / "crisis_probes.yaml"  # regression only: the cues were adapted to them


@pytest.fixture(scope="module")
def knowledge() -> KnowledgeBase:
    kb, _ = load_knowledge(KNOWLEDGE)
    return kb


@pytest.fixture(scope="module")
def detector(knowledge: KnowledgeBase) -> CrisisDetector:
    return CrisisDetector(knowledge.crisis_rules)


# -- reading messages ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("muzh zaper menya v kvartire i zabral telefon", "муж запер меня в квартире и забрал телефон"),
        ("on skazal chto ub'yet menya segodnya noch'yu", "он сказал что убьет меня сегодня ночью"),
        ("ne hochu bilshe zhyty vzahali", "не хочу більше жити взагалі"),  # a two-letter "ne" is read too
    ],
)
def test_russian_typed_in_latin_letters_meets_the_russian_rules(
    detector: CrisisDetector, latin: str, cyrillic: str
) -> None:
    written = detector.detect(cyrillic)
    typed = detector.detect(latin)
    assert written is not None
    assert typed is not None
    assert (typed.kind, typed.rule.where) == (written.kind, written.rule.where)


@pytest.mark.parametrize(
    ("text", "alarm"),
    [
        ("german grammar is killing me", False),
        ("эта грамматика меня убьёт", False),
        ("bu gramer beni oldurecek", False),
        ("die Nachtschicht bringt mich um", False),
        ("mein Rücken bringt mich noch um vom Heben", False),  # 2026-12-04: the back, the month's end, grammar
        ("dat monatsende bringt mich noch um", False),
        ("der dativ bringt mich um", False),
        ("mein Mann bringt mich noch um", True),
        ("گرامر آلمانی منو میکشه", False),
        ("my husband is killing me", True),  # a person, not a burden
        ("он меня убьёт", True),
        ("kocam beni oldurecek", True),
        # blind choose set crisis_train49: grief, exam fear and anger told in figures of speech alarmed the rules
        ("عندي امتحان بكرة والله رح موت من الخوف", False),  # to die of fear
        ("خجالت میکشم بگم", False),  # "I am ashamed to say", not "I kill"
        ("این اداره اتباع داره منو میکشه", False),  # the foreigners' office is "killing me"
        ("черга мене вбиває", False),  # the queue is "killing me"
        ("utancimdan olecegim bugun", False),  # to die of shame
        ("бабушка умерла, kak mne byt voobshe", False),  # "what shall I do": быть is not бить
        ("мене аж трясе від злості на сусіда", False),  # shaking with anger
        ("cumartesi sinavim var ellerim titriyor", False),  # "elle" began "ellerim" (my hands) and "elektrik"
        ("patronum beni elledi istemiyorum", True),  # touched against her will
        ("он меня бьёт каждый день, kak mne byt", True),
        # a boss "will kill me if I'm late" is a figure of speech; a boss who threatens or says so is a threat
        # (2026-12-04: the boss words among the burdens had silenced every one of the threats below)
        ("шеф меня убьёт если опоздаю", False),
        ("шеф мене вб'є якщо запізнюсь", False),
        ("mein chef droht mich umzubringen", True),
        ("mein chef sagt er bringt mich um wenn ich zur polizei gehe", True),
        ("my boss threatens to kill me", True),
        ("шеф сказав що вб'є мене якщо піду в поліцію", True),
        ("начальник угрожает что убьёт меня", True),
        ("кінець місяця мене просто вбиває", False),  # the month's end (2026-12-04)
        ("конец месяца меня убивает", False),
        ("він сказав що вб'є мене до кінця місяця", True),  # ... but a threat with a date is a threat
    ],
)
def test_a_burden_that_kills_is_a_figure_of_speech_and_a_person_is_not(
    detector: CrisisDetector, text: str, alarm: bool
) -> None:
    assert (detector.detect(text) is not None) is alarm, detector.detect(text)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("briefe an die kinder sind geschrieben. tschüss", "suicide"),
        ("this is the last thing ill ever write", "suicide"),
        ("بكرة مش هصحى خلاص", "suicide"),
        ("mozhesh napysaty virsh na moi pokhorony?", "suicide"),
        ("smysla bolshe net, ya vsyo", "suicide"),
        ("cenazem icin bir siir yazar misin", "suicide"),
        ("این آخرین پیامم است", "suicide"),
        ("dobare ba tigh dastamo boridam, khoonesh band nemiad", "selfharm"),
        ("on derzhit nozh i oret, deti plachut, pomogite", "threat"),
    ],
)
def test_short_plain_farewells_and_dangers_are_caught(detector: CrisisDetector, text: str, kind: str) -> None:
    """Blind choose sets crisis_train44-48: short messages that name no word for suicide or violence."""
    hit = detector.detect(text)
    assert hit is not None
    assert hit.kind == kind


@pytest.mark.parametrize(
    "text", ["sinava nasil kayit olurum", "hamile kaldim nasil basvururum", "insulted because im arab"]
)
def test_other_latin_languages_are_not_read_as_russian(detector: CrisisDetector, text: str) -> None:
    assert detector.detect(text) is None  # Turkish "nasil" would read as "насил" (violence)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("ÖLMEK İSTİYORUM", "olmek istiyorum"),  # Turkish letters and dotted capital I
        ("yaşamak istemiyorum", "yasamak istemiyorum"),
        ("Ich schlage", "ich schlage"),
        ("schlägt", "schlaegt"),
        ("می‌خواهم", "میخواهم"),  # Persian zero-width non-joiner
        ("می خواهم", "میخواهم"),  # ... or a space instead
        ("ёжик", "ежик"),
        ("б'є", "бʼє"),  # Ukrainian apostrophes
        ("أريد", "اريد"),
        ("موووووت", "موت"),  # Arabic elongation
    ],
)
def test_folding_makes_spellings_meet(a: str, b: str) -> None:
    assert fold_words(a) == fold_words(b)


def test_arabic_and_persian_words_offer_forms_without_their_prefixes() -> None:
    assert "ضربني" in forms(fold_words("وبيضربني")[0])  # conjunction + Levantine b- + person prefix
    assert "قتلني" in forms(fold_words("حيقتلني")[0])  # Egyptian future ha-
    assert "نخواهم" in forms(fold_words("نمی‌خواهم")[0])  # Persian negation meets the short form
    assert "خواهم" in forms(fold_words("می‌خواهم")[0])
    assert forms("hello") == ("hello",)


# -- the rules -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("I don't want to live ANY MORE", "suicide"),  # words inserted between the signal words
        ("i dont want to live anymore", "suicide"),
        ("mein mann hat mich gestern wieder geschlagen", "violence"),  # verb at the end, words between
        ("selbsmord", "suicide"),  # typo in a long word
        ("وزوجي بيضربني كل يوم", "violence"),  # Arabic clitics and Levantine prefix
        ("جوزي عم يضربني", "violence"),  # Egyptian word, Levantine progressive
        ("بدي موت", "suicide"),  # Levantine
        ("نمی‌خواهم زنده باشم", "suicide"),  # Persian with ZWNJ
        ("نمی خوام زنده باشم", "suicide"),  # ... with a space and the spoken ending
        ("نمیخوام زنده باشم", "suicide"),  # ... glued
        ("شوهرم منو میزنه", "violence"),
        ("kocam beni dovuyor", "violence"),  # Turkish without special letters
        ("kocam beni dövüyor", "violence"),
        ("чоловік мене б'є", "violence"),
        ("муж меня избил", "violence"),  # Slavic ending on a stem
        ("чоловік мене бьот", "violence"),  # Surzhyk
        ("hello, where is the jobcenter? mein mann schlägt mich", "violence"),  # two languages
        ("my father is not breathing", "medical"),
        ("meine eltern wollen mich zwangsverheiraten", "forced_marriage"),
        # real danger beside the not-lists of rounds 11 and 12 (fire-safety equipment, Turkish "ateş" as fever,
        # Levantine "احكي", a phone that "died", an authority that keeps the passport)
        ("evde yangin var ates her yerde cocuklar icerde", "fire"),
        ("the smoke detector is going off and there is smoke coming from the kitchen, my kids are inside", "fire"),
        ("جوزي عم يضربني وانا عم احكي معكم", "violence"),
        ("телефон сдох а он опять меня бьет", "violence"),
        ("mein mann hat mich eingesperrt und sagt er bringt mich um", "threat"),
        ("my boss took my passport and locked us in the warehouse", "exploitation"),
        ("الكفيل اخد جوازي وما بيخليني اطلع", "exploitation"),
        # round 13: a blow "vor den Kindern" is no suggestion ("schlägt vor"); Iraqi خنك for خنق; Persian in
        # Latin letters; pills collected; a head slammed against the wall; a child locked out on the balcony
        ("er hat mich gestern wieder ins gesicht geschlagen vor den kindern", "violence"),
        ("زوجي البارحة خنكني لحد ما غبت شوية", "violence"),
        ("bachem nafas nemikeshe!! labash kabood", "medical"),
        ("قرصا رو جمع کردم و فردا دیگه نیستم", "suicide"),
        ("جمعت الحبوب وكتبت لكل واحد رسالة", "suicide"),
        ("شوهرم دیشب سرمو کوبید به دیوار", "violence"),
        ("همسایه مون بچه ۴ ساله شو از صبح تو بالکن بیرون حبس کرده", "child"),
        # round 38: a colleague's passport (Egyptian), "he said I will kill her" with a knife (Persian)
        ("صاحب المطعم واخد باسبوره ومش بيدفعله", "exploitation"),
        ("گفته اگه طلاق بگیره میکشمش، امروز با کارد آمده پیش دروازه", "threat"),
        # round 39: rape told beside a question about a course; "after tonight I won't be" and a letter to the family
        ("aksam kurslari var mi bi de ev sahibinin oglu bana zorla tecavuz etti hala geliyo kurs ucretli mi", "sexual"),
        ("onemi yok bu aksamdan sonra ben olmicam zaten aileme mektup yazdim", "suicide"),
        # round 40: Turkish threats and a swallowed box of pills inside long questions; Persian "by force" in
        # Latin letters; a Ukrainian farewell ("tonight I leave this world")
        ("kayinbiraderim beni vurup oldurecegini soyledi, silahi varmis", "threat"),
        ("vergi numarasi nasil alinir? kacarsaniz ailenize zarar veririz diyorlar", "threat"),
        ("su an kardesim bir kutu ilacin hepsini icmis, uyandiramiyoruz", "medical"),
        ("dun gece kuzenim zorla benimle birlikte oldu, ben istemedim", "sexual"),
        ("shohare khaharam dishab be zoor bahame kari kard", "sexual"),
        ("я вже попрощалась з дочкою і написала записку, сьогодні вночі піду з цього світу", "suicide"),
        # round 41: a threat sent by message (Egyptian), Arabizi pills collected, flames from a socket beside a
        # question, Russian in Latin letters
        ("ازاي اغير العنوان؟ طليقي بعتلي رسالة انه هيقتلني لو شافني مع العيال", "threat"),
        ("ana ma 3ad fini kammel w jame3t 7bub ktir la e5edon kellon el lele", "suicide"),
        ("strom ist zu teuer. gibt es zuschuss? jetz grad kommen flammen aus steckdose im kinderzimmer", "fire"),
        ("muzh upal ne dyshit", "medical"),
        # round 42: a threat to burn (Turkish), a whole box of pills taken (Egyptian), people kept under lock
        ("kayinbiraderim beni ve cocuklari yakacagini soyledi", "threat"),
        ("اختي خدت علبة حبوب اكتئاب كاملة وبتتكلم بالعافية", "medical"),
        ("нас тримають на складі під замком", "exploitation"),
        ("нас держат на складе под замком", "exploitation"),
        # round 43 (the choose sets, read for messages near smoke alarms and doses): a fire that sets off the alarm,
        # pills of a grandmother's blood pressure, pills to not wake up, blood gushing (Ukrainian in Latin letters)
        ("su an koridor duman doldu, yangin alarmi caliyor ama kapimiz acilmiyor", "fire"),
        ("2 yasindaki oglum annemin tansiyon haplarindan yutmus galiba", "medical"),
        ("kac tane uyku hapi icersem uyanmam? ciddi soruyorum", "suicide"),
        ("у папы кровь хлещет из ноги", "medical"),
        # round 44: the heat is no false alarm when the writer wants to die in it; a Ukrainian "простіше" (easier) is
        # no Russian cold ("простыл*"), which switches off what is near it
        ("bei der hitze will ich nur noch sterben", "suicide"),
        ("я чесно вже нічо не хочу, думаю шо простіше лягти і не проснутися, таблєток в мене хватить", "suicide"),
        # 2026-12-04 (choose-set misses): a rope made ready (Turkish), pills so as never to wake up and a razor again
        # (Persian in Latin letters), pills collected (Ukrainian, Russian)
        ("her sey bitti, ipi hazirladim", "suicide"),
        ("kac tane hap icmeliyim ki dige bidar nasham", "suicide"),
        ("baz ba tigh zadam, khun band nemiad", "selfharm"),
        ("я назбирала таблеток, більше не можу", "suicide"),
        ("накопила таблеток, сегодня все", "suicide"),
        ("купил верёвку, скажите маме что я её люблю", "suicide"),
        ("мотузку вже купила, не шукайте мене", "suicide"),
        ("اشتريت حبل اليوم وكتبت رسالة لأمي", "suicide"),
        ("لقيت رصاصة بصندوق البريد وورقة فيها اسمي", "threat"),
        ("دیروز یه گلوله تو صندوق پست ما بود با اسم من", "threat"),
        ("there was a bullet in our mailbox this morning", "threat"),
        ("heute lag eine patrone im briefkasten, mit meinem namen", "threat"),
        ("dil kursundan gelince posta kutuma kursun birakmislar", "threat"),  # beside a course: sure
        ("انغصبت وما حكيت لحدا", "sexual"),
        # pills so as to sleep and never wake (Iraqi "يكعد", to wake up), how much tramadol is deadly (Persian)
        ("شكد حبة تكفي حتى انام وما اكعد", "suicide"),
        ("ترامادول زیاد کشنده است؟ بیست تا دارم", "suicide"),
        (
            "dobryj vechir, pidkazhit chy mozhna pratsyuvaty na budovi bez nimetskoyi. cholovik shchojno porizav ruku "
            "bolgarkoyu, krovyshcha khlyshche, rushnyk uzhe ves chervonyj, ne mozhemo zupynyty",
            "medical",
        ),
        # crisis_train50 (2026-12-05, blind): a bridge and "does it hurt", fresh cuts in a question for a psychologist,
        # Egyptian "did not come back", a husband who locks his wife inside
        ("стою на мосту над Руром і думаю чи це боляче", "suicide"),
        ("стою на мосту и думаю будет ли больно", "suicide"),
        ("донька ховає руки під рукавами, сьогодні побачила свіжі порізи. де знайти психолога?", "selfharm"),
        ("у дочки свежие порезы на руках, где найти психолога на русском в Эркеленце?", "selfharm"),
        ("بنتي عمرها ٧ سنين مرجعتش من المدرسة من ساعتين", "child"),
        ("is it normal that husband lock her inside when he go out", "violence"),
        # Russian in Latin letters: the one-letter "i" gets no Cyrillic reading, so "уснуть и не" needs its Latin form
        ("hochu prosto usnut i ne prosypatsa bolshe, nikomu ya ne nuzhna", "suicide"),
        ("میگه سرته میبُرم امشب", "threat"),  # "I will cut your head off tonight" (until 2026-12-05: self-harm)
        # crisis_train51 (2026-12-05, blind): what its first reading missed
        ("Meine Tochter hatte eine Knopfbatterie im Mund und jetzt finde ich sie nicht", "medical"),
        ("Eine Frau hat mir Arbeit gegeben, aber jetzt muss ich mit den Männern schlafen", "exploitation"),
        ("chef hat meinen pass", "exploitation"),
        ("Right now I smell very strong gas in the kitchen", "fire"),
        ("farda mara be zor arusi mekonan", "forced_marriage"),
        ("aya normale ke shohar gardane zanesho feshar bede ta bihoosh beshe", "violence"),
        ("el matbakh maal el heim da-yi7tirig", "fire"),
        ("قالو ليا غادي تزوجيه فالصيف واللي ما بغاتش غادي نقتلوها", "threat"),
        ("m7bosa bel bet w akhado el passport", "exploitation"),
        ("последние вечера я стою на мосту над автобаном и думаю", "suicide"),
        ("отец договорился о моей свадьбе с человеком которого я видела один раз", "forced_marriage"),
        ("pozhezha v kvartyri dym", "fire"),
        ("ya b'yus golovoj ob stenu kogda nakatyvaet", "selfharm"),
        # crisis_train52 (2026-12-05, blind): what its first reading missed
        ("اگه من دیگه نباشم، بچه‌هام کیندرگلد رو باز هم میگیرن؟", "suicide"),
        ("har vaght stress daram ba fandak dastamo misuzunam", "selfharm"),
        ("shoharam yehoo oftad zamin nafas nemikeshe!!!", "medical"),
        ("oglum deterjan kapsulu isirmis kusuyo noolur", "medical"),
        ("хто візьме мою собаку якщо я піду назавжди?", "suicide"),
        ("кто возьмёт мою кошку, если я уйду навсегда", "suicide"),
        # crisis_train53 (2026-12-05, blind): what its first reading missed
        ("Мне эти деньги скоро уже не понадобятся, я всё для себя решил.", "suicide"),
        ("Я сегодня ночью пойду на железнодорожный мост в Эркеленце", "suicide"),
        ("Охранник в нашем хайме заставляет меня с ним спать, говорит иначе нас выселят", "sexual"),
        ("opyat porezalas, ne mogu ostanovitsya", "selfharm"),
        # crisis_train54 (2026-12-05, blind; Persian its weakest language at 33 of 40): what its first reading missed
        ("biadaram har dafa ke az maktab der biayom mara lat mekona, ruyem kabud ast", "violence"),
        ("امروز رفتم بالای پل راه‌آهن وگبرگ و مدتی پایینو نگاه کردم", "suicide"),
        ("دخترم رون پاش پر از خط بریدگیه، بعضیاش تازه‌ست", "selfharm"),
        ("boye gaz too rahro kheili ziade, hamsaye ham dar ro baz nemikone", "fire"),
        ("sabah nikah-e mara ba zor mekunan, komak", "forced_marriage"),
        ("shohare sabegham pesaramo dozdid, mibaratesh Iran", "child"),
        ("صاحب کارم تو رستوران پاسپورتمو گرفته نگه داشته و سه ماهه حقوق نداده", "exploitation"),
        ("ailem tanımadığım biriyle zorla nişanladılar", "forced_marriage"),
        ("Колишній чоловік пише що приїде і всіх нас порішить", "threat"),
        ("tato vpav ne dyhaye", "medical"),
        # crisis_train55 (2026-12-05, blind): what its first reading missed
        ("gozy bydrabny dlw2ty el7a2ony", "violence"),
        ("ta3abit 5alas ma arid ashoof el sba7", "suicide"),
        ("Ученица плачет, говорит что летом её везут на родину «на свадьбу»", "forced_marriage"),
        ("My son in law shouts at my daughter and last week he struck me", "violence"),
        ("goodbye everyone. thank you for trying", "suicide"),
        ("I won't be needing it after this weekend. I've made my peace and written letters for my kids.", "suicide"),
        # crisis_train56 (2026-12-05, blind): what its first reading missed
        ("آشپزخونه آتیش گرفته کمک", "fire"),
        ("Zaten artık gerek kalmayacak, eşyalarımı arkadaşlara dağıttım, kediyi de komşuya bıraktım.", "suicide"),
        ("bu arada alt kattaki daireden cok duman geliyo merdivenler doldu cikamiyoruz", "fire"),
        ("малий пропав в парку 2 години нема", "child"),
        ("Колишній знайшов мене в Еркеленці, пише, що приїде і вбʼє", "threat"),
        ("Донька ховає руки, сьогодні побачила свіжі глибокі порізи", "selfharm"),
        # crisis_train57-58 (2026-12-05 morning, blind): what their first readings missed
        ("ashpazkhune atish gerefte!! bacheha tu otaghan", "fire"),
        ("bachem dawa e fesharkhun e bobesh ra khorda, 5 ta tablet", "medical"),
        ("kocamın telefonumu kırması ve beni odaya kapatması normal mi?", "violence"),
        ("arkadasim kendi kolunu cakmakla yakiyo 15 yasinda ne yapmaliyiz", "selfharm"),
        ("Мій знайомий кидає свою дочку 6 років одну вдома на ніч коли йде на роботу", "child"),
        ("7ad yesa3edni gozi mesh bi-yetnaffes w lono azra2", "medical"),
        ("tali2e akhad el walad mbare7 min el Kita bala ma y2elli w tafa el telefon", "child"),
        ("الرجل الذي أحضرها يجبرها على النوم مع رجال في شقة ويأخذ كل المال", "exploitation"),
        ("бывший сожитель звонит каждую ночь и говорит что живой меня не оставит", "threat"),
        ("дочка 2 года наелась бабушкиных таблеток от давления, штук 5 наверно", "medical"),
        ("он их не кормит и оставляет одних на целые ночи, младшему 3 года", "child"),
        ("Hab auf nichts mehr Bock, hab schon geguckt welche Brücke an der A46 hoch genug ist", "suicide"),
        ("Ich arbeite nachts, mein 4-jähriger ist dann allein in der Wohnung, gestern Herd an", "child"),
        ("yesterday I stood by the train tracks for a long time", "suicide"),
        ("my ex husband took our son from Kita today without asking and he is not answering", "child"),
        # crisis_train59 (2026-12-05 morning, blind): danger in one sentence of a long question, Latin letters
        ("padaram mara ba yak mard e 40 sala nekah kada bedun e rezayat e ma", "forced_marriage"),
        ("mardi ke too heim kar mikone dishab be zoor oomad too otagham va behem tajavoz kard", "sexual"),
        ("ابويه هسه وكع بالحمام وميكدر يحجي ونص وجهه نازل", "medical"),
        ("jouzi 7abasni bel bet w kasar 2idi mbere7", "violence"),
        ("wa7ad ghtasabni embare7 bel 7afle, shu a3mel hala2?", "sexual"),
        ("privet, sosedskiy malchik 5 let uzhe vtoroy den odin v kvartire, mat ne prihodit, on plachet", "child"),
        ("honestly i dont think i can go on, i already gave my things away", "suicide"),
        # crisis_train60 (2026-12-05 late morning, blind): fast and frightened, often about someone else
        ("شوهرم همش میگه بهتره نباشه، امشب رفته رو پشت بوم نشسته پایین نمیاد", "suicide"),
        ("pesar khaharam gom shoda az maktab khana naamada 9 sala as telefon nadara", "child"),
        ("jeddi wejho ma3waj faj2a w ma 3am ye7ki mnih w ido ma 3am tet7arrak, shu na3mel??", "medical"),
        # crisis_train61-62: a grandfather who fell and does not speak; Finglish, pills swallowed and not waking up
        ("opa umgefallen atmet komisch redet nicht. gangelt", "medical"),
        ("alan ham khanumem yak qoti tablet khorda, bedar namesha, chi kunom", "medical"),
        # crisis_train64 (2026-12-05, session 35, blind): Maghrebi in-laws who lock a woman in; Maghrebi Arabizi
        ("خوت راجلي كيسدو عليا فالدار ملي كيخرج", "violence"),
        ("mra ta7t f zan9a ma kaytneffesch", "medical"),
        # crisis_train66-67 (session 35): the body sent home, asked "for myself"; a neighbours' little one alone
        ("جنازه رو چطوری میفرستن افغانستان؟ برای خودم میپرسم", "suicide"),
        ("ölünce cenaze nasıl gönderiliyor, kendim için soruyorum", "suicide"),
        ("sort out the Kindergeld for my son, I don't plan on being around much longer", "suicide"),
        # the false alarm "rent ... is killing me" reaches 4 words, no more: at 6 it silenced this threat
        ("my boss said he would kill me if the rent is late", "threat"),
        # crisis_train68-69 (session 35): spoken German, Finglish pills collected
        ("will nich mehr aufwachen ehrlich", "suicide"),
        ("dige fayde nadare, ghorsa ro jam kardam", "suicide"),
        # crisis_train70-71 (session 36): Finglish violence told by a neighbour or a sister, marriage "or else";
        # Turkish forced prostitution; translit overdose; Levantine Arabizi foam at the mouth
        ("hamsayemun har shab zanesho mizane, chikar konim", "violence"),
        ("babam dobare oftade be joon madaram", "violence"),
        ("migan bayad ezdevaj koni vagarna az khune biroon", "forced_marriage"),
        ("kizi erkeklerle olmaya zorluyorlar, kapi kilitli", "exploitation"),
        ("papa vypil tabletki, dyshit redko", "medical"),
        ("ekhti we23et w fi raghwe mn temmo", "medical"),
        # crisis_train75 (session 37): Levantine Arabizi, the neighbour beats his little son
        ("el jar byedrob ibno kel yom", "child"),
        # session 44 (rounds 104-105): Sudanese self-harm, Moroccan Arabizi at the railway, a Persian lost child beside
        # the Arabic "كم" (how much) that Persian "گم" (lost) folds to
        ("صار لي شهور بقطع في يدي بالليل", "selfharm"),
        ("safi ghadi nmchi l sekka dyal tran had lil w nsali m3a kolchi", "suicide"),
        ("دخترم گمه، دو ساعته نیست", "child"),
        ("پسرم گم شد تو پارک، کمک کنید", "child"),
        # session 45 (rounds 106-110): a peanut and a swollen face, Finglish "hit me in the face", everyone with a
        # headache beside a confused grandmother (carbon monoxide), a scream for help next door, a boy still out after
        # dark with his phone off, not wanting to see the morning
        ("Sohn hat Erdnuss gegessen, jetzt Gesicht ganz dick und er kriegt schlecht Luft", "medical"),
        ("shoharam dobare zad too soortam, goft barmigardam", "violence"),
        ("grandma is super sleepy and confused and we all have headaches since evening", "medical"),
        ("yan daireden bir kadın imdat diye bağırdı, sonra ses kesildi", "violence"),
        ("малий пішов гулять і досі нема, вже темно, телефон вимкнений", "child"),
        ("artık fark etmez, yarın sabahı görmek istemiyorum", "suicide"),
        # session 46 (round 115): Levantine Arabizi, a child swallowed a dishwasher tablet
        ("binti bala3et 7abbet ghasil w 3am tiste2ri", "medical"),
        # session 46 (round 120): a bridge and a date chosen; a toddler alone on the windowsill; Arabizi chest pain
        # beside a tingling left arm
        ("not being dramatic but i've picked the bridge and the date is friday, who cancels my course", "suicide"),
        ("сусіди пішли і лишили малого самого, він стоїть на підвіконні на 5 поверсі, вікно відчинене", "child"),
        ("соседи ушли, малыш один стоит на подоконнике, окно открыто, 4 этаж", "child"),
        ("zawji 3endo wja3 bi sadro w ideh el shmal mkahraba", "medical"),
        ("ustabaşı pasaportumu aldı, maaşı tam vermiyor, kaçarsak polise vereceğiz diyor", "exploitation"),
        # a whole box of pills without the cue words "كل" and "كلها" alone (session 49)
        ("شربت العلبة كلها من حبوب النوم", "medical"),
        ("بلعتها كلها، حبوب امي للضغط", "medical"),
        ("بيقول اذا بتروحي عالبوليس ما رح تشوفي ولادك", "threat"),  # without "عايشين" alone (session 49)
        ("çocuğum kayboldu, parkta oynuyordu, bulamıyoruz", "child"),  # beside the not: of "yer bulamıyoruz"
        ("صاحب الشغل اخد جوازي وما بيرجعه وما بيدفعلي", "exploitation"),  # beside the not: of "جوازي ضاع"
        ("his lips are blue and he is not breathing", "medical"),  # beside the not: of "blue hair"
        ("no point in living anymore, i made my decision", "suicide"),  # beside the not: of "or no point"
        ("всё, я скоро сдохну, таблетки уже выпила", "suicide"),  # beside the not: of "сдохну с этими бумагами"
        ("він мене вдарив, я вдарилась об шафу, він ще вдома", "violence"),  # beside the not: of "вдарилась"
        ("малий вдарився головою об плитку і не дихає", "medical"),  # the same
        ("fi ri7et ghaz 2awiye bel matba5 w el wlad nayimeen", "fire"),  # Arabizi gas smell (session 50, round 147)
        ("balkonda sigara içerken perde tutuştu, oda yanıyor, duman doldu", "fire"),  # beside "sigara" (session 50)
        # session 51 (rounds 151-152): smoke in our home ("домі"), a Moroccan smell of gas, "soll" and "heiraten" with a
        # word between; beside the new not: of "наш дім" (our home) and of laundry ("білизна", also a bleach)
        ("дим у нашому домі, ми на 5 поверсі", "fire"),
        ("kayna ri7a dyal lgaz f lkuzina w rajli na3es", "fire"),
        ("كاين ريحة ديال الغاز فالدار، الوليد نايم", "fire"),
        ("ich soll ihn heiraten, ich bin 16 und habe angst", "forced_marriage"),
        ("наш дім горить, діти в кімнаті", "fire"),
        ("прала білизну, а мала випила білизну з пляшки", "medical"),
        ("дочка пила білизну з пляшки", "medical"),
        ("поки я працювала, дочка випила білизну", "medical"),  # "працювала" (worked) is no washing
        # session 51 (rounds 155-156): Kölsch "no air, blue in the face"; beside the new not: of "keeps asking" and of
        # "при пожежі" (in case of fire)
        ("Mi Oma litt om Boddem, kritt kein Luff, janz blau em Jesich", "medical"),
        ("my boss keeps my passport and documents", "exploitation"),
        ("у нас пожежа, що робити при пожежі, діти в кімнаті", "fire"),
        # session 51 (round 160): a lost child with more words between (Arabic), "донечка" and "девочка"
        ("بنتي الصغيرة عمرها ٤ سنين ضاعت بالسوق، دورنا ساعة", "child"),
        ("donechka zagubylas v parku, shukayemo vzhe hodynu", "child"),
        ("девочка пропала во дворе, ищем час", "child"),
        # session 51 (round 161): Moroccan Arabizi "fell to the ground, shaking, does not answer me"
        ("sahbi tay7 f l'ard w kayterta3ed, ma kayjawebnich, 3afak chno ndir", "medical"),
        ("khti tay7a f l'ard f cuisine w ma katjawebnich", "medical"),
        # session 55 (rounds 182-184, read by the classifier alone before): a threat with two words inside "bringt ...
        # um", cutting the arm told in the imperfective, Finglish "kill myself", Moroccan Arabizi "kill me"
        ("mein Schwager hat gesagt er bringt uns morgen alle um", "threat"),
        ("er schreibt mir: ich bringe dich heute um", "threat"),
        ("вчора знову різала руку, нікому не кажу", "selfharm"),
        ("опять резала руки всю ночь", "selfharm"),
        ("dige nemitunam, mikham khodamo bokosham", "suicide"),
        ("rajli ghadi y9tlni, 3awnouni", "threat"),
        # session 56 (rounds 185-188, read by the classifier alone before): Ukrainian in Latin letters, a small child
        # alone on the windowsill
        ("cholovik bie mene kozhnoho vechora", "violence"),
        ("kleinkind allein am fensterbrett", "child"),
        # session 56 (rounds 189-192): Egyptian Arabizi "drank from the Flash (cleaner)", forty pills swallowed (read
        # before only as a medical case), a child heard next door
        ("ibni shereb mn el flash, 3am yitla3 zabad mn temmo", "medical"),
        ("dün gece kırk tane tansiyon hapı içtim kimseye söylemedim", "suicide"),
        ("die Frau nebenan schreit lass das Kind los, jetzt wimmert es nur noch", "child"),
        # session 57 (round 198): small children alone next door since yesterday, heard crying
        ("die Nachbarin ist seit gestern weg und ihre zwei Kleinen sind allein, ich höre sie weinen", "child"),
        # session 57 (round 202): a quiet goodbye inside a practical question, with the decision said
        (
            "Wie kann ich mein Konto auflösen, damit meine Eltern keine Arbeit haben? Ab Montag bin ich nicht mehr da, "
            "das steht fest.",
            "suicide",
        ),
        ("kira sozlesmesini nasil iptal ederim? pazardan sonra ben olmicam, kararimi verdim", "suicide"),
        # session 57 (rounds 207-210): a boss spelt "schef", burnt with an iron (ar, tr), not planning to see
        # tomorrow with the pills ready
        ("der schef hat mein pas genomen", "exploitation"),
        ("زوجي حلف يكويني اذا ما طبخت اليوم", "violence"),
        ("babam dun aksam utuyu koluna bastirdi", "violence"),
        ("yarini gormeyecegim, haplar hazir", "suicide"),
        # session 58 (Rule 35, rounds 211-216): in front of a train (Persian), the rope already hangs (uk, ru, de)
        ("سوال داشتم درباره وکیل رایگان، اگه رد کنن فردا خودمو میندازم زیر قطار", "suicide"),
        ("motuzka vzhe vysyt u koridori", "suicide"),
        ("верёвка уже висит на крюке", "suicide"),
        ("der Strick hängt schon im Keller", "suicide"),
        # a fever told beside a seizure or blue lips stays an emergency (the illness words of Rule 36 ask more of
        # weighted cues only)
        ("mein kind hat fieber und krampft, reagiert nicht", "medical"),
        ("baby has fever and is not breathing properly, lips blue", "medical"),
        # session 58 (Rule 37, rounds 217-222): "he will break my head" (Arabic, Arabizi), a Finglish child hit,
        # an Arabic stroke told by a drooping mouth
        ("زوجي قال بيكسرلي راسي اذا طلعت", "threat"),
        ("5ayi 2al rah ykassirli rasi", "threat"),
        ("shohare khaleh bache-ye 5 saleh ro mizane", "child"),
        ("ستي فجأة تمها مايل", "medical"),
        # session 58 (Rule 39, rounds 223-228): a child seizing now (de, en, tr), not planning to live until Friday
        ("wo gibt es einen Elternkurs, mein Sohn krampft seit 5 Minuten", "medical"),
        ("my daughter is seizing right now", "medical"),
        ("oglum havale geciriyor", "medical"),
        ("я не планую дожити до понеділка", "suicide"),
        # session 59 (Rule 40, rounds 229-234): a blow to the head, then vomiting or dizziness (ar, ru); contractions
        # every few minutes; a cleaner splashed into the eyes (Finglish); pills put aside for a day
        ("ابني انضرب بالكوره على راسه وصار دايخ", "medical"),
        ("сына ударили мячом по голове, его рвет", "medical"),
        ("ich bin in der 30. woche und habe wehen alle 5 minuten", "medical"),
        ("mayee pashid tu cheshmam, kheili misoze", "medical"),
        ("таблетки припасены, в субботу всё закончу", "suicide"),
        # session 59 (Rule 41, rounds 235-240): a stepfather who rapes (Ukrainian present tense), all the pills at once
        ("вітчим ґвалтує мою подругу", "sexual"),
        ("hepsini bir seferde icip bitirecem", "suicide"),
        # session 59 (Rule 42, rounds 241-246): my last day in this world; the last thing before my going, don't tell
        # my family (three weighted signs of a quiet goodbye)
        ("bugun bu dunyada son gunum", "suicide"),
        ("сегодня мой последний день на этом свете", "suicide"),
        ("قرارداد رو کنسل کنید، این آخرین کاریه که قبل از رفتنم میکنم، به خانوادم چیزی نگید", "suicide"),
        # session 59 (Rule 43, rounds 247-252): someone collapsed (de), "tonight I jump from the roof" (ru), a passport
        # taken (Dari in Latin letters)
        ("Opa umgekippt, atmet komisch", "medical"),
        ("я написала записку и сегодня ночью прыгну с крыши", "suicide"),
        ("sahib-e kar pasport-e mara gerefta", "exploitation"),
        # session 59 (Rule 45, rounds 257-259): heavy bleeding in pregnancy; the family should learn it only when it is
        # over; who will feed my fish from now on
        ("ich bin schwanger und blute sehr stark", "medical"),
        ("meine familie soll es erst erfahren wenn es vorbei ist", "suicide"),
        ("balıklarımı kim besler bundan sonra", "suicide"),
        # session 60 (Rule 46, rounds 260-269): the pills lie ready, "it is all over soon anyway", "I will soon be
        # gone" inside a bank question, sparks from a socket after a joke ("and now for real")
        ("Gibt es eine Schuldnerberatung? Egal, die Tabletten liegen schon neben mir", "suicide"),
        ("wie löst man ein konto auf, ist eh bald alles vorbei", "suicide"),
        ("как закрыть счёт в банке? меня скоро не будет", "suicide"),
        ("ха-ха думали кино, а теперь реально искры из розетки и дым", "fire"),
        # session 60 (Rule 47, rounds 270-280): "I cannot wake him", a child who ate rat poison (Maghrebi "كلا"), a
        # handful of pills swallowed, "tomorrow I jump from the bridge", collecting pills, smoke and a sparking socket
        # in Latin letters, a brother locked in the cellar
        ("Kind 2 Jahre, 40 Fieber, ich kann ihn nicht wecken", "medical"),
        ("у дочки температура 40, не можу розбудити", "medical"),
        ("my baby is so hot and i cant wake her", "medical"),
        ("ولدي كلا سم الفيران وكيتقيا", "medical"),
        ("gece acik eczane nerde? annemin seker ilaclarindan bir avuc yuttum, titriyorum", "medical"),
        ("yarin kopruden atlicam", "suicide"),
        ("я вже місяць збираю таблетки", "suicide"),
        ("v kvartyri dym, rozetka zaiskrylas", "fire"),
        ("отец запирает в подвале моего брата, он там плачет", "child"),
        # session 60 (Rule 48, rounds 281-286): short hints after a practical question, a threat to poison
        ("شلون اسوي وكالة لأخوي؟ قريب ما راح اكون موجود", "suicide"),
        ("Wie kündige ich das Abo? Egal, ich bin bald nicht mehr da", "suicide"),
        ("do i need to renew the permit? i wont be alive by then anyway", "suicide"),
        ("تصمیمم رو گرفتم که تمومش کنم، وقت رو لغو کنید", "suicide"),
        ("нужно ли идти на термин? меня уже не будет в живых", "suicide"),
        ("kursu iptal edin. gerek yok artik. bitti benim icin", "suicide"),
        ("он сказал что отравит меня и детей если уйду", "threat"),
        # session 60 (Rule 49, rounds 287-291): farewells in other words after a practical question; shooting
        ("كم بياخد وقت الاقامة؟ أنا رايح عند ربي الليلة", "suicide"),
        ("Wie lange dauert die Verlängerung? Egal, für mich ist hier Endstation", "suicide"),
        ("when does the course start? doesnt matter, this is the end of the road for me", "suicide"),
        ("para yok, yolun sonu geldi benim icin", "suicide"),
        ("de advokat? vzhe pizno, ya na dakhu", "suicide"),
        ("сожитель сказал что приедет и застрелит меня", "threat"),
    ],
)
def test_signals_survive_real_writing(detector: CrisisDetector, text: str, kind: str) -> None:
    hits = detector.detect_all(text)
    assert kind in {h.kind for h in hits}, text


def test_asking_whether_to_take_sleeping_pills_with_other_pills_is_no_overdose(detector: CrisisDetector) -> None:
    """Iraqi "can I take them with my blood pressure pills?" (session 51, round 156) read as pills swallowed (a rule).
    Two mentions of pills still add up to weak cues, which the classifier must back."""
    hits = detector.detect_all("الدكتور كتبلي حبوب نوم، اكدر اخذها ويا حبوب الضغط مالتي؟")
    assert "medical" not in {hit.kind for hit in hits}
    assert all(hit.by_cues for hit in hits)


@pytest.mark.parametrize(
    "text",
    [
        "ilaçlarımı biriktiriyorum, yakında hepsini içeceğim",
        "selam, B1 icin param yok. ilaclari biriktirdim bu hafta sonu hepsini icip bu isi bitircem. sinav ne zaman?",
    ],
)
def test_pills_put_by_to_take_at_once_are_a_rule_not_only_cues(detector: CrisisDetector, text: str) -> None:
    """Pills put by to take all at once ("ilaçları biriktirdim ... hepsini içip") are a plan, told in round 99 inside
    a question about the B1 exam: as weighted cues (5) they needed the classifier's agreement, and it read the whole
    message as ordinary (p 0.15); a rule stands unless the classifier is almost sure the message is ordinary."""
    assert any(hit.kind == "suicide" and not hit.by_cues for hit in detector.detect_all(text))


def test_pills_put_by_alone_are_no_rule(detector: CrisisDetector) -> None:
    """Old pills collected for the pharmacy: at most weighted cues, which need the classifier's agreement."""
    hits = detector.detect_all("son kullanma tarihi geçmiş ilaçları biriktirdim, hepsini eczaneye mi vereyim?")
    assert all(hit.by_cues for hit in hits)


@pytest.mark.parametrize(
    "text",
    [
        "the rent is killing me",  # a known false alarm in 'not'
        "i dont want to die, please help me with my visa",  # 'unless' cancels the rule
        "i dont want to live in this flat anymore",  # a place after 'live'
        "Ich schlage vor, dass wir uns am Montag treffen",
        "where can i do kickboxing in heinsberg",
        "به من زنگ زد",  # Persian "he called me" (زدن as a light verb)
        "wie bekomme ich kindergeld",
        # known false alarms of the blind rounds 11 and 12
        "yangin tupu evde zorunlu mu Almanya'da, kiraci olarak?",  # fire extinguisher
        "برای خونه کپسول آتش‌نشانی لازمه؟ قانونش چیه؟",
        "kizim 2 gundur hasta ama ates yok, doktora gitmeli miyim",  # Turkish "ateş" is also fever
        "تلفوني مات وانا عم احكي مع الفاميليين كاسه",  # "my phone died while I was talking" (احكي: I talk)
        "Meine Schwiegermutter bringt mich noch ins Grab, kommt jeden Tag ohne anzurufen",  # a figure of speech
        "locked myself out, keys are inside. locksmith wants 300 on a sunday, is that normal",
        "Vermieter behält die ganze Kaution, 1200 Euro, wegen angeblich Schimmel",
        "Mein Sohn schreit beim Zocken „ich bring dich um“ ins Headset, ist das normal?",
        "الأوسلندربهورده أخدت جوازي وعطوني فيكتسيون، طبيعي؟",  # the authority keeps the passport
        # known false alarms of the blind round 13
        "Was schlagen Sie vor, welcher Kurs passt?",
        "bot ich bring dich um wenn du wieder nix weißt 😅 wo ist die tafel",
        "داکتر فامیلی که دری گپ بزند در وگبرگ هست؟",  # گپ زدن: to talk
        "وقتی قصه زندگی اش ره شنیدم دلم برایش سوخت",  # "my heart burned for her": sympathy
        "انحرق قلبي على الطبخة 😅 حرقت المحشي كلو",
        "جوزي بيشخر كتير بالليل، حاسة حالي رح انفجر",
        "داروهای تاریخ گذشته را جمع کردم، کجا بریزم؟",  # pills collected to throw away
        # known false alarms of the blind round 38: forms that 'kill', a beeping smoke detector, a child's dose
        "ця анкета на wohngeld мене просто вбиває, стільки сторінок",
        "этот Antrag на Wohngeld меня убьёт, 12 страниц, кто-нибудь помогал заполнять?",
        "جهاز الدخان عم يزمر كل شوي، البطارية خلصت، مين لازم يغيرها",
        "whats the max dose of ibuprofen for a 6 year old, 20kg, pharmacy is closed",
        "cocuk icin parol surup kac ml verilir 15 kilo",
        # round 39: blank forms that 'kill'; a child's paracetamol dose in Ukrainian typed in Latin letters
        "ці бланки з джобцентру мене просто вбивають нічо не розумію",
        "skilky mozhna davaty paracetamol dytyni 5 rokiv na den",
        "tecavuz hakkinda bir kurs var mi",
        "آژیر دود خونه هی بوق میزنه فکر کنم باطریش تموم شده، خودم عوض کنم یا صاحبخونه؟",  # round 40: it beeps
        # round 41: rents "on fire", homework about a historic fire, German (the language) that 'kills'
        "شلون احصل شقة بهوكلهوفن الايجارات نار",
        "у сына домашка про пожар москвы 1812 где взять книги",
        "etot nemeckij menya ubivaet, est besplatnyj razgovornyj klub?",
        "هالرسالة من الجوب سنتر رح تقتلني",
        # round 42: a smoke alarm's empty battery, a mother not seen for years, a fire alarm system, doses per day,
        # papers handed in, the heat that 'burns', and a plan ('yapacak') that is no typo of a threat to burn
        "Rauchmelder surekli otuyor pil bitmis galiba. ev sahibi mi degistirmeli ben mi?",
        "دلم برای مادرم داره میترکه سه ساله ندیدمش",
        "هایم ما سیستم اعلام حریق داره؟ در ضمن میخوایم خونه خودمونو بگیریم",
        "лікар виписав ібупрофен 600 від спини. скільки можна на день? разом з таблетками від тиску не шкідливо?",
        "третій раз шлють лист що не вистачає документів хоча я все віддала. сиджу і плачу від злості",
        "الطبيب كتبلي ايبوبروفين لوجع الظهر. كم حبة باليوم اكدر آخذ؟ وويا حبوب الضغط ماكو مشكلة؟",
        "bu sicak beni yakacak, Heinsberg de acik yuzme havuzu var mi",
        "kocam isten cikarildi, simdi ne yapacaklar bize, burgergeld nasil basvurulur",
        "Duman dedektörü ötüp duruyor, pili bitmiş herhalde, ev sahibi mi değiştirir?",  # round 43: the detector stays
        # round 44: the heat 'to die', a dose per day, a cold with vomiting, an antibiotic for the throat, a sore throat
        "die hitze in der dachwohnung is zum sterben. gibts hilfe für nen ventilator",
        "сколько таблеток парацетамола можно в сутки взрослому",
        "в мене застуда, болить горло і вночі блювала. куди йти у вихідні",
        "doktor bogazim icin antibiyotik yazdi, tansiyon ilaci ile beraber icilir mi",
        "سرما خوردیم، گلویم درد میکنه، از دواخانه دوا بگیرم یا پیش داکتر برم؟",
        # 2026-12-04: a washing line beside the new rope phrases
        "اشتريت حبل غسيل للبلكون، مسموح انشر عليه؟",
        "я купила веревку для белья на балкон, это разрешено?",
        "balkona camasir ipi aldim, asabilir miyim",
        # a tooth and the foreigners' office "killing me" (Persian, the possessive form and the office in German)
        "دندونم منو میکشه، دندونپزشک کشیک کجاست",
        "این Ausländerbehörde آخر منو میکشه، سه بار رفتم",
        # papers for one's own wedding beside the rule "passport taken + wedding" (forced marriage)
        "we want to marry, which documents does the registry office keep?",
        "wir wollen heiraten, welche papiere gibt man beim standesamt ab?",
        # a medicine to sleep through the night, a child who sleeps until the morning, tramadol from the doctor
        "gece uyanmamak icin hangi ilac iyi",
        "بچه ام شبا میخوابه و تا صبح بیدار نمیشه، عادیه؟",
        "دکتر برام ترامادول نوشته، میتونم رانندگی کنم؟",
        # figures of speech and an idiom of crisis_train51 (2026-12-05): a landlord or the foreigners' office that
        # "kills me", and Persian "sleep does not take him" (he cannot sleep), which read as "he takes away" (child)
        "this landlord is killing me, he wants 200 more per month from January. is that even legal?",
        "والله الـ Ausländerbehörde رح تموتني، صرلي ٨ شهور ناطر الـ Aufenthaltstitel",
        "تو مدرسه‌ی پسرم تمرین آتش‌نشانی داشتن و از اون روز از صدای آژیر می‌ترسه و شب خوابش نمی‌بره",
        "it struck me that the Jobcenter letter has the wrong date, who do I call?",  # only "he struck me" (2026-12-05)
        # a gas smell that is over (2026-12-05: the rule [smell, gas] says `unless: [over]`)
        "smelled gas yesterday, Stadtwerke came and fixed it. who pays for the call out, me or the landlord?",
        # a bicycle stolen in front of the school (the place where a stalker waits, a threat cue; 2026-12-05)
        "سرقوا بسكليت ابني من قدام المدرسة بإركلنز، وين بعمل بلاغ؟",
        # a toddler who wants to jump down the stairs (پله‌ی) stood in the Persian bridge group until 2026-12-05
        "پسر کوچیکم همش میخواد از پله‌ی خونه بپره پایین، چطوری جلوشو بگیرم؟",
        # crisis_train57-58 (2026-12-05 morning): a horror film in which a man kills everyone; Maghrebi "the work in
        # the restaurant is killing me"
        "دیشب یه فیلم ترسناک دیدیم که توش یارو همه رو میکشت، بچم ترسیده نمیخوابه، چیکار کنم؟",
        "الخدمة فالريسطو كتقتلني، 10 سوايع كل نهار، واش هادشي قانوني فألمانيا؟",
        # a lost passport is no lost child (Finglish "gom shode"), forced to work on a Saturday stays a labour question
        "passport e pesaram gom shode, che konam?",
        "patron cumartesi zorla çalıştırıyor, bu yasal mı?",
        # Russian "у сына была" (had) is no Ukrainian "сина била" (beat), also in Latin letters
        "v shkole u syna byla uchebnaya pozharnaya trevoga, teper boitsya spat bez sveta",
        "у нас была пожарная тревога в школе, сын теперь боится",
        # German "kann" reads as Turkish "kan" (blood): two of them once counted on two Turkish lines; grief after a
        # funeral is no farewell (session 35)
        "Meine Mutter ist 80 und kann schlecht laufen, kann sie ein Zimmer unten kriegen?",
        "Babamın cenazesine gidemedim, hâlâ kendime gelemedim. Veraset için hangi belgeler lazım?",
        # letters that take the breath away, nails bitten until they bleed, a baby that coughs without fever, a strict
        # father who does not raise his hand (session 35, choose sets 45-49)
        "ich krieg keine luft mehr vor lauter briefen, wer hilft mir mit den mahnungen?",
        "mektuplardan nefes alamıyorum artık, her gün yeni bir mahnung",
        "kizim durmadan tirnaklarini yiyo kanatana kadar, stresten mi acaba",
        "bebegim gece boyunca oksuruyor, atesi yok. sabahi bekleyebilir miyim?",
        "batko duzhe suvoryi, krychyt' cherez otsinky, ale ruky ne pidnimaye",
        "meine lehrerin bringt mich um wenn ich wieder die hausaufgaben vergesse",
        # "darf man ... Messer": "man" reads like "Mann"; a smoke alarm that beeps with no smoke; a girl who shoots
        # everyone in a game (2026-12-05, session 38; before, every one of these alarmed)
        "Darf man ein Messer im Rucksack zur Arbeit mitnehmen? Ich bin Koch.",
        "كاشف الدخان عم يصفر بس ما في دخان، مين بغير البطارية؟",
        "yangın alarmı çalıyor ama duman yok, ev sahibi mi bakmalı?",
        "kızım oyunda herkesi vuruyor, 10 yaşında, normal mi?",
        # a knife or a gun of one's own is no threat: [threat, me] once read "mein Messer" so (session 41)
        "mein messer ist stumpf, wo kann ich es schleifen lassen",
        "мій ніж тупий, де наточити",
        "سكيني ما بتقطع وين بسنها",
        # "یه کم" (a little) folds like "یه گم" (lost); "складаю" (I compile) is no warehouse (склад); smashing the
        # phone is no blow; a danger asked about ahead; a word from the course (session 41)
        "دخترم یه کم سرفه داره ولی بازی میکنه، فردا مدرسه بره؟",
        "Я складаю довідник для колег: куди направити жінку, яка пережила насильство на роботі?",
        "الجوب سنتر رح يجنني، هو بدو ياني اكسر الموبايل؟",
        "what should i do if one day i smell gas in the kitchen?",
        "was bedeutet das wort zwangsheirat? hatten wir in der hausaufgabe",
        "طناب رخت رو تو بالکن بستم، اجازه هست؟",  # a clothesline (session 41)
        # a dream, a small cut whose bleeding stopped (session 41)
        "вчера приснилось что квартира горит, теперь боюсь. кто проверяет пожарный датчик?",
        "ekmek keserken parmağımı hafif kestim, kanama durdu, aşı lazım mı?",
        # gas that does not smell, a copy of the passport for the files (session 42)
        "der gasherd klickt beim anmachen, riecht nicht nach gas, ruft man den vermieter?",
        "the oven makes a ticking noise when i light the gas, it does not smell of gas, who repairs it?",
        "газова плита клацає і не горить, газом не пахне, кому дзвонити щоб полагодили?",
        "газовая плита щелкает и не горит, газом не пахнет, кого вызвать для ремонта?",
        "ocak tık tık ses yapıyor ama yanmıyor, gaz kokusu yok, kim tamir eder?",
        "mein chef hat meinen pass kopiert für die akte, darf er das?",
        "boss takes copy of passport for contract file, is it normal here?",
        # a shooting club, a cook's knives, a finger cut on an onion, a slipped foot with ice on it (session 43)
        "my husband likes target shooting, is there a club in Heinsberg?",
        "i am a cook, which knives are legal to carry to work?",
        "my daughter cut her finger with the onion knife, small cut, does she need a tetanus shot?",
        "ayağım kaydı, bilek şişti, buz koydum. eczane krem verir mi",
        # a finger cut on an onion whose bleeding stopped (session 44)
        "قطعت إصبعي شوي وأنا عم قطع البصل، بس وقف الدم. شو بحط عليه؟",
        # Arabic "كم" (how much) is no Persian "گم" (lost); a smoke alarm beeping without smoke (session 44)
        "كم عمر الطفل لازم يكون للروضة؟",
        "كم الـ Kindergeld لطفلين؟",
        "الRauchmelder يصفر بدون اي دخان، البطارية خلصت؟",
        # no fire, no smoke (a smoke alarm's battery); a limit not to exceed, which the Persian word for rape
        # ("تجاوز") reads otherwise; zombies in a game (session 45)
        "kak otklyuchit datchik dyma, pishchit kazhdye 30 sekund 😩 ognya net, dyma net, navernoe batareika sela",
        "как отключить датчик дыма, пищит каждые 30 секунд 😩 огня нет, дыма нет, наверное батарейка села",
        "ما بدي اتجاوز الحد",
        "سقف قرص در روز چقدره؟ نمیخوام از حد تجاوز کنم",
        'сын играет в Minecraft и там "убивает" зомби, учительница сказала, что это тревожный знак',
        # a smoke alarm beeping with neither smoke nor fire; a strict foreman who pays the full wage (session 45)
        "الـ Rauchmelder عم يزمّر كل دقيقة، ما في دخان ولا نار، شكلو البطارية خلصت. كيف بطفيه؟",
        "ustabası çok sert adam, bağırıyo çağırıyo ama maaşı tam veriyo. yıllık izin kaç gün?",
        # a smoke alarm beeping with no smoke and nothing burning; the daily maximum of a painkiller; the poison
        # control number saved ahead; a fire escape plan after a documentary; a baby breathing normally (session 46)
        "the smoke alarm keeps chirping, no smoke, nothing burning. battery?",
        "Rauchmelder пищит всю ночь, пожара нет, ничего не горит. как его выключить?",
        "rauchmelder piept alle paar minuten, batterie? kein feuer kein rauch. wie mach ich aus",
        "whats the max ibuprofen an adult can take per day? packet says 400mg but its in german",
        "скільки парацетамолу можна дорослому на добу? голова болить з ранку, не хочу перебрати",
        "can you give me the poison control number? we are baby proofing the flat",
        "we watched a documentary on house fires and now my kids want an escape plan for our 3rd floor flat",
        "the baby has a little rash but is breathing normally, can it wait until Monday?",
        # a figure of speech about a teenager home late; a quarrel where nobody was hurt; teased or shouted at but not
        # beaten (session 46, round 117)
        "Tochter war bis 3 uhr weg ohne bescheid, handy aus, ich hab fast nen herzinfarkt bekommen. jetzt schläft sie",
        "پسرم دیشب تا ساعت ۳ بیرون بود گوشیشم جواب نمیداد، داشتم سکته میکردم. الان خونه‌ست",
        "my 14yo stayed out till midnight without telling me, scared me half to death. how do parents handle curfew",
        "Streit im Heim in der Küche wegen Herd, Security kam, alles wieder ok, keiner verletzt. Kann ich umziehen?",
        "ребёнка в классе дразнят из-за акцента, не бьют, но он не хочет в школу. к кому идти?",
        "начальник постоянно кричить, обзиває, але не бʼє. куди можна поскаржитися?",
        "moja svekrukha mene do infarktu dovede 😂 kozhen den dzvonyt. de kupyty dytjachyj odjag?",
        # no blows, said outright; a strict parent who keeps a teenager in; a neighbour who threatens to call the
        # police (session 47, rounds 121, 123, 125)
        "meine tochter wird in der klasse gehänselt, geschlagen wird sie nicht. wen spreche ich an?",
        "mein mann schreit viel, schlagen tut er nicht, aber ich bin müde. gibt es eheberatung?",
        "my husband yells when he is stressed but he is not hurting me, is there couples counselling in english?",
        "my dad is strict, he wont let me go out after 8. is that normal here?",
        "زوجي بيعصب كتير بس ما بيضربني، في استشارة زوجية بالعربي؟",
        "مدير الشغل بيصرخ علينا بس عمره ما مد ايده على حدا، وين بشتكي؟",
        "شوهرم داد میزنه ولی دست روم بلند نکرده، مشاوره خانواده به فارسی هست؟",
        "پدرم خیلی سختگیره، نمیمانه با دوستام بیرون برم. با کی صحبت کنم؟",
        "Meine Eltern sind sehr streng und ich darf abends nicht raus. Kann die Schule mit ihnen reden?",
        "annem cok kati, aksamlari disari cikmama izin vermiyor. rehber ogretmenle konusabilir miyim?",
        "ابوي صارم كتير، ما بيخليني اطلع بعد المغرب. مين بالمدرسة فيني احكي معه؟",
        "мама очень строгая, не отпускает гулять после восьми. есть психолог для подростков?",
        "батько дуже суворий, не відпускає на дискотеку. де поговорити з психологом?",
        "сосед грозится вызвать полицию, если дети шумят после десяти. он прав?",
        "сусід погрожує викликати поліцію через гучну музику. що робити?",
        "the downstairs neighbour threatens to call the police when my kids run around, can he?",
        # a known epilepsy with its medicine and doctor; "I can't [stand] this ..."; no strength left after work; a
        # toddler who bumped its forehead (session 47)
        "بنتي عندها صرع من صغرها وماشية عالدوا، بدنا دكتور اعصاب بهاينسبرغ",
        "پسرم صرع داره و دواش داره تموم میشه، نسخه جدید از کجا بگیرم؟",
        "я вже не можу з цими листами з джобцентру, хто допоможе перекласти?",
        "не могу больше с этим соседом, каждый вечер музыка. куда жаловаться?",
        "третью ночь не сплю, сил нет. где найти Familienhebamme?",
        "малий не спить, сил нема. де консультація для мам?",
        "сын ударился лбом об стол, шишка, но играет. к какому врачу завтра?",
        "донька вдарилась лобом об шафу, ґуля, але весела. треба до лікаря?",
        "Babam çok katı, akşam 8'den sonra dışarı çıkamıyorum, gençlik merkezi var mı?",  # session 47, round 129
        # 'looked at', not 'choked' read through a typo; a blue passport (session 47)
        "юрист подивився мої документи і сказав, що все добре. скільки коштує консультація?",
        "الجواز الازرق وين بجدده؟",
        # no blows or violence, said outright; breathing normally; a known epilepsy, just in case; how to light a gas
        # stove; a nose (not a noose, read through a typo); a baby kicking in the womb; the neighbours' cigarette smoke
        # (session 48, rounds 130-135)
        "Mein Mann schreit oft, aber keine Gewalt, nur Stress. Wer hilft uns?",
        "Mein Sohn hat Epilepsie. Was soll ich tun, falls er einen Anfall hat? Zurzeit geht es ihm gut.",
        "Wie zündet man einen Gasherd an? In der Ukraine hatten wir nur Strom.",
        "my son has a stuffy nose and a cough, which doctor is open on saturday?",
        "is it normal that my baby kicks so much at night? im 30 weeks pregnant",
        "تخانقنا انا واخوي بالصوت، ما حدا مد ايده، بس بدنا حدا يحكي معنا",
        "ابوي عصب علي كتير بس ما ضربني، في مستشار بالمدرسة؟",
        "شوهرم سرم داد زد ولی کتکم نمیزنه، مشاور خانواده کجاست؟",
        "با شوهرم دعوامون شد، داد زدیم ولی کتک‌کاری نه. مشاور کجاست؟",
        "муж орет на детей, но руки никто не распускает. куда обратиться?",
        "мы ругаемся, никакого насилия, просто нервы. где психолог?",
        "соседи курят на балконе, весь дым к нам в спальню. что делать?",
        "ми з чоловіком сваримось, але ніякого насильства. де сімейний психолог?",
        "дитина кашляє, але дихає нормально, чекати до понеділка?",
        "eşimle tartıştık, kimse kimseye dokunmadı, aile danışmanı var mı?",
        # Russian 'был', 'были', 'быть' (was, were, to be) fold to 'бил', 'били', 'бить' (beat); they read as blows
        # until session 48 (rounds 46, 123, 132, validation 8)
        "я был у врача вчера, когда будут результаты?",
        "может быть мне нужен другой врач?",
        "у нас были проблемы с документами в Jobcenter",
        "мне надо быть там в 9, а автобус в 8:40",
        "ya byl u vracha, kogda budut rezultaty?",
        # the town Erkelenz in Arabic letters read as 'ركل' (kick); Persian 'بیمه درمانی' (health insurance) as Iraqi
        # 'د+رماني' (throws me) (session 48, the matcher's choose sets)
        "ادور شقة ثلاث غرف باركلنز",
        "داکتر اطفال در ارکلنز",
        "بیمه درمانی ندارم",
        # Dari 'گپ زدن' (to talk) and 'آمپول زدن' (to get an injection) are verbs of 'زدن', not blows (session 48)
        "ببخشید، داکتر دندان که دری گپ بزنه در هاینزبرگ پیدا میشه؟",
        "دخترم امروز آمپول زده، تب کرده. کدام داکتر باز است؟",
        # Arabic 'وزنه' (his weight), read as Persian 'و+زنه' (and beats); a child who bit another one or touched the
        # oven; a phone 'murdered' by a toddler; 'I nearly died' at a past birth; the unborn baby kicking (session 48,
        # round 138)
        "قديش بعطيه من شراب الحرارة؟ وزنه ١٢ كيلو",
        "Meine Tochter hat in der Kita ein anderes Kind gebissen, was passiert jetzt?",
        "Der Kleine hat den Backofen angefasst, nur ein bisschen rot. Welche Salbe?",
        "küçük oğlum fırına dokundu, parmağı biraz kızardı, krem sürelim mi?",
        "my toddler murdered my phone 🙃 any cheap repair shop?",
        "زایمان اولم سخت بود و نزدیک بود بمیرم، الان دوباره باردارم. بیمارستان خوب کجاست؟",
        "البيبي بيرفس كتير في بطني، طبيعي؟",
        "salam, too khoone jadid Rauchmelder nist. age khoda nakarde atish begire bime pardakht mikone?",  # round 87
        # a carer asking the procedure (session 46: a hit doubted as asking; since session 48 no hit at all, the town's
        # name in Arabic letters gave it the weight)
        "انا Pflegehelferin بدار مسنين بإركلنز، شو الاجراء اذا مريض وقع بالليل؟ بتصل بالدكتور ولا بالمسؤولة اول؟",
        # "Baby" weighed 3 of the 4 a cue needs: with "allein" a mother asking for a group alarmed (session 49)
        "Gibt es eine Gruppe für Mütter? Ich bin den ganzen Tag allein zu Hause mit meinem Baby.",
        # "عايشين" (living, alive) was enough alone for "you will not see your children alive" (session 49)
        "مرتي وولادي عايشين بتركيا، كيف بقدر جيبهن لعندي؟",
        # no Kita place or flat "found" beside a child; a passport lost or expired (session 49)
        "kita yeri bulamıyoruz, kızım 3 yaşında, her yer dolu diyorlar",
        "ev bulamiyoruz 5 cocuk var kimse kiralamiyor",
        "جوازي ضاع بالباص ومعي بس الاقامة، كيف بطلع جواز جديد؟",
        "جوازي منتهي من سنة والسفارة غالية كتير، شو بعمل؟",
        # "كلها" (all of it) was a cue of a whole box of pills, with "كل" (every): the whole room, every month
        # (session 49, the matcher's ordinary questions)
        "الغرفة كلها رطوبة وابني صار يسعل، المؤجر ما بيرد",
        # blue hair is no blue lips, "or no point?" no hopelessness, "I'll die with these papers" a figure of speech
        # (session 49, rounds 140 and 143)
        "my daughter wants blue hair for the school party, is there a cheap hairdresser in Erkelenz?",
        "my phone was stolen at the station, should I go to the police or no point?",
        "ja tut sdohnu s etimi bumagami, pomogite s Antrag na Kindergeld",
        "я тут сдохну с этими бумагами, что писать в Antrag на Wohngeld?",
        # a job that kills morally, a pupil who wants to kill Putin, quieting the children (not a stroke), drowning in
        # bills, a child who bumped herself (session 50, rounds 146 and 149)
        "рік прибираю в офісах, це мене морально вбиває. де курси для медсестер?",
        "мій син на уроці сказав що хоче вбити путіна, вчителька налякана. що мені казати?",
        "этот офис меня морально убивает, где найти другую работу?",
        "الجارة بتشتكي من صوت ولادي، وأنا عم حاول سكتهم. شو بعمل؟",
        "drowning in bills since I lost my job, who helps with a payment plan?",
        "синок ударився ліктем об стіл, синець є. до лікаря треба?",
        "üst kattaki komşu sürekli sigara içiyor, duman bizim çocuk odasına giriyor. ne yapabilirim?",  # round 146
        "сын ударился коленом на площадке, какую мазь купить?",
        # session 51 (rounds 152 and 154): "our home is here" (folded "дім" reads as "дим", smoke), laundry dried in a
        # mouldy flat (not the bleach "Білизна"), living alone in a small flat, a father bedridden after a stroke, a
        # ceiling black with mould, a landlord knocking at the door, a child put under anaesthesia
        "тато не хоче їхати, каже тут наш дім",
        "грибок у ванній, бо сушимо білизну в квартирі. що робити?",
        "عمري ٧٠ وساكن لحالي بشقة صغيرة، ولادي برا، بدي مكان اقعد فيه مع ناس",
        "папа после инсульта лежачий, где найти сиделку?",
        "ev sahibi gelmiyor, banyo tavanı simsiyah oldu küften, kira indirimi?",
        "صاحبخونه هر روز میاد در میزنه میگه بچه‌ها زیاد سر و صدا میکنن. بچه‌هام ۵ و ۷ ساله‌ان. می‌تونه بیرونمون کنه؟",
        "دخترم را برای عملیات بیهوش میکنند، مادر میتونه بمونه؟",
        # session 51 (rounds 155-156): a boss who keeps asking for documents, what to do in case of fire (after a film),
        # an Egyptian couple's quarrel where nobody laid a hand on anyone
        "my boss keeps asking for more documents for the contract, which ones does he need?",
        "Вчера смотрели фильм, теперь дочь спрашивает, что делать при пожаре. Где есть такой курс для детей?",
        "اتخانقت انا وجوزي على الفلوس، محدش مد إيده على التاني، عايزين استشارة",
        # session 51 (rounds 158-159): the tax declaration "will kill me", a boy who dreams of putting out fires, a
        # strict father who has never hit (Dari)
        "эта Steuererklärung меня убьёт, кто помогает бесплатно?",
        "сын хочет в Jugendfeuerwehr, мечтает тушить пожары. с какого возраста берут?",
        "پدرم خیلی سخت‌گیر است ولی هیچ وقت مرا نزده. کلوپ جوانان برای دختران کجاست؟",
        # session 51 (rounds 161-162): "I am an old man" before a question, parents who quarrelled and nobody touched
        # anybody
        "السلام عليكم، انا رجل كبير بالعمر وما بعرف الماني، وين بجدد الاقامة؟",
        "родители поругались из-за отпуска, кричали, но никто никого не трогал. есть семейная консультация?",
        # a mild fever (Turkish "ateş" is fever and fire), "3 times 10 drops" on a box (session 52, rounds 164-165)
        "Oğlum 2 yaşında, akşam hafif ateş çıktı, gülüyor oynuyor. Kinderarzt yarın açık mı?",
        "روی قطی نوشته ۳ ضرب در ۱۰ قطره، یعنی چی؟",
        # session 54 (rounds 174-177): a boy who slams (يسكر, not سكر "sugar") the door, a smoke alarm that beeps
        # (بوق ... میزنه, not "he hits"), diabetes medicine running out, binge-watching; gas that does not smell, gas
        # that heats (beside the new rule of a gas smell with words inside)
        "اخوي الصغير بيسكر الباب بوجهنا وبيصرخ، عمره ١٣",
        "آلارم دود هی بوق کوتاه میزنه، فکر کنم باتریشه. خودم عوضش کنم؟",
        "annemin şeker ilacı bitti, doktora gitmem lazım",
        "we overdosed on netflix during the holidays, any library events for kids?",
        "газом не пахнет, просто плита щелкает, это нормально?",
        "у нас отопление газом, сколько платить",
        # session 55 (rounds 182-184): a child allowed to stay home alone, work that kills slowly (Arabic, Turkish), a
        # court case on domestic violence and the risk of forced marriage as topics, a strict father's curfew
        "Can a child legally stay home alone at 9 while I'm at work?",
        "ابوي ما بيخليني اطلع بعد المغرب حتى مع رفقاتي، هاد طبيعي بألمانيا؟",
        "شغل الليل بالمستودع الكبير عم يقتلني شوي شوي، في شغل تاني؟",
        "şef bağırıyor, bu mutfak beni yavaş yavaş öldürüyor. mola hakkım var mı?",
        "Mahkemede aile içi şiddet davasına tanık olarak çağrıldım, tercüman gelir mi?",
        "Zorla evlendirme riski hakkında okulda seminer var mı?",
        # session 56 (rounds 185-188): German "kills me" as a figure of speech in Persian and in Moroccan Arabizi; a gas
        # smell that is barely there after the repair
        "وای این زبان آلمانی منو کشت، هیچی نمیفهمم",
        "had lkhedma ghadi y9tlni, ta3bt bzaf",
        "der Techniker war da, jetzt riecht es kaum nach Gas. Ist das normal?",
        # shouting without violence, told outright (session 56, round 190)
        "Streit mit meinem Sohn jeden Tag, er brüllt, ich brüll zurück. Gewalt gibt es nicht. Gibt es Beratung?",
        # "by itself, if" is no self-harm; forcing the landlord to repair is no forced sex (session 56, rounds 193-195)
        "المكيف بيشتغل لحاله اذا برد الجو؟",
        "كيف اجبر صاحب البيت يصلح الشوفاج؟",
        "как заставить хозяина починить отопление?",
        # an office "killing me" is a figure of speech (session 57, round 202)
        "ugh the Anmeldung thing is killing me, they want yet another form",
        # a test, a contract, the utility bill "kill" (session 57, Rule 33)
        "цей тест мене вбиває, третій раз перездаю",
        "этот договор аренды меня убьёт, столько пунктов",
        "коммуналка опять меня убивает, 400 евро доплаты",
        # the wifi "kills", a fire alarm keeps going off, a washing line hangs (session 58, Rule 35)
        "das internet bringt mich um, schon wieder kein empfang",
        "этот вайфай меня убьёт, опять всё виснет",
        "the fire alarm in the prayer room at work keeps going off because someone burns incense, who do we talk to",
        "веревка для белья висит на балконе, можно ли там сушить зимой?",
        # a dose asked for a fever, a cold or a headache (session 58, Rule 36)
        "how much paracetamol syrup for my son with fever, he is 14 kilo",
        "كم مل من شراب الباراسيتامول لبنتي، حرارتها ٣٩ ووزنها ١٤ كيلو",
        # a leg cramp, laundry on the balcony (session 58, Rule 39)
        "meine Wade krampft seit gestern Abend, was hilft?",
        "посварились із сусідкою через білизну на балконі, куди скаржитись?",
        # a daily dose asked for an old parent's pain or cold (session 59, Rule 40)
        "normal dose ibuprofen for my grandmother with knee pain?",
        "babam icin gunde kac parol verebilirim, beli agriyor",
        "روزی چند تا استامینوفن برای مادرم که سرما خورده؟",
        # the foreigners' office "kills", a fever syrup's dose, a married couple's travel question (session 59, Rule 41)
        "bu auslanderbehorde beni oldurcek valla",
        "kizim 38 ates var kac ml parasetamol surup vereyim",
        "Wir sind verheiratet, darf mein Mann mit den Kindern allein fliegen?",
        # window locks asked ahead (session 59, Rule 43)
        "we need window locks, the kids room is on the 3rd floor, what to buy?",
        # nobody touches anybody, in Latin letters (session 59, Rule 44)
        "ssorimsya s sestroj, no nikto nikogo ne trogaet, prosto ustali",
        # leaving a job, a goodbye message to colleagues; light spotting in pregnancy (session 59, Rule 45)
        "isten ayriliyorum, is arkadaslarima veda mesaji yazacagim",
        "ich bin schwanger und habe eine leichte schmierblutung, ist das sehr schlimm?",
        # a grave reserved ahead (session 60, Rule 47)
        "we buried my father last year. now i want to reserve the grave next to him for me later, who do i ask?",
        # leaving for a new job (session 60, Rule 48)
        "how do i cancel my internet? i wont be here much longer, got a job in munich",
        # proverbs of love (session 60, Rule 49)
        "ask atesten gomlektir ne demek?",
        "любов не пожежа, а займеться то не погасиш, що це означає?",
    ],
)
def test_ordinary_messages_stay_ordinary(detector: CrisisDetector, text: str) -> None:
    assert detector.detect(text) is None


#: the most ordinary questions of the matcher's sets on which one line of crisis.yaml may make the rules alarm
MOST_ALARMS_OF_ONE_LINE = 12


def test_no_line_of_crisis_yaml_alarms_on_many_ordinary_questions_of_the_matcher_sets(
    detector: CrisisDetector, knowledge: KnowledgeBase
) -> None:
    """A reading that collides with an everyday word shows as one line alarming on many ordinary questions: Erkelenz
    in Arabic letters read as "ركل" (kick; two lines on 32 and 23 questions before 4e9ce40), "Baby" weighed like a sign
    of danger (19 before session 49). The matcher's labelled sets hold over 10,000 ordinary questions written blind;
    measured 2026-12-06 (session 49): no line makes the rules alarm (before the classifier is heard) on more than 11 of
    them. A line over the limit is a new collision, or a word too common for its weight. A collision on rarer words
    stays under it: Russian "был" read as "бил" (f3eaec1) did."""
    by_line: Counter[str] = Counter()
    asked = 0
    for labelled in MATCHER_SETS:
        for item in load_labelled(labelled.path):
            entry = knowledge.entries.get(item.expect or "")
            if entry is None or entry.crisis:
                continue
            asked += 1
            hit = detector.detect(item.question)
            if hit is not None:
                by_line[hit.rule.where] += 1
    assert asked >= 10_000
    assert [(line, n) for line, n in by_line.most_common() if n > MOST_ALARMS_OF_ONE_LINE] == []


def test_a_stabbing_told_from_a_chat_group_is_no_self_harm(detector: CrisisDetector) -> None:
    """"когось порізали" (someone was cut, stabbed) read as cutting oneself (session 49, round 143)."""
    hits = detector.detect_all("пишуть шо біля школи вчора когось порізали, це правда? дітям там безпечно?")
    assert "selfharm" not in {h.kind for h in hits}


def test_a_false_alarm_only_hides_the_signal_at_its_place(detector: CrisisDetector) -> None:
    hits = detector.detect_all("the rent is killing me and my husband hits me every night")
    assert {h.kind for h in hits} == {"violence"}
    assert all(h.span[0] >= 4 for h in hits)  # nothing from "the rent is killing me"


def test_no_faq_example_question_of_an_ordinary_entry_raises_the_alarm(knowledge: KnowledgeBase) -> None:
    """The checker's warning for editors (alarming_examples) holds for the shipped knowledge: none at all."""
    assert [str(p) for p in alarming_examples(knowledge)] == []


def test_no_in_scope_devset_question_of_an_ordinary_entry_raises_the_alarm(
    detector: CrisisDetector, knowledge: KnowledgeBase
) -> None:
    """The matcher's labelled questions (written blind, phone-style): asking about an ordinary topic is no
    emergency, even when it says 'fled from the war' or 'finish school'."""
    items = load_labelled(MATCHER_DEVSET)
    asked = [i.question for i in items if i.expect and not knowledge.entries[i.expect].crisis]
    assert len(asked) >= 700
    assert [q for q in asked if detector.detect(q) is not None] == []


# -- the floors on the dev set ---------------------------------------------------------------------------


def test_dev_set_floors(knowledge: KnowledgeBase) -> None:
    report = evaluate_crisis_file(knowledge, DEV, Matcher(knowledge))
    low = {lang: c.rate for lang, c in report.recall_by_language.items() if c.rate < 0.98}
    assert low == {}, report.misses
    assert len(report.recall_by_language) == 7
    assert report.alarms.total >= 300
    assert report.alarms.rate <= 0.02, report.false_alarms


def test_validation_set_floors(knowledge: KnowledgeBase) -> None:
    """Measured 2026-11-30: 97.5-100 % recall per language, no false alarm (the validation set was used to find
    missing families of signs, so the margin is wide)."""
    report = evaluate_crisis_file(knowledge, VALIDATION, Matcher(knowledge))
    low = {lang: c.rate for lang, c in report.recall_by_language.items() if c.rate < 0.95}
    assert low == {}, report.misses
    assert len(report.recall_by_language) == 7
    assert report.alarms.total >= 150
    assert report.alarms.rate <= 0.02, report.false_alarms


def test_validation_2_set_floors(knowledge: KnowledgeBase) -> None:
    """Measured untouched 2026-11-30: recall 82.0 % (74-89 % per language), 7.9 % of hard negatives alarmed.
    The families of signs it lacked were then added (reached: 100 % recall, no alarm), so these floors keep
    what was reached, minus a margin; they say nothing about unseen messages."""
    report = evaluate_crisis_file(knowledge, VALIDATION_2, Matcher(knowledge))
    low = {lang: c.rate for lang, c in report.recall_by_language.items() if c.rate < 0.94}
    assert low == {}, report.misses
    assert len(report.recall_by_language) == 7
    assert report.alarms_by_kind["hard-negative"].total >= 140
    assert report.alarms_by_kind["hard-negative"].rate <= 0.02, report.false_alarms
    assert report.alarms.rate <= 0.02, report.false_alarms


def test_cues_alone_catch_the_dev_set(knowledge: KnowledgeBase) -> None:
    """The weighted cues were not written from the dev set's wordings: alone they show how far the signals
    reach beyond the exact rules (measured: 85-100 % per language, 96 % in all, no false alarm)."""
    rules = knowledge.crisis_rules
    only_cues = CrisisRules((), rules.negatives, rules.languages, rules.cues)
    cues_only = dataclasses.replace(knowledge, crisis_rules=only_cues)
    report = evaluate_crisis(cues_only, load_crisis_examples(DEV))
    low = {lang: c.rate for lang, c in report.recall_by_language.items() if c.rate < 0.80}
    assert low == {}, report.misses
    assert report.recall.rate >= 0.92
    assert report.alarms.rate <= 0.01, report.false_alarms


def test_probe_messages_keep_working(knowledge: KnowledgeBase) -> None:
    """Keyword-free dangers and hard negatives written while building the cues, crisis2 and crisis3 rounds
    (measured after adapting: 99.4 % caught, 1.3 % alarmed; before adapting each round caught 42-72 %)."""
    report = evaluate_crisis_file(knowledge, PROBES)
    assert report.recall.rate >= 0.97, report.misses
    assert report.alarms.total >= 150
    assert report.alarms.rate <= 0.02, report.false_alarms


def test_eval_command_reports_the_validation_set(capsys: pytest.CaptureFixture[str]) -> None:
    assert ("validation", VALIDATION.resolve()) in [(name, path.resolve()) for name, path in CRISIS_SETS]
    assert ("validation 2", VALIDATION_2.resolve()) in [(name, path.resolve()) for name, path in CRISIS_SETS]
    quick = ["--lexical", "--no-classifier"]  # the report's shape; the figures are tested elsewhere
    assert main(["eval", "--knowledge", str(KNOWLEDGE), "--no-baseline", "--test", "", *quick]) == 0
    out = capsys.readouterr().out
    assert "== crisis validation: " in out
    assert "== crisis validation 2: " in out
    assert "== crisis dev: " in out
    for split in range(3, 7):  # the matcher's blind validation sets, each under its own heading
        assert f"== validation {split} (blind" in out


def test_eval_command_reports_crisis_figures(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "--knowledge", str(KNOWLEDGE), "--crisis", str(DEV)]) == 0
    out = capsys.readouterr().out
    assert "recall" in out
    assert "false alarms" in out
    assert "suicidal" in out
    assert "fa " in out


# -- editors' mistakes -----------------------------------------------------------------------------------


def _write_crisis(kb_dir: Path, text: str) -> None:
    (kb_dir / "crisis.yaml").write_text(text, encoding="utf-8")


def _detector(kb_dir: Path, text: str) -> CrisisDetector:
    """A detector on the test knowledge with `text` as its crisis.yaml."""
    _write_crisis(kb_dir, text)
    kb, _ = load_knowledge(kb_dir)
    return CrisisDetector(kb.crisis_rules)


def _errors(kb_dir: Path) -> list[str]:
    with pytest.raises(KnowledgeError) as info:
        load_knowledge(kb_dir)
    return [str(p) for p in info.value.problems if p.severity.value == "error"]


def test_checker_names_file_and_line_of_each_mistake(kb_dir: Path) -> None:
    _write_crisis(
        kb_dir,
        """languages:
  de:
    words:
      me: [ich, mich]
      hit: []
      partner: [mann, "a*b*c"]
      yes_no: [no]
    rules:
      - {kind: violence, all: [partner, hitt], within: 4}
      - {kind: violense, all: [me], within: 4}
      - {kind: violence, all: [me], within: 40}
      - "just text"
    phrases:
      suicide: []
  xx:
    words:
      a: [b]
""",
    )
    errors = _errors(kb_dir)
    expected = {
        5: "group 'hit' is empty",
        6: "at most one '*'",
        7: "put words like no, yes, on in quotes",
        9: "unknown word group 'hitt'",
        10: "kind 'violense' is not one of",
        11: "'within' must be a number of words from 1 to 12",
        12: "a rule must look like",
        14: "phrases for 'suicide' must be a non-empty list",
        15: "unknown language 'xx'",
    }
    for line, message in expected.items():
        assert any(e.startswith(f"crisis.yaml:{line}:") and message in e for e in errors), (line, errors)


def test_checker_command_rejects_a_broken_crisis_file(kb_dir: Path) -> None:
    _write_crisis(kb_dir, "languages:\n  de:\n    rules:\n      - {kind: suicide, all: [nobody]}\n")
    report = check_knowledge(kb_dir)
    assert report.errors
    assert str(report.errors[0]).startswith("crisis.yaml:4: de: unknown word group 'nobody'")


# -- the dialogue ----------------------------------------------------------------------------------------


async def test_crisis_reply_comes_first_in_the_message_language(real: CoreService) -> None:
    await real.dialogue.on_command(5, "start", "", "de")
    out = await real.dialogue.on_text(5, "زوجي بيضربني كل يوم وبيهددني بالسكين")
    first = plain(out.replies[0].text)
    assert first.startswith("إذا كنت")  # Arabic, although the person chose German
    assert "112" in first
    assert "110" in first
    assert "116 016" in first
    assert out.urgent
    assert out.replies[0].buttons[0][0].action == "human:urgent"


async def test_russian_in_latin_letters_gets_the_crisis_reply_in_russian(real: CoreService) -> None:
    """Typed on an English phone: the rules read it as Russian, and the reply is Russian, not English."""
    await real.dialogue.on_command(9, "start", "", "en")
    out = await real.dialogue.on_text(9, "pomogite muzh zaper menya v kvartire i zabral telefon mne strashno")
    assert out.urgent
    first = plain(out.replies[0].text)
    assert "112" in first
    assert "110" in first
    assert re.search("[а-я]", first)  # Cyrillic: the Russian crisis text


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("my husband locked me in the flat and took the keys", "violence"),
        ("mein mann hat mich eingesperrt", "violence"),
        ("муж запер меня в квартире", "violence"),
        ("чоловік замкнув мене вдома", "violence"),
        ("kocam beni eve kilitledi", "violence"),
        ("زوجي حابسني بالبيت", "violence"),
        ("شوهرم منو تو خونه حبس کرده", "violence"),
        ("my boss locked me in the warehouse, i have to work without money", "exploitation"),
        ("mein chef sperrt mich nachts ein und ich muss ohne lohn arbeiten", "exploitation"),
        ("хозяин запирает меня на складе, работаю без денег", "exploitation"),
        ("господар замикає мене на складі, працюю без грошей", "exploitation"),
        ("patron beni depoya kilitledi, parasiz calisiyorum", "exploitation"),
        ("صاحب الشغل حابسني بالمخزن وبشتغل بلا مصاري", "exploitation"),
        ("رئیسم منو تو انبار حبس کرده و باید مجانی کار کنم", "exploitation"),
        # a group locked in at a place of work names exploitation without a word for work ...
        ("the foreman locks us in the container every night", "exploitation"),
        ("der vorarbeiter schließt uns jede nacht in der baracke ein", "exploitation"),
        ("бригадир каждую ночь запирает нас в вагончике", "exploitation"),
        ("бригадир щоночі замикає нас у вагончику", "exploitation"),
        ("ustabasi her gece bizi konteynere kilitliyor", "exploitation"),
        ("المدير كل ليلة قافل علينا المستودع", "exploitation"),
        ("کارفرما هر شب ما را در کانتینر قفل میکنه", "exploitation"),
        # ... but one person locked in by a boss is not read as forced work (often sexual violence)
        ("the foreman locked me in the container", "violence"),
        ("бригадир запер меня в вагончике", "violence"),
        # folded, "сын" (son) is "син": a pattern "сын*" read "синяки", "синці" (bruises) and "синє" (blue) as a child
        ("у меня синяки по всему телу, муж бил", "violence"),
        ("у мене синці на шиї, чоловік душив", "violence"),
        ("все лице синє, чоловік вдарив", "violence"),
        ("муж бьет сына", "child"),
        ("чоловік б'є синочка", "child"),
        ("отчим бьет сыновей", "child"),
        # a partner who hits me names violence (116 016) also when the children are near; until 2026-12-04 "kids"
        # next to "hitting" read as a child in danger and the mother got only the children's helpline
        ("husband is hitting me right now, the kids are watching", "violence"),
        ("mein mann schlägt mich vor den kindern", "violence"),  # not "schlägt ... vor", to suggest
        ("муж бьет меня при детях", "violence"),
        ("чоловік б'є мене при дітях", "violence"),
        ("kocam beni cocuklarin onunde dovuyor", "violence"),
        ("شوهرم جلوی بچه ها منو میزنه", "violence"),
        ("my husband hits my son", "child"),
        ("kocam oglumu dovuyor", "child"),
        ("батьки хочуть насильно видати мене заміж", "forced_marriage"),
        # German "mich umbringen" is suicide after "ich" and a threat after someone else
        ("er will mich töten", "threat"),
        ("mein cousin droht mich umzubringen", "threat"),
        ("mein bruder sagt, er wird mich töten", "threat"),
        ("ich will mich umbringen", "suicide"),
        ("mein freund weiß nicht dass ich mich umbringen will", "suicide"),
        # a passport taken where a wedding is named is forced marriage (the text about it, 116 016), not forced work
        ("my parents took my passport, the wedding is next month in iraq", "forced_marriage"),
        ("mein vater hat meinen pass weggenommen, ich soll im sommer heiraten", "forced_marriage"),
        ("отец забрал паспорт, свадьба через месяц", "forced_marriage"),
        ("батько забрав паспорт, весілля через місяць", "forced_marriage"),
        ("babam pasaportumu aldi, yazin dugun var", "forced_marriage"),
        ("ابوي اخذ جوازي والعرس الصيف الجاي", "forced_marriage"),
        ("پدرم پاسپورتم را گرفته و عروسی ماه بعد است", "forced_marriage"),
        # ... and a passport taken by a boss stays exploitation
        ("my boss took my passport and keeps it", "exploitation"),
        ("mein chef hat meinen pass weggenommen", "exploitation"),
        ("хозяин забрал паспорт и не отдает", "exploitation"),
        ("patron pasaportumu aldi vermiyor", "exploitation"),
        ("صاحب الشغل اخذ جوازي", "exploitation"),
        ("کارفرما پاسپورتم را گرفته", "exploitation"),
        # weighted cues name the situation most of their signs in the window name, not the heaviest single sign:
        # a window or a balcony is one sign of a suicide, a small child alone with no adults three of a child
        ("a small girl, 2 years old, is sitting alone in the window on the third floor, no adults", "child"),
        ("komsunun 3 yasindaki cocugu balkonda tek basina, 4. kat, kimse kapiyi acmiyor", "child"),
        ("ein kleiner junge sitzt allein am offenen fenster im vierten stock, die eltern sind nicht da", "child"),
        # a lighter burning one's own hand is self-harm, sparks and smoke from a socket a fire
        ("каждый вечер жгу себе руку зажигалкой, сегодня волдыри и не могу остановиться", "selfharm"),
        ("prizden kivilcim ve siyah duman cikiyor, yanik kokusu var", "fire"),
        ("از پریز جرقه و دود سیاه میاد، بوی سوختگی میاد", "fire"),
        ("з розетки іскри і чорний дим, пахне горілим", "fire"),
        # one's own head against the wall is self-harm (the TelefonSeelsorge text), someone else's hand a blow
        ("when it gets too much i bang my head against the wall until it bleeds", "selfharm"),
        ("my husband banged my head against the wall and i am bleeding", "violence"),
        ("ich hau meinen kopf gegen die wand bis es blutet", "selfharm"),
        ("mein bruder schlägt seinen kopf gegen die wand und hört nicht auf", "selfharm"),
        ("er schlägt meinen kopf gegen die wand", "violence"),
        ("я бьюсь головой об стену и не могу остановиться", "selfharm"),
        ("он ударил меня головой об стену", "violence"),
        ("سرمو میکوبم به دیوار و نمیتونم بس کنم", "selfharm"),
        ("شوهرم سرمو به دیوار زد", "violence"),
        ("شوهرم سرمو میکوبه به دیوار", "violence"),
        # a child or a little brother or sister beaten (often with a belt) is a child in danger (116 111), not a
        # beating of the writer (116 016); a belt on the writer in front of the children stays violence
        ("mein onkel schlägt meine kleine schwester mit dem gürtel", "child"),
        ("der mann von meiner tante haut das baby, wenn es weint", "child"),
        ("my stepdad is beating my little brother with a belt right now", "child"),
        ("мама бьёт младшего брата ремнём", "child"),
        ("вітчим лупить мого братика ременем", "child"),
        ("babam kucuk kardesimi kemerle dovuyor", "child"),
        ("بابام داداش کوچیکمو با کمربند میزنه", "child"),
        ("ابوي يضرب اخوي الصغير بالحزام", "child"),
        ("جارنا عم يضرب ابنه", "child"),  # his son (ابنه): until 2026-12-04 the child group knew only "my son"
        ("my husband beats me with a belt in front of the kids", "violence"),
        ("mein mann schlägt mich mit dem gürtel vor den kindern", "violence"),
        ("kocam beni kemerle dovuyor, cocuklar goruyor", "violence"),
        ("муж бьёт меня ремнём при детях", "violence"),
        ("my big brother beats me with a belt", "violence"),
        ("جوزي بيضربني بالحزام قدام الولاد", "violence"),
        ("شوهرم جلوی بچه ها منو با کمربند میزنه", "violence"),
        # Arabic writes "hits me" as one word (يضربني): the partner who hits me names violence with children near,
        # as [partner, hit, me_obj] does in the other languages; until 2026-12-04 "الاطفال" next to it read as a child
        ("زوجي بيضربني هلق والاطفال عم يبكوا", "violence"),
        ("جوزي خنقني قدام العيال", "violence"),
        ("جوزي ضرب ابني", "child"),
        # a partner's hands on my neck is violence (116 016) also when breath or consciousness is named; until
        # 2026-12-04 "keine Luft" or "passed out" made it the medical text alone. Someone choking stays medical
        ("mein freund hat mich am hals gepackt, ich hab kaum luft bekommen", "violence"),
        ("my husband squeezed my neck until i passed out", "violence"),
        ("он сдавил мне горло, я чуть не потеряла сознание", "violence"),
        ("kocam bogazimi sikti nefes alamadim", "violence"),
        ("my son is choking, something is stuck in his throat and he cant breathe", "medical"),
        # someone else who cuts or burns herself, or hits his own head against the wall, behind a locked door too:
        # self-harm (until 2026-12-04 "she locked herself in" read as violence, or nothing named the kind)
        ("meine tochter 14 ritzt sich die arme und hat sich im bad eingeschlossen", "selfharm"),
        ("сестра опять режет себя, закрылась в ванной и не открывает", "selfharm"),
        ("доця закрилась у ванній і ріже собі руки, кров на плитці", "selfharm"),
        ("بنتي قافلة الباب عليها وعم تجرح حالها", "selfharm"),
        ("my 14yo has been burning herself and locked the door", "selfharm"),
        ("oda arkadasim yarim saattir kafasini duvara vuruyor, kan var", "selfharm"),
        ("ben kafami duvara vuruyorum duramiyorum", "selfharm"),
        ("kocam kafami duvara vurdu", "violence"),
        # German "mich töten": suicide after "ich", a threat after someone else (until 2026-12-04 the threat phrase
        # "will mich töten" read "ich will mich töten", nothing read "ich töte mich", and [me, kill] "er tötet mich")
        ("ich will mich töten", "suicide"),
        ("ich töte mich heute", "suicide"),
        ("ich bringe mich heute um", "suicide"),  # the threat [bring, um, me] read it (2026-12-04)
        ("er tötet mich heute, er weiß wo ich wohne", "threat"),
        ("die familie sagt sie werden mich töten wenn ich mich scheiden lasse", "threat"),
        # ... also where the partner is named far away or not at all (2026-12-04)
        ("mein mann hat mich gestern am hals gedrückt bis ich keine luft bekam", "violence"),
        ("dun beni yere yatirip bogazimi sikti nefes alamadim", "violence"),
        ("دیشب گلومو فشار داد و نفسم بند اومد", "violence"),
        ("bf choking me rn im in the toilet plz", "violence"),
        # the English ordinary context "bin" (a rubbish bin) switched off every rule up to 3 words from German "ich
        # bin": a girl of 16 whose passport her parents took before a wedding abroad read as forced work (until
        # 2026-12-04)
        (
            "meine eltern wollen mich im ausland verheiraten, ich bin 16, sie haben meinen pass weggenommen",
            "forced_marriage",
        ),
        ("он схватился за горло и упал, мне страшно", "medical"),
        # a husband or partner who locks her in or takes her phone or keys is violence (116 016); until 2026-12-04
        # the words for locking in and phones taken named the text about forced work. A boss or strangers on a farm
        # stay exploitation
        ("kocam beni eve kilitledi telefonumu aldi", "violence"),
        ("kocam kapiyi kilitledi telefonumu aldi, yine vuracak", "violence"),
        ("чоловік забрав телефон і ключі, не випускає з квартири", "violence"),
        ("муж забрал телефон и ключи, не выпускает меня из квартиры", "violence"),
        ("جوزي قفل علي الباب واخد التلفون", "violence"),
        ("زوجي حابسني في البيت وياخذ تلفوني", "violence"),
        ("my husband locked me in and took my phone", "violence"),
        ("mein mann hat mein handy weggenommen und mich eingesperrt", "violence"),
        ("شوهرم گوشیمو گرفته و منو تو خونه حبس کرده", "violence"),
        ("нас привезли на ферму, телефони забрали, виходити не можна", "exploitation"),
        ("patron telefonlarimizi aldi, bizi depoda kilitliyor", "exploitation"),
        ("the boss took our phones and keeps us locked in the warehouse", "exploitation"),
        ("хозяин забрал телефоны и запирает нас на складе", "exploitation"),
        # a worker beaten at work or by a foreman, and people sent to beg and beaten, need the text about forced
        # work (the police help), not the helpline for women (until 2026-12-04 [partner, hit] named violence)
        ("tarlada 15 kisiyiz ustabasi dovuyor evraklar onda", "exploitation"),
        ("на складе вчера избили парня который хотел уйти", "exploitation"),
        ("auf der baustelle schlägt uns der vorarbeiter wenn wir langsam sind", "exploitation"),
        ("two kids beg in front of the supermarket and a man beats them when they bring too little", "exploitation"),
        ("یه مرد بچه ها رو میاره جلوی ایستگاه گدایی کنن و اگه پول کم باشه کتکشون میزنه", "exploitation"),
        ("my husband hits me at home", "violence"),
        # a family that takes a girl's passport or does not let her out before a wedding: forced marriage (until
        # 2026-12-04 the words for a passport taken or a girl kept at home named forced work)
        ("my father says the wedding is arranged there and he keeps my passport", "forced_marriage"),
        ("батьки домовились віддати мене заміж, я сказала ні і мене не випускають", "forced_marriage"),
        ("родители хотят выдать меня замуж и не выпускают меня из дома", "forced_marriage"),
        # Russian and Ukrainian in Latin letters: "dokumenty" met the German ordinary-context word "doku*" (a
        # documentary), which switched off the violence rules nearby until 2026-12-05; the papers named forced work
        ("muzh zabral telefon i dokumenty, b'et kazhdyi den, seichas pishu s telefona sosedki", "violence"),
        ("cholovik zabrav moi dokumenty i telefon, zamknuv mene v kvartyri", "violence"),
        # ... and Turkish "mum" (a candle) switched off English rules near "my mum"
        ("my dad is hitting my mum right now in the kitchen", "violence"),
    ],
)
def test_the_first_kind_names_the_fitting_helpline(detector: CrisisDetector, text: str, kind: str) -> None:
    """The first kind picks the helpline: a person locked in by a partner or family needs 116 016, not the text
    about passports and forced work (until 2026-12-04 every "locked me in" read as exploitation), a girl whose parents
    took her passport before a wedding abroad not that text either, and a woman with bruises from her husband not
    the children's helpline."""
    assert detector.detect_all(text)[0].kind == kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("mein mann schlägt mich", "violence"),
        ("my husband beats me", "violence"),
        ("муж меня бьёт", "violence"),
        ("чоловік мене б'є", "violence"),
        ("kocam beni dövüyor", "violence"),
        ("جوزي بيضربني", "violence"),
        ("شوهرم منو میزنه", "violence"),
        ("er hat mich vergewaltigt", "sexual"),
        ("he raped me", "sexual"),
        ("он меня изнасиловал", "sexual"),
        ("він мене зґвалтував", "sexual"),
        ("bana tecavüz etti", "sexual"),
        ("اغتصبني", "sexual"),
        ("بهم تجاوز کرد", "sexual"),
        ("mein nachbar schlägt sein kind", "child"),
        ("the neighbour is beating his child", "child"),
        ("сосед бьёт своего ребёнка", "child"),
        ("сусід б'є свою дитину", "child"),
        ("komşu çocuğunu dövüyor", "child"),
        ("جارنا عم يضرب ابنه", "child"),
        ("همسایه بچه شو میزنه", "child"),
        ("mein sohn atmet nicht", "medical"),
        ("my baby is not breathing", "medical"),
        ("ребёнок не дышит", "medical"),
        ("дитина не дихає", "medical"),
        ("bebeğim nefes almıyor", "medical"),
        ("ابني ما عم يتنفس", "medical"),
        ("بچه ام نفس نمیکشه", "medical"),
        ("mein vater ist bewusstlos", "medical"),
        ("my father is unconscious", "medical"),
        ("папа без сознания", "medical"),
        ("тато без свідомості", "medical"),
        ("babam bayıldı uyanmıyor", "medical"),
        ("ابوي مغمى عليه", "medical"),
        ("پدرم بیهوش شده", "medical"),
        ("es brennt in unserer wohnung", "fire"),
        ("our flat is on fire", "fire"),
        ("у нас пожар в квартире", "fire"),
        ("у нас пожежа в квартирі", "fire"),
        ("evimiz yanıyor", "fire"),
        ("في حريق بالبيت", "fire"),
        ("خونه مون آتیش گرفته", "fire"),
        ("meine eltern wollen mich zwangsverheiraten", "forced_marriage"),
        ("my parents are forcing me to marry", "forced_marriage"),
        ("родители заставляют меня выйти замуж", "forced_marriage"),
        ("батьки змушують мене вийти заміж", "forced_marriage"),
        ("ailem beni zorla evlendirmek istiyor", "forced_marriage"),
        ("اهلي بدهم يجوزوني غصب عني", "forced_marriage"),
        ("خانواده ام میخوان به زور شوهرم بدن", "forced_marriage"),
        ("mein chef hat meinen pass weggenommen", "exploitation"),
        ("my boss took my passport", "exploitation"),
        ("работодатель забрал паспорт", "exploitation"),
        ("роботодавець забрав паспорт", "exploitation"),
        ("patron pasaportumu aldı", "exploitation"),
        ("صاحب الشغل اخد جوازي", "exploitation"),
        ("کارفرما پاسپورتمو گرفته", "exploitation"),
        ("ich ritze mich", "selfharm"),
        ("i cut myself", "selfharm"),
        ("я режу себя", "selfharm"),
        ("я ріжу себе", "selfharm"),
        ("kendimi kesiyorum", "selfharm"),
        ("بجرح حالي", "selfharm"),
        ("خودمو زخمی میکنم", "selfharm"),
        ("I want to kill myself", "suicide"),
        ("he will kill me", "threat"),
        ("я хочу убить себя", "suicide"),
        ("он убьёт меня", "threat"),
        ("я хочу вбити себе", "suicide"),
        ("він вб'є мене", "threat"),
        ("kendimi öldürmek istiyorum", "suicide"),
        ("kocam beni öldürmek istiyor", "threat"),
        ("بدي اقتل حالي", "suicide"),
        ("جوزي رح يقتلني", "threat"),
        ("میخوام خودمو بکشم", "suicide"),
        ("شوهرم منو میکشه", "threat"),
        ("ich will mich töten", "suicide"),
        ("mein mann bringt mich um", "threat"),
        # a second round: a knife at the door, a wife who hits, a seizure, chest pain, a child who swallowed pills
        # (the medical text), gas, a teacher's hands, pills taken "to die", an ex who follows and threatens
        ("er steht mit einem messer vor meiner tür", "threat"),
        ("he is outside my door with a knife", "threat"),
        ("он стоит у двери с ножом", "threat"),
        ("він стоїть під дверима з ножем", "threat"),
        ("kapımın önünde bıçakla bekliyor", "threat"),
        ("واقف قدام الباب ومعه سكين", "threat"),
        ("با چاقو پشت در خونه ایستاده", "threat"),
        ("meine frau schlägt mich", "violence"),
        ("my wife hits me", "violence"),
        ("жена меня бьёт", "violence"),
        ("дружина мене б'є", "violence"),
        ("karım beni dövüyor", "violence"),
        ("مرتي بتضربني", "violence"),
        ("زنم منو میزنه", "violence"),
        ("meine mutter hat einen krampfanfall", "medical"),
        ("my mother is having a seizure", "medical"),
        ("у мамы судороги, она не отвечает", "medical"),
        ("у мами судоми, вона не відповідає", "medical"),
        ("annem kriz geçiriyor, titriyor", "medical"),
        ("امي عم تتشنج", "medical"),
        ("مادرم تشنج کرده", "medical"),
        ("mein vater hat starke schmerzen in der brust", "medical"),
        ("my dad has strong chest pain", "medical"),
        ("у папы сильная боль в груди", "medical"),
        ("у тата сильний біль у грудях", "medical"),
        ("babamın göğsünde çok ağrı var", "medical"),
        ("ابوي عنده وجع قوي بصدره", "medical"),
        ("پدرم درد شدید قفسه سینه داره", "medical"),
        ("mein kind hat tabletten geschluckt", "medical"),
        ("my child swallowed pills", "medical"),
        ("ребёнок проглотил таблетки", "medical"),
        ("дитина проковтнула таблетки", "medical"),
        ("çocuğum ilaç yuttu", "medical"),
        ("ابني بلع حبوب", "medical"),
        ("بچه ام قرص خورده", "medical"),
        ("es riecht nach gas im treppenhaus", "fire"),
        ("it smells of gas in the stairwell", "fire"),
        ("в подъезде пахнет газом", "fire"),
        ("в під'їзді пахне газом", "fire"),
        ("merdivenlerde gaz kokusu var", "fire"),
        ("في ريحة غاز بالدرج", "fire"),
        ("تو راه پله بوی گاز میاد", "fire"),
        # choking on food and turning blue (session 47, round 128)
        ("сын подавился конфетой и синеет", "medical"),
        ("донька вдавилась горіхом і синіє", "medical"),
        ("بنتي غصت بحبة فستق ووجها عم يزرق", "medical"),
        ("mein lehrer hat mich angefasst", "sexual"),
        ("my teacher touched me", "sexual"),
        ("учитель меня трогал", "sexual"),
        ("вчитель мене чіпав", "sexual"),
        ("öğretmenim bana dokundu", "sexual"),
        ("الاستاذ لمسني", "sexual"),
        ("معلمم بهم دست زد", "sexual"),
        ("ich habe tabletten genommen um zu sterben", "suicide"),
        ("i took pills to die", "suicide"),
        ("я выпила таблетки чтобы умереть", "suicide"),
        ("я випила таблетки щоб померти", "suicide"),
        ("ölmek için hap içtim", "suicide"),
        ("شربت حبوب عشان اموت", "suicide"),
        ("قرص خوردم که بمیرم", "suicide"),
        ("mein ex verfolgt mich und droht mir", "threat"),
        ("my ex is following me and threatening me", "threat"),
        ("бывший преследует меня и угрожает", "threat"),
        ("колишній переслідує мене і погрожує", "threat"),
        ("eski kocam beni takip ediyor ve tehdit ediyor", "threat"),
        ("طليقي عم يلاحقني ويهددني", "threat"),
        ("شوهر سابقم دنبالم میکنه و تهدیدم میکنه", "threat"),
        # a weapon in someone else's hand stays a threat once [threat, me] needs a verb of threatening (session 41)
        ("er steht mit einem messer vor mir", "threat"),
        ("он стоит передо мной с ножом", "threat"),
        ("elinde bıçakla karşımda duruyor", "threat"),
        ("جوزي واقف قدامي ومعه سكين", "threat"),
        ("شوهرم با چاقو جلوی منه", "threat"),
        # the same words in danger still alarm (session 41)
        ("پسرم گم شده", "child"),
        ("i smell gas in the kitchen", "fire"),
        ("zwangsheirat, meine eltern zwingen mich", "forced_marriage"),
        ("طنابو به میله بستم", "suicide"),  # the rope tied (session 41)
        # a third round: a son who beats his old mother, a break-in right now, drowning, a fall from a balcony (the
        # child text), a stab wound (the medical text first), a friend raped, forced prostitution, children alone,
        # a nut allergy. Persian "بچه های همسایه دو روزه تنهان" (children alone for two days) still reaches no rule
        ("mein sohn schlägt mich, ich bin 70", "violence"),
        ("my son beats me, i am 70 years old", "violence"),
        ("сын меня бьёт, мне 70 лет", "violence"),
        ("син мене б'є, мені 70 років", "violence"),
        ("oğlum beni dövüyor, 70 yaşındayım", "violence"),
        ("ابني بيضربني وعمري ٧٠", "violence"),
        ("پسرم منو میزنه، ۷۰ سالمه", "violence"),
        ("jemand versucht gerade in unsere wohnung einzubrechen", "threat"),
        ("someone is breaking into our flat right now", "threat"),
        ("кто-то ломится к нам в квартиру прямо сейчас", "violence"),
        ("хтось ламає наші двері прямо зараз", "threat"),
        ("biri şu an kapımızı kırmaya çalışıyor", "violence"),
        ("في حدا عم يكسر باب بيتنا هلق", "violence"),
        ("یکی داره در خونمونو میشکنه", "threat"),
        ("ein kind ertrinkt im see", "medical"),
        ("a child is drowning in the lake", "medical"),
        ("ребёнок тонет в озере", "medical"),
        ("дитина тоне в озері", "medical"),
        ("gölde bir çocuk boğuluyor", "medical"),
        ("في ولد عم يغرق بالبحيرة", "medical"),
        ("یه بچه داره تو دریاچه غرق میشه", "medical"),
        ("mein sohn ist vom balkon gefallen und bewegt sich nicht", "child"),
        ("my son fell from the balcony and does not move", "child"),
        ("сын упал с балкона и не двигается", "child"),
        ("син впав з балкона і не рухається", "child"),
        ("oğlum balkondan düştü hareket etmiyor", "child"),
        ("ابني وقع من البلكون وما عم يتحرك", "child"),
        ("پسرم از بالکن افتاد و تکون نمیخوره", "child"),
        ("mein bruder wurde mit einem messer verletzt, er blutet stark", "medical"),
        ("my brother was stabbed and is bleeding a lot", "medical"),
        ("брата ударили ножом, сильно кровь идёт", "medical"),
        ("брата поранили ножем, сильно кровить", "medical"),
        ("abimi bıçakladılar, çok kanıyor", "medical"),
        ("اخوي انطعن بسكين وعم ينزف كتير", "medical"),
        ("برادرمو با چاقو زدن، خیلی خون میاد", "medical"),
        ("meine freundin wurde gestern vergewaltigt", "sexual"),
        ("my friend was raped last night", "sexual"),
        ("мою подругу вчера изнасиловали", "sexual"),
        ("мою подругу вчора зґвалтували", "sexual"),
        ("arkadaşıma dün tecavüz edildi", "sexual"),
        ("صاحبتي انغتصبت مبارح", "sexual"),
        ("دوستم دیشب بهش تجاوز شد", "sexual"),
        ("sie zwingen meine cousine, mit männern für geld zu schlafen", "exploitation"),
        ("they force my cousin to sleep with men for money", "exploitation"),
        ("мою сестру заставляют спать с мужчинами за деньги", "exploitation"),
        ("мою сестру змушують спати з чоловіками за гроші", "exploitation"),
        ("kuzenimi para için erkeklerle yatmaya zorluyorlar", "exploitation"),
        ("بيجبروا بنت خالتي تنام مع رجال مقابل مصاري", "exploitation"),
        ("دختر خالمو مجبور میکنن برای پول با مردا بخوابه", "exploitation"),
        ("die kinder der nachbarn sind seit zwei tagen allein", "child"),
        ("the neighbours kids are alone since two days", "child"),
        ("соседские дети одни уже два дня", "child"),
        ("сусідські діти самі вже два дні", "child"),
        ("komşunun çocukları iki gündür yalnız", "child"),
        ("ولاد الجيران لحالهن من يومين", "child"),
        ("meine tochter hat erdnüsse gegessen und bekommt keine luft", "medical"),
        ("my daughter ate peanuts and cannot breathe", "medical"),
        ("дочка съела орехи и не может дышать", "medical"),
        ("донька з'їла горіхи і не може дихати", "medical"),
        ("kızım fıstık yedi nefes alamıyor", "medical"),
        ("بنتي اكلت فستق وما عم تقدر تتنفس", "medical"),
        ("دخترم بادوم زمینی خورد نمیتونه نفس بکشه", "medical"),
        # a fourth round: a stroke, a friend on a bridge who wants to jump, a stranger who took a child, a coach's
        # hands on a daughter, heavy bleeding after a birth. Not yet: "der trainer fasst meine tochter an"
        ("meine oma kann plötzlich nicht mehr sprechen und ihr gesicht hängt", "medical"),
        ("my grandma suddenly cannot speak and her face is drooping", "medical"),
        ("бабушка вдруг не может говорить, лицо перекосило", "medical"),
        ("бабуся раптом не може говорити, обличчя перекосило", "medical"),
        ("babaannem birden konuşamıyor, yüzü kaydı", "medical"),
        ("ستي فجأة ما عم تقدر تحكي ووجها مايل", "medical"),
        ("مادربزرگم یهو نمیتونه حرف بزنه و صورتش کج شده", "medical"),
        ("mein freund steht auf der brücke und will springen", "suicide"),
        ("my friend is on the bridge and wants to jump", "suicide"),
        ("друг стоит на мосту и хочет прыгнуть", "suicide"),
        ("друг стоїть на мосту і хоче стрибнути", "suicide"),
        ("arkadaşım köprüde, atlamak istiyor", "suicide"),
        ("صاحبي واقف عالجسر وبدو ينط", "suicide"),
        ("دوستم رو پل وایساده و میخواد بپره", "suicide"),
        ("jemand hat mein kind aus der kita mitgenommen", "child"),
        ("a stranger took my child from the playground", "child"),
        ("незнакомый мужчина увёл моего ребёнка с площадки", "child"),
        ("незнайомець забрав мою дитину з майданчика", "child"),
        ("bir yabancı çocuğumu parktan aldı götürdü", "child"),
        ("واحد غريب اخد ابني من الحديقة", "child"),
        ("یه غریبه بچمو از پارک برد", "child"),
        ("the coach touches my daughter in a bad way", "sexual"),
        ("тренер чіпає мою доньку", "sexual"),
        ("المدرب عم يلمس بنتي", "sexual"),
        ("مربی به دخترم دست میزنه", "sexual"),
        # until 2026-12-05 the German ordinary-context word "doku*" (a documentary) switched off the Turkish rule
        ("antrenör kızıma dokunuyor", "sexual"),
        # a parent who took a child away to keep it: without permission, abroad, "you will never see her again"
        # (2026-12-05, crisis_train50: until then only the classifier caught these, with the general numbers)
        ("mein ex hat unser kind ohne erlaubnis von der kita abgeholt", "child"),
        ("my ex took my son from school without permission and says he flies to Turkey tonight", "child"),
        ("бывший муж забрал дочь и пишет что я её больше не увижу", "child"),
        ("колишній забрав сина з садка без дозволу і каже що вивезе в Україну", "child"),
        ("eski eşim kızımı okuldan aldı, Türkiye'ye kaçıracak", "child"),
        ("طليقي اخذ ابني من الروضة بدون علمي", "child"),
        ("شوهرم بچه رو برداشت برد گفت دیگه نمیبینیش", "child"),
        # forced marriage in words the lists lacked until 2026-12-05: Ukrainian "віддавати заміж" (folded "видавати"),
        # Iraqi "على عرسي" (about my wedding) beside a passport taken, Persian in Latin letters
        ("мене хочуть віддавати заміж за чужого", "forced_marriage"),
        ("ابوية سمعته يحجي على عرسي واخذ جوازي", "forced_marriage"),
        ("mikhan mano be zor shohar bedan komak konid", "forced_marriage"),
        ("nach der geburt blutet meine frau sehr stark", "medical"),
        ("after the birth my wife is bleeding very heavily", "medical"),
        ("после родов у жены сильное кровотечение", "medical"),
        ("після пологів у дружини сильна кровотеча", "medical"),
        ("doğumdan sonra karım çok kanıyor", "medical"),
        ("بعد الولادة مرتي عم تنزف كتير", "medical"),
        ("بعد از زایمان خانمم خیلی خونریزی داره", "medical"),
        # gas that smells and a passport kept still alarm beside session 42's ordinary contexts (no smell, a copy)
        ("es riecht nach gas im ganzen haus, die kinder schlafen", "fire"),
        ("es riecht nicht gut, überall rauch im flur", "fire"),  # "riecht nicht" alone is no ordinary context
        # bleeding that has not stopped still alarms beside session 44's onion and plaster
        ("ابني جرح راسه والدم ما وقف من ساعة، كتير دم", "medical"),
        # a knife in an angry man's hand still threatens beside session 43's cook, onion and shooting contexts
        ("my husband has a knife and says he will kill me tonight", "threat"),
        ("ich verbrenn mich jeden abend, heimlich", "selfharm"),  # spoken German (session 43)
        ("газом пахне в під'їзді, що робити", "fire"),
        ("mein chef hat meinen pass und gibt ihn nicht zurück, ich muss jeden tag 14 stunden arbeiten", "exploitation"),
        ("my boss keeps my passport and says I cannot leave", "exploitation"),
        # Russian past blows, now read by phrases with their object, not by 'бил' alone (session 48)
        ("он меня бил", "violence"),
        ("муж бил меня всю ночь, я у соседки", "violence"),
        ("отец бил маму, она плачет в ванной", "violence"),
        ("جوزي ركلني ببطني وانا حامل باركلنز", "violence"),  # a kick, also beside the town Erkelenz (session 48)
        # Finglish smoke, sparks and a smell of burning (session 48, round 137)
        ("khune por az dood shode, bacheha dakhel hastan", "fire"),
        ("az priz jaraqe zad, boo-ye sookhtegi miad", "fire"),
        ("otagh por az dood, nemitoonim birun berim", "fire"),
    ],
)
def test_the_plainest_sentences_name_their_kind(detector: CrisisDetector, text: str, kind: str) -> None:
    """One plain sentence per situation and language ("my husband beats me", "our flat is on fire"): the first
    kind picks the helpline. Written 2026-12-04 as a check after German "ich will mich töten" read as a threat;
    it found that, Arabic "his son" (ابنه), which the child group did not know, pills taken "to die" (English,
    Russian, Ukrainian), which named only the medical text, a break-in right now (de, en, uk, fa), forced
    prostitution (de, fa) and Persian "my son hits me", which read as a child beaten."""
    hits = detector.detect_all(text)
    assert hits, text
    assert hits[0].kind == kind


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        # cutting one's arms again, and the bleeding does not stop: the TelefonSeelsorge text first, the medical one
        # second (until 2026-12-04 only the medical one); a cut from a glass is an accident and stays medical
        ("опять порезала руки, кровь не останавливается", ["selfharm", "medical"]),
        ("знову порізала руки, кров не зупиняється", ["selfharm", "medical"]),
        # deeper than usual, or with a razor blade (2026-12-04; before, only the medical text)
        ("порізала руку глибше ніж завжди і кров не зупиняється", ["selfharm", "medical"]),
        ("порезалась глубже чем обычно и кровь не останавливается", ["selfharm", "medical"]),
        ("باز دستمه با تیغ بریدم و خون بند نمیشه", ["selfharm", "medical"]),
        ("i cut my arm with a razor blade and the bleeding wont stop", ["selfharm", "medical"]),
        ("донька порізала руку об скло, кров не зупиняється", ["medical"]),
        ("сын порезал руку стеклом, кровь не останавливается", ["medical"]),
    ],
)
def test_cutting_oneself_again_names_self_harm_and_the_bleeding(
    detector: CrisisDetector, text: str, kinds: list[str]
) -> None:
    assert [hit.kind for hit in detector.detect_all(text)] == kinds


@pytest.mark.parametrize(
    "text",
    [
        "شوهرم سرما خورده و منم گلوم گرفته، دکتر کجا برم",  # "گلوم گرفته": a sore throat, not hands on the neck
        "جوزي عنده ضغط وانا زوري بيوجعني",  # blood pressure (ضغط) and a sore throat
        "my husband has a sore throat, which doctor is open on saturday",
        "he grabbed my scarf from my neck, is that theft",  # hands on the neck name it within 6 words, not 7
        "where do i throw away old knives, which bin",  # "which bin" is still an ordinary context
    ],
)
def test_a_sore_throat_beside_a_partner_is_no_strangling(detector: CrisisDetector, text: str) -> None:
    """The strangling rules need a hand on the neck, close by: words for pressure, holding or the afternoon are left
    out."""
    assert detector.detect_all(text) == []


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        # a partner who locks someone in
        ("my husband locked me in the flat and took the keys", ["110", "116 016"], ["forces you to work"]),
        # a passport taken before a wedding
        (
            "my parents took my passport, the wedding is next month in iraq",
            ["116 016", "Nobody may force you to marry"],
            ["forces you to work"],
        ),
        # a mother beaten in front of her children
        ("husband is hitting me right now, the kids are watching", ["110", "116 016"], []),
        # a small child alone in an open window: the children's text, not the TelefonSeelsorge
        (
            "a small girl, 2 years old, is sitting alone in the window on the third floor, no adults",
            ["112", "116 111", "If a child is in danger right now"],
            ["0800 111 0 111"],
        ),
        # one's own head against the wall: the TelefonSeelsorge, not the helpline for women who suffer violence
        ("when it gets too much i bang my head against the wall until it bleeds", ["0800 111 0 111"], ["116 016"]),
        # a little brother beaten with a belt: the children's helpline, not the one for women who suffer violence
        ("my stepdad is beating my little brother with a belt right now", ["110", "116 111"], ["116 016"]),
    ],
)
async def test_the_first_reply_carries_the_fitting_helpline(
    real: CoreService, text: str, present: list[str], absent: list[str]
) -> None:
    """End to end, the dialogue's first reply, not only the detector's first kind."""
    out = await real.dialogue.on_text(12, text, "en")
    first = plain(out.replies[0].text)
    for wanted in present:
        assert wanted in first
    for unwanted in absent:
        assert unwanted not in first


async def test_suicidal_message_gets_the_crisis_line(real: CoreService) -> None:
    out = await real.dialogue.on_text(6, "i dont want to live anymore", "en")
    first = plain(out.replies[0].text)
    assert "112" in first
    assert "0800 111 0 111" in first
    assert "not alone" in first


async def test_second_net_puts_the_numbers_before_the_answer(real: CoreService) -> None:
    text = "wo finde ich psychologische hilfe bei depression"
    assert real.dialogue.crisis.detect(text) is None  # not a signal of crisis.yaml
    classifier = real.dialogue.classifier
    real.dialogue.classifier = None  # the second net on its own, as without the embedding package
    out = await real.dialogue.on_text(7, text, "de")
    assert out.urgent
    assert "112" in plain(out.replies[0].text)
    assert len(out.replies) > 1  # the answer still follows
    real.dialogue.classifier = classifier
    # with the classifier the second net needs some agreement (confirm_weak): a question about help for
    # depression gets the mental-health answer, which itself starts with 112, without the emergency block
    out = await real.dialogue.on_text(8, text, "de")
    assert not out.urgent
    assert "112" in plain(out.replies[0].text)
    school = "ich mache ein Schulprojekt über häusliche Gewalt in Deutschland und suche Statistiken, wo finde ich die"
    assert second_net(real.knowledge, real.dialogue.matcher.match(school)) is not None
    out = await real.dialogue.on_text(9, school, "de")
    assert not out.urgent
    # and the classifier's agreement lets it through
    weights = classifier.weights if classifier else None
    assert weights is not None
    assert second_net(real.knowledge, real.dialogue.matcher.match(school), probability=0.19, weights=weights) is None
    assert second_net(real.knowledge, real.dialogue.matcher.match(school), probability=0.2, weights=weights)


async def test_ordinary_question_keeps_its_answer(real: CoreService) -> None:
    out = await real.dialogue.on_text(8, "wie beantrage ich kindergeld", "de")
    assert not out.urgent
    assert "112" not in plain(out.replies[0].text)


async def test_handoff_after_a_crisis_is_urgent_and_first_in_line(real: CoreService, clock: FixedClock) -> None:
    await real.dialogue.on_button(20, "human", "de")  # an ordinary ticket waits already
    await real.dialogue.on_text(21, "mein mann schlägt mich", "de")
    await real.dialogue.on_button(21, "human:urgent")
    ticket = await real.tickets.open_for_user(21)
    assert ticket is not None
    assert ticket.urgent
    assert await real.tickets.position(ticket) == 1
    assert [t.user_id for t in await real.tickets.open_tickets()] == [21, 20]
    ordinary = await real.tickets.open_for_user(20)
    assert ordinary is not None
    assert not ordinary.urgent
    assert await real.tickets.position(ordinary) == 2


async def test_plain_handoff_soon_after_a_crisis_reply_is_urgent(real: CoreService) -> None:
    await real.dialogue.on_text(30, "ich will nicht mehr leben", "de")
    await real.dialogue.on_command(30, "human")
    ticket = await real.tickets.open_for_user(30)
    assert ticket is not None
    assert ticket.urgent


def test_urgent_mark_survives_the_replay_store() -> None:
    from bot.dialogue.replies import Outcome, outcome_from_json, outcome_to_json

    outcome = Outcome(urgent=True)
    outcome.say("112")
    assert outcome_from_json(outcome_to_json(outcome)).urgent
    assert not outcome_from_json('{"replies": [], "effects": []}').urgent  # stored before this field existed


def test_unused_word_group_is_a_warning_at_its_line(kb_dir: Path) -> None:
    _write_crisis(
        kb_dir,
        "languages:\n  de:\n    words:\n      me: [ich]\n      spare: [etwas]\n"
        "    rules:\n      - {kind: suicide, all: [me]}\n",
    )
    _, problems = load_knowledge(kb_dir)
    unused = [str(p) for p in problems if "not used" in p.message]
    assert unused == ["crisis.yaml:5: de: word group 'spare' is not used"]


def test_a_repeated_phrase_is_a_warning_at_its_line_and_counts_once(kb_dir: Path) -> None:
    """Spelling variants that read the same ("lässt" = "lasst" = "last") and copies from an earlier round."""
    _write_crisis(
        kb_dir,
        "languages:\n  de:\n    words:\n      me: [ich]\n    rules:\n      - {kind: suicide, all: [me]}\n"
        '    phrases:\n      threat: ["bringt mich um", "droht mir",\n               "bringt mich um"]\n'
        '      violence: ["bringt mich um"]\n'
        '    not:\n      - "die hitze"\n      - "lässt mich nicht"\n      - "lasst mich nicht"\n',
    )
    knowledge, problems = load_knowledge(kb_dir)
    repeated = [str(p) for p in problems if "already listed" in p.message]
    assert repeated == [
        "crisis.yaml:9: de: this phrase is already listed on line 8",
        "crisis.yaml:14: de: this phrase is already listed on line 13",
    ]
    assert all(p.severity is not Severity.ERROR for p in problems if p.file == "crisis.yaml")
    phrases = [r for r in knowledge.crisis_rules.rules if r.ordered and r.language == "de"]
    assert sorted(r.kind for r in phrases) == ["threat", "threat", "violence"]  # another kind is no repeat
    assert len(knowledge.crisis_rules.negatives) == 2


def test_a_repeat_in_past_or_asking_is_a_warning_at_its_line_and_counts_once(kb_dir: Path) -> None:
    """The same check as for 'phrases' and 'not' (a copy came in from a later round, 2026-12-02)."""
    _write_crisis(
        kb_dir,
        "languages:\n  en:\n    words:\n      me: [i]\n    rules:\n      - {kind: suicide, all: [me]}\n"
        '    past:\n      - "long time ago"\n      - "years ago"\n      - "Long  time ago"\n'
        '    asking:\n      - "what to do if"\n      - "what to do if"\n',
    )
    knowledge, problems = load_knowledge(kb_dir)
    repeated = [str(p) for p in problems if "already listed" in p.message]
    assert repeated == [
        "crisis.yaml:10: en: this phrase is already listed on line 8",
        "crisis.yaml:13: en: this phrase is already listed on line 12",
    ]
    assert len(knowledge.crisis_rules.past) == 2
    assert len(knowledge.crisis_rules.asking) == 1


def test_a_not_past_or_asking_phrase_in_two_blocks_is_a_warning_at_the_second_copy(kb_dir: Path) -> None:
    """Known false alarms, questions asked ahead and old stories count for messages of every language, so a copy in
    another block adds nothing (Russian and Ukrainian forms that fold alike, 2026-12-05). A positive phrase in two
    blocks is no such copy: its block names the reply's language for text in Latin letters."""
    _write_crisis(
        kb_dir,
        "languages:\n  uk:\n    words:\n      me: [мене]\n    rules:\n      - {kind: suicide, all: [me]}\n"
        '    phrases:\n      threat: ["вб\'ю тебе"]\n'
        '    not:\n      - "до смерті"\n    past:\n      - "давно було"\n'
        "  ru:\n    words:\n      me: [меня]\n    rules:\n      - {kind: suicide, all: [me]}\n"
        '    phrases:\n      threat: ["вб\'ю тебе"]\n'
        '    not:\n      - "до смерти"\n      - "до смерти рад"\n    past:\n      - "давно было"\n'
        '    asking:\n      - "где можно"\n',
    )
    _, problems = load_knowledge(kb_dir)
    across = [str(p) for p in problems if "also listed" in p.message]
    assert across == [
        "crisis.yaml:21: ru: this phrase is also listed in the uk block on line 10; "
        "'not' phrases count for messages of every language: one copy is enough"
    ]


def test_a_word_twice_in_a_group_is_a_warning_at_its_line_and_counts_once(kb_dir: Path) -> None:
    """Spellings that fold to one ("heiß" = "heiss") and plain copies; a star word is no copy of a whole word."""
    _write_crisis(
        kb_dir,
        "languages:\n  de:\n    words:\n      hot: [hitze, heiß,\n            heiss, schwül]\n"
        "      burden: [miete, amt, miete, amt*]\n      me: [mich]\n"
        "    rules:\n      - {kind: suicide, all: [hot, me]}\n    not:\n      - {all: [burden, me]}\n",
    )
    knowledge, problems = load_knowledge(kb_dir)
    assert [str(p) for p in problems if "one is enough" in p.message] == [
        "crisis.yaml:5: de: 'heiss' in group 'hot' reads the same as 'heiß': one is enough",
        "crisis.yaml:6: de: 'miete' in group 'burden' is listed twice: one is enough",
    ]
    assert all(p.severity is not Severity.ERROR for p in problems if p.file == "crisis.yaml")
    rule = next(r for r in knowledge.crisis_rules.rules if r.language == "de")
    assert [str(p) for p in rule.slots[0].patterns] == ["hitze", "heis", "schwul"]  # folded
    negative = next(r for r in knowledge.crisis_rules.negatives if r.language == "de")
    assert [str(p) for p in negative.slots[0].patterns] == ["miete", "amt", "amt*"]


def test_an_ordinary_context_that_reads_a_word_of_another_language_is_a_warning_at_its_line(kb_dir: Path) -> None:
    """German `doku*` (a documentary) switched off the Turkish rule on "dokunuyor" (he touches) until 2026-12-05: the
    checker names such a context once per group, and not a context of the rule's own language."""
    _write_crisis(
        kb_dir,
        "languages:\n  de:\n    words:\n      hit: [schlag*]\n      me: [mich]\n"
        "    rules:\n      - {kind: violence, all: [hit, me]}\n"
        "    cues:\n      - {weight: -4, words: [film,\n          doku*, schlagzeug]}\n"
        "  tr:\n    words:\n      touch: [dokunuyo*, dokundu*]\n      child: [kizim*]\n"
        "    rules:\n      - {kind: sexual, all: [touch, child]}\n",
    )
    detector = _detector(kb_dir, (kb_dir / "crisis.yaml").read_text(encoding="utf-8"))
    assert detector.detect_all("antrenor kizima dokunuyor") == []  # what the warning is about
    _, problems = load_knowledge(kb_dir)
    assert [str(p) for p in problems if "ordinary context" in p.message] == [
        "crisis.yaml:9: de: the ordinary context 'doku*' also reads 'dokunuyo' of the tr word group 'touch' (rule at "
        "line 16) and switches that rule off nearby: list the forms it means, or a phrase"
    ]
    assert all(p.severity is not Severity.ERROR for p in problems if p.file == "crisis.yaml")


def test_in_order_rule_needs_the_groups_in_the_given_order(kb_dir: Path) -> None:
    _write_crisis(
        kb_dir,
        "languages:\n  de:\n    words:\n      me: [mich]\n      kill: [toten]\n"
        "    rules:\n      - {kind: threat, all: [me, kill], within: 3, in_order: true}\n"
        "      - {kind: threat, all: [me], in_order: maybe}\n",
    )
    assert _errors(kb_dir) == ["crisis.yaml:8: de: 'in_order' must be true or false"]
    detector = _detector(
        kb_dir,
        "languages:\n  de:\n    words:\n      me: [mich]\n      kill: [toten]\n"
        "    rules:\n      - {kind: threat, all: [me, kill], within: 3, in_order: true}\n",
    )
    assert detector.detect("er will mich toten") is not None
    assert detector.detect("toten mich") is None


def test_a_sure_rule_marks_its_hit_and_a_more_specific_reading_of_the_same_words(kb_dir: Path) -> None:
    """`sure: true` must be true or false (file:line); a `not` has no such field. Where a more specific rule reads
    the same words, that one names the kind and carries the mark, so the alarm is not held back either way."""
    _write_crisis(
        kb_dir,
        "languages:\n  en:\n    words:\n      gulp: [swallowed]\n      object: [battery]\n"
        "    rules:\n      - {kind: medical, all: [gulp, object], sure: yes please}\n"
        "    not:\n      - {all: [object], sure: true}\n",
    )
    assert _errors(kb_dir) == [
        "crisis.yaml:7: en: 'sure' must be true or false",
        "crisis.yaml:9: en: unknown field 'sure' in a rule",
    ]
    detector = _detector(
        kb_dir,
        "languages:\n  en:\n    words:\n      gulp: [swallowed]\n      object: [battery]\n      child: [son]\n"
        "      pill: [pill]\n"
        "    rules:\n      - {kind: medical, all: [gulp, object], within: 4, sure: true}\n"
        "      - {kind: child, all: [child, gulp, object], within: 6}\n"
        "      - {kind: medical, all: [gulp, pill], within: 4}\n",
    )
    [alone] = detector.detect_all("the baby swallowed a battery")
    assert (alone.kind, alone.sure) == ("medical", True)
    [specific] = detector.detect_all("my son swallowed a battery")
    assert (specific.kind, specific.sure) == ("child", True)
    [ordinary] = detector.detect_all("he swallowed a pill")
    assert not ordinary.sure


def test_a_phrase_may_be_sure_and_its_fields_are_checked_with_file_and_line(kb_dir: Path) -> None:
    """`{phrase: ..., sure: true}` beside plain phrases: its hit is sure, a plain one is not; a wrong field, a
    missing 'phrase' or a 'sure' that is no yes/no is an error at its line."""
    _write_crisis(
        kb_dir,
        "languages:\n  ru:\n    phrases:\n      selfharm:\n"
        '        - {phrase: "режу руки", sure: maybe}\n'
        '        - {phrase: "режу вены", sure: true, kind: selfharm}\n'
        "        - {sure: true}\n",
    )
    assert _errors(kb_dir) == [
        "crisis.yaml:5: ru: 'sure' must be true or false",
        "crisis.yaml:6: ru: unknown field 'kind' in a phrase (write {phrase: \"...\", sure: true})",
        "crisis.yaml:7: ru: a phrase with fields needs 'phrase:' (write {phrase: \"...\", sure: true})",
    ]
    detector = _detector(
        kb_dir,
        "languages:\n  ru:\n    phrases:\n      selfharm:\n"
        '        - {phrase: "режу руки", sure: true}\n'
        '        - "режу себя"\n',
    )
    [sure] = detector.detect_all("я опять режу руки, где найти психолога")
    assert (sure.kind, sure.sure, sure.rule.where) == ("selfharm", True, "crisis.yaml:5")
    [plain] = detector.detect_all("я режу себя")
    assert (plain.kind, plain.sure) == ("selfharm", False)


def test_never_ordinary_words_are_sure_inside_a_long_question(detector: CrisisDetector) -> None:
    """crisis_train58 (2026-12-05 morning): the classifier heard questions about an Ausbildung, an asylum lawyer
    and a grandmother's blood pressure (p 0.01-0.33) and held these back; an ordinary word near them ("Druck"
    measured at the doctor's) no longer switches them off either."""
    for text, kind in (
        ("how to apply for Ausbildung? My family is forcing me to marry my cousin next month", "forced_marriage"),
        ("asylum rejected, lawyer? I stood by the track and wanted to step in front of the train", "suicide"),
        ("дочка 2 года наелась бабушкиных таблеток от давления", "medical"),
        # crisis_train59: farewell letters to everyone beside things given away, a dishwasher tablet eaten, burning
        # oneself with a lighter, parents who will marry me off and took my passport
        ("bisikletimi bağışlamak istiyorum, artık ihtiyacım olmayacak, herkese veda mektubu yazdım bile", "suicide"),
        ("віддати мій велосипед? Мені це вже не знадобиться, я вже всім написав прощальні листи", "suicide"),
        ("Oğlum az önce bulaşık makinesi tableti yedi, kusuyor ve ağlıyor", "medical"),
        ("is there a library where I can print? I burn my skin with lighter when I feel too much", "selfharm"),
        ("Meine Eltern wollen mich mit meinem Cousin verheiraten und haben meinen Pass genommen", "forced_marriage"),
        # crisis_train60: fresh lines on a boy's arm, with a razor; a grandmother with blue lips
        ("پسر همسایمون دیروز دیدم رو بازوش پر خطای تازه‌ست، با تیغ. مامانش آلمانی بلد نیست", "selfharm"),
        ("бабушка впала не дише нормально губи сині, ми в Хайнсберзі, який номер???", "medical"),
        # crisis_train66 (session 35): putting out cigarettes on one's own hand, in Finglish and in Persian script
        ("vaqti asabi misham sigaret ro ru dastam khamosh mikonam, kelas e zaban ke berim?", "selfharm"),
        ("وقتی عصبی میشم سیگار رو روی دستم خاموش میکنم، کلاس زبان کجاست؟", "selfharm"),
        # crisis_train74-75 (session 37): hitting or burning oneself asked as "is it normal" beside a psychologist;
        # a cousin forced on a girl (the classifier held all three back at p 0.008-0.036)
        ("нормально что я сама себя бью когда злюсь? и где психолог", "selfharm"),
        ("я знову себе припікаю сигаретою, де знайти психолога", "selfharm"),
        ("بابام مجبورم کرد با پسرخالم عقد کنم، کلاس زبان کی شروع میشه؟", "forced_marriage"),
    ):
        assert any(h.kind == kind and h.sure for h in detector.detect_all(text)), text
    # "مجبورم" alone is "I have to": documents for one's own wedding are no forced marriage
    assert not any(h.kind == "forced_marriage" for h in detector.detect_all("مجبورم برای عقد مدارک ترجمه کنم"))
    # not sure: a question about the law, and a stranger who stepped in front of a train (the rule needs the writer's
    # own intent)
    assert not any(h.sure for h in detector.detect_all("they can't force me to marry my cousin, right?"))
    late = "a man stepped in front of a train near Lindern, my train was 2 hours late, can I get money back?"
    assert not any(h.sure for h in detector.detect_all(late))
    # someone else who burns me is violence, not self-harm; a married couple whose passport an office took
    assert not any(h.sure for h in detector.detect_all("he burns my leg with cigarettes when he is drunk"))
    office = "Wir sind verheiratet und die Ausländerbehörde hat meinen Pass genommen, wann bekomme ich ihn zurück?"
    assert not any(h.sure for h in detector.detect_all(office))


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # crisis_train60 (2026-12-05 late morning). Turkish "cumartesi" (Saturday: forced work on a weekend is a labour
        # question) silenced "zorla ... nikah" until 'unless: [wedding]'
        ("Yeğenim 8 yaşında, geçen hafta babası sopayla dövmüş sırtı hâlâ mosmor", "violence"),
        ("Arkadaşımın ailesi cumartesi ona zorla imam nikahı kıydırıcak, kız istemiyo", "forced_marriage"),
        ("Kuzenim bir otelde çalışıyo ama patron pasaportunu almış 3 aydır para vermiyo", "exploitation"),
        ("вночі я знайшла мотузку в підвалі і записку простіть", "suicide"),
        # crisis_train63-64 (session 35): danger hinted, often told by someone else: sitting on the roof's edge, a
        # wedding with a man she does not want, "cleaning the honour", a belt as upbringing, a passport in the
        # employer's safe, who takes the pet and "forgive me", a girl married off to a much older man
        ("برادرم هر شب میره پشت بام لبه‌ش میشینه و پاهاشو آویزون میکنه", "suicide"),
        ("kardeşimi istemediği biriyle imam nikahı kıydırmak istiyorlar", "forced_marriage"),
        ("eniştem 'bu namusu temizleyeceğiz' dedi, korkuyorum", "threat"),
        ("учитель каже що тато вчить його ременем кожного вечора", "child"),
        ("роботодавець поклав мій паспорт у сейф і не віддає", "exploitation"),
        ("ключи у соседа, собаку пусть возьмёт Оля. простите меня", "suicide"),
        ("ولاد عمها بدهم ياخدوها ويجوزوها لواحد اكبر منها بكتير", "forced_marriage"),
        # crisis_train66: the neighbours' little one ("малий") alone in the flat, crying
        ("сусіди поїхали, їх малий сам у квартирі, чую як плаче", "child"),
        # crisis_train68: a gas smell in capitals, which the classifier hardly agreed with (p 0.17)
        ("MUTFAKTA GAZ KOKUSU VAR COK KOTU KOKUYOR", "fire"),
        # session 56 (rounds 185-188): gas smelt with words between "riecht" and "Gas"; "he will kill me" in Levantine
        # Arabizi, which weighted cues read and the classifier held back (p 0.099)
        ("in der ganzen Wohnung riecht es plötzlich stark nach Gas", "fire"),
        ("seit gestern riecht es nach Gas im Flur", "fire"),
        ("akhouha 7alaf ya2tolha w ya2tolni bukra", "threat"),
        # a plug sparking with a burnt smell, read by cues the classifier held back (session 56, round 195)
        ("sparks flying from the plug in the kitchen and it smells burnt", "fire"),
        # bleeding "extremely" (session 57, round 207), read by cues before
        ("mein Kumpel blutet extrem am Arm, die Maschine hat ihn erwischt", "medical"),
    ],
)
def test_a_rule_not_only_weighted_cues_reads_these(detector: CrisisDetector, text: str, kind: str) -> None:
    """Weighted cues met these, and cues need more of the classifier (confirm_weak) than a rule (confirm_rule) inside
    a long question, whose rest it hears as ordinary, so they were held back: a rule reads them now."""
    assert any(h.kind == kind and not h.by_cues for h in detector.detect_all(text)), text


def test_a_knife_at_the_neck_in_arabizi_adds_up(detector: CrisisDetector) -> None:
    """ "sekkine" (knife) alone weighs too little inside a long question; with "ra2abta" (her neck) it is a threat."""
    text = "w kamen khayye sar yekhod masari mn emme bel 2owe w 7at el sekkine 3a ra2abta, shu na3mel?"
    assert "threat" in {h.kind for h in detector.detect_all(text)}


def test_strangling_in_persian_is_sure_inside_a_long_question(detector: CrisisDetector) -> None:
    """ "He squeezed my throat" (Persian in Latin letters and in its script) is never ordinary: the classifier, which
    hears a question about a course, may not hold it back."""
    for text in (
        "salam, baraye kelase zaban koja sabtenam konam? shoharam dishab gelomo feshar dad, alan khabe",
        "سلام، برای کلاس زبان کجا ثبت نام کنم؟ شوهرم دیشب گلومو فشار داد، الان خوابه",
    ):
        assert any(h.kind == "violence" and h.sure for h in detector.detect_all(text)), text


def test_a_sure_copy_of_a_plain_phrase_keeps_its_mark_and_the_warning_says_so(kb_dir: Path) -> None:
    """An editor marks a phrase sure by adding it again further down: the one phrase counts as sure, and the
    warning says to keep a single copy (a silently lost mark would hold a clear alarm back in a long message)."""
    _write_crisis(
        kb_dir,
        "languages:\n  ru:\n    phrases:\n      selfharm:\n"
        '        - "режу руки"\n'
        '        - {phrase: "режу руки", sure: true}\n'
        '        - "режу руки"\n',
    )
    knowledge, problems = load_knowledge(kb_dir)
    assert [str(p) for p in problems if "already listed" in p.message] == [
        "crisis.yaml:6: ru: this phrase is already listed on line 5 (without 'sure'; it counts as sure now: "
        "keep one copy with 'sure: true')",
        "crisis.yaml:7: ru: this phrase is already listed on line 5",
    ]
    [phrase] = [r for r in knowledge.crisis_rules.rules if r.language == "ru"]
    assert (phrase.sure, phrase.line) == (True, 5)
    [hit] = CrisisDetector(knowledge.crisis_rules).detect_all("я опять режу руки, где найти психолога")
    assert hit.sure


def test_an_in_order_false_alarm_only_hides_its_own_order(kb_dir: Path) -> None:
    """ "Ich schlage vor" is a suggestion; "geschlagen ... vor den Kindern" stays a blow."""
    detector = _detector(
        kb_dir,
        "languages:\n  de:\n    words:\n      hit: [schlage, geschlagen]\n      vor: [vor]\n      me: [mich, ich]\n"
        "    rules:\n      - {kind: violence, all: [hit, me], within: 4}\n"
        "    not:\n      - {all: [hit, vor], within: 4, in_order: true}\n",
    )
    assert detector.detect("ich schlage vor") is None
    assert detector.detect("vor den augen hat er mich geschlagen") is not None


def test_a_false_alarm_with_unless_stands_aside_for_its_group(kb_dir: Path) -> None:
    """A course about violence is ordinary; "he hit me ... is the course free" is not."""
    detector = _detector(
        kb_dir,
        "languages:\n  en:\n    words:\n      violence: [violence, hit]\n      course: [course]\n"
        "      victim: [me]\n"
        "    rules:\n      - {kind: violence, all: [violence], within: 1}\n"
        "    not:\n      - {all: [course, violence], within: 8, unless: [victim]}\n",
    )
    assert detector.detect("a course on violence in families") is None
    assert detector.detect("he hit me again is the course free") is not None


# -- weighted cues ---------------------------------------------------------------------------------------

CUES = """languages:
  en:
    cues:
      - {kind: medical, weight: 4, words: [unconscious, "not breathing"]}
      - {kind: violence, weight: 3, words: [strangled]}
      - {kind: child, weight: 2, words: [balcony, window]}
      - {kind: child, weight: 2, words: [fell]}
      - {weight: 1, words: [he, me, help]}
      - {weight: -4, words: [course]}
    not:
      - "not breathing exercises"
"""


@pytest.fixture
def cue_detector(kb_dir: Path) -> CrisisDetector:
    return _detector(kb_dir, CUES)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("she is unconscious", "medical"),  # weight 4: a signal alone
        ("he strangled her", "violence"),  # weight 3 + a context word
        ("the baby fell from the balcony", "child"),  # two signs of different lines
        ("grandpa is not breathing", "medical"),  # a phrase as a cue
    ],
)
def test_cue_weights_add_up_to_a_signal(cue_detector: CrisisDetector, text: str, kind: str) -> None:
    hit = cue_detector.detect(text)
    assert hit is not None
    assert hit.kind == kind
    assert hit.by_cues
    assert hit.weight >= 4
    assert hit.rule.where.startswith("crisis.yaml:")


@pytest.mark.parametrize(
    "text",
    [
        "strangled",  # weight 3 without context
        "the balcony window",  # two words of the same line count once
        "help me he",  # context words add 1 however many
        "the balcony of the flat, and at the end of a long story somebody fell",  # more than 8 words apart
        "our first aid course about unconscious people",  # an ordinary context within 3 words
        "not breathing exercises for singers",  # a known false alarm in 'not'
    ],
)
def test_cues_below_the_threshold_stay_quiet(cue_detector: CrisisDetector, text: str) -> None:
    assert cue_detector.detect(text) is None


def test_a_cue_hit_carries_the_weight_it_added_up(cue_detector: CrisisDetector) -> None:
    """The net trusts many signs together more than one (bot/crisis/net.py STRONG_CUES)."""
    hit = cue_detector.detect("the baby fell from the balcony and is unconscious")
    assert hit is not None
    assert hit.weight == 2 + 2 + 4
    hit = cue_detector.detect("help me he strangled her")
    assert hit is not None
    assert hit.weight == 3 + 1


def test_a_cue_hit_carries_the_weight_of_its_strongest_window(cue_detector: CrisisDetector) -> None:
    """Many signs together stand like a rule even when a weaker group of signs came first in the message: the
    first window that met the threshold (3 + 1) used to name the weight, so the later 2 + 2 + 4 never counted."""
    text = "he strangled her yesterday and today after school my baby fell from the balcony and is unconscious"
    hit = cue_detector.detect(text)
    assert hit is not None
    assert hit.weight == 2 + 2 + 4
    assert hit.kind == "medical"


@pytest.mark.parametrize("order", [("uk", "ru"), ("ru", "uk")])
def test_of_two_languages_reading_the_same_words_the_heavier_cues_count(kb_dir: Path, order: tuple[str, str]) -> None:
    """Russian and Ukrainian share words: both sections' cues can fire on the same message. The heavier reading
    decides, whichever section comes first in crisis.yaml: a lighter one found first once hid a Russian message's
    8 points (a socket on fire inside a question about repairs) behind 6, below STRONG_CUES."""
    sections = {
        "uk": "      - {kind: fire, weight: 4, words: [горит]}\n",
        "ru": "      - {kind: fire, weight: 4, words: [горит]}\n      - {kind: fire, weight: 4, words: [искрила]}\n",
    }
    text = "languages:\n" + "".join(f"  {lang}:\n    cues:\n{sections[lang]}" for lang in order)
    hit = _detector(kb_dir, text).detect("горит розетка, раньше искрила")
    assert hit is not None
    assert hit.language == "ru"
    assert hit.weight == 8


def test_of_a_rule_and_cues_on_the_same_words_the_rule_counts(kb_dir: Path) -> None:
    """A rule stands against the classifier more easily than cues (bot/crisis/net.py): however heavy the cues on the
    same words, the rule's reading is the one kept."""
    text = """languages:
  en:
    phrases:
      violence: ["beaten"]
    cues:
      - {kind: violence, weight: 4, words: [beaten]}
      - {kind: violence, weight: 4, words: [again]}
"""
    hit = _detector(kb_dir, text).detect("beaten again")
    assert hit is not None
    assert not hit.by_cues


def test_ordinary_context_only_switches_off_cues_near_it(cue_detector: CrisisDetector) -> None:
    text = "i wanted to ask about the german course but now my friend is unconscious"
    assert cue_detector.detect(text) is not None


def test_checker_names_file_and_line_of_each_cue_mistake(kb_dir: Path) -> None:
    _write_crisis(
        kb_dir,
        """languages:
  en:
    cues:
      - {kind: medical, weight: 5, words: [unconscious]}
      - {kind: medicl, weight: 2, words: [blood]}
      - {kind: medical, weight: 2}
      - {kind: medical, weight: 2, words: [blood], all: [x]}
      - "just text"
      - {weight: 0, words: [he]}
""",
    )
    errors = _errors(kb_dir)
    expected = {
        4: "'weight' must be a whole number from 1 to 4",
        5: "kind 'medicl' is not one of",
        6: "a cue needs 'words: [...]'",
        7: "unknown field 'all' in a cue",
        8: "a cue must look like",
        9: "'weight' must be a whole number",
    }
    for line, message in expected.items():
        assert any(e.startswith(f"crisis.yaml:{line}:") and message in e for e in errors), (line, errors)


def test_the_article_alif_is_no_person_prefix() -> None:
    assert "لمستشفي" not in forms(fold_words("بالمستشفى")[0])  # else "hospital" would read as "touch"


def test_ordinary_context_also_switches_off_rules_near_it(kb_dir: Path) -> None:
    detector = _detector(
        kb_dir,
        "languages:\n  en:\n    words:\n      burn: [fire]\n    rules:\n      - {kind: fire, all: [burn], within: 1}\n"
        "    cues:\n      - {weight: -4, words: [barbecue]}\n",
    )
    assert detector.detect("may we make a fire for a barbecue") is None
    assert detector.detect("fire in the kitchen, and tomorrow we wanted to have a barbecue") is not None


def test_an_ordinary_context_does_not_reach_past_a_question_mark(kb_dir: Path) -> None:
    """"language course where? brother threatens to kill": the course is asked about in a sentence of its own. A
    period or a comma does not end the reach (measured in session 58: that cost more false alarms than it saved)."""
    detector = _detector(
        kb_dir,
        "languages:\n  en:\n    words:\n      burn: [fire]\n    rules:\n      - {kind: fire, all: [burn], within: 1}\n"
        "    cues:\n      - {kind: medical, weight: 4, words: [unconscious]}\n"
        "      - {weight: -4, words: [barbecue]}\n",
    )
    assert detector.detect("barbecue where? fire in the hall") is not None
    assert detector.detect("barbecue where؟ fire in the hall") is not None  # the Arabic question mark
    assert detector.detect("barbecue where, fire in the hall") is None
    assert detector.detect("barbecue where. fire in the hall") is None
    assert detector.detect("barbecue? he is unconscious") is not None  # cues as well as rules
    assert detector.detect("barbecue, he is unconscious") is None
    assert detector.detect("fire for a barbecue?") is None  # a context before its question mark still reaches back


def test_question_ends_are_the_words_before_each_question_mark() -> None:
    assert question_ends("мовні курси де? брат погрожує вбити") == (2,)
    assert question_ends("wo? wann? jetzt") == (0, 1)
    assert question_ends("شلون؟ اخوي") == (0,)
    assert question_ends("??? hallo") == ()
    assert question_ends("no question here") == ()


# -- questions about procedures, long messages -----------------------------------------------------------

ASKING = """languages:
  en:
    cues:
      - {kind: medical, weight: 4, words: [unconscious]}
      - {kind: threat, weight: 3, words: [gun, shooting]}
      - {kind: violence, weight: 3, words: [strangled]}
      - {kind: violence, weight: 2, words: [bruises]}
      - {weight: 1, words: [he, me, my]}
    asking: ["where can", "is it allowed"]
"""


@pytest.fixture
def asking_detector(kb_dir: Path) -> CrisisDetector:
    return _detector(kb_dir, ASKING)


def test_a_question_about_a_procedure_needs_one_more_point(asking_detector: CrisisDetector) -> None:
    assert asking_detector.detect("my neighbour has a gun") is not None  # 3 + context
    assert asking_detector.detect("is it allowed to keep a gun in my flat") is None  # the same, asked
    assert asking_detector.detect("where can i go, my friend is unconscious") is not None  # a strong sign
    assert asking_detector.detect("where can i go, he has a gun and i have bruises") is not None  # 3 + 2


def test_a_strong_sign_meets_another_sign_further_away_in_long_messages(asking_detector: CrisisDetector) -> None:
    far = "he strangled me last night when the children were asleep in the other room and now i have bruises"
    assert asking_detector.detect(far) is not None  # 3 and 2, 17 words apart: the long window
    only_context = "strangled was the word in the book we read at school last week with my class"
    assert asking_detector.detect(only_context) is None  # a context word further away does not count


def test_checker_names_the_line_of_a_broken_asking_list(kb_dir: Path) -> None:
    _write_crisis(kb_dir, "languages:\n  en:\n    cues:\n      - {weight: 1, words: [me]}\n    asking: where can\n")
    errors = _errors(kb_dir)
    assert any(e.startswith("crisis.yaml:5:") and "'asking' must be a list" in e for e in errors), errors


def test_a_time_long_past_marks_every_hit_of_the_message(kb_dir: Path) -> None:
    detector = _detector(
        kb_dir,
        "languages:\n  en:\n    words:\n      hit: [hit, beat]\n      me: [me]\n    rules:\n"
        "      - {kind: violence, all: [hit, me], within: 3}\n"
        '    past: ["years ago", "as a child"]\n',
    )
    old = detector.detect("my father beat me as a child, can i get therapy paid by the insurance")
    assert old is not None
    assert old.in_past
    now = detector.detect("he beat me again tonight")
    assert now is not None
    assert not now.in_past


@pytest.mark.parametrize(
    "text",
    [
        "قبل عشر سنين بيتنا بالموصل انقصف واحترقت كل اوراقي وشهادتي. هسة اريد اعادل شهادة الهندسة",  # round 42
        "تو اخبار دیدم یه کمپ پناهنده تو یه شهر دیگه آتیش گرفت، ایمنی آتش سوزی تو هایم ما چطوره؟",
        # words that say the person is well again (2026-12-04; before, every one of these alarmed as now)
        "Mein Vater hatte einen Schlaganfall, jetzt ist er wieder zu Hause. Wer hilft beim Pflegegrad?",
        "my son had a seizure at school but he is fine now, does the school need a letter from the doctor",
        "у мамы был инфаркт, её уже выписали, как оформить реабилитацию?",
        "дідусь знепритомнів у магазині, зараз вже вдома, чи платимо ми за швидку?",
        "ابوي صارله جلطة وطلع من المستشفى، كيف نقدم على الريها؟",
        "مادرم سکته کرد ولی الان خوبه، برای توانبخشی کجا برم؟",
        # divorced, or "used to": the violence told is over (2026-12-04; before, every one of these alarmed as now)
        "mein ex hat mich geschlagen, aber wir sind geschieden und er wohnt weit weg. wie ändere ich den namen?",
        "my ex used to hit me, we divorced years back. do i need his signature for the passport of my son",
        "طليقي كان يضربني بس هلق انا مطلقة وعايشة مع ولادي، كيف غير اسم العيلة؟",
        "бывший муж меня бил, но мы развелись, он в другой стране. как вернуть девичью фамилию?",
        "колишній чоловік бив мене, ми розлучились і він далеко. як змінити прізвище дитині?",
        "колись колишній мене бив, ми давно розлучені. чи потрібна його згода на паспорт дитині?",  # 2026-12-05
        "бывший муж бил меня, мы давно разведены. нужно ли его согласие на паспорт ребёнку?",
        "eski eşim beni dövüyordu, boşandık, o başka şehirde. soyadımı nasıl değiştiririm?",
        "شوهر سابقم منو میزد ولی جدا شدیم و اون ایرانه. فامیلی بچه ها رو چطوری عوض کنم؟",
        # an injury that is over ("şimdi iyiyim": I am fine now), a story told with "قبلا" (previously) (2026-12-05)
        "Tarlada çalışırken elimi orakla kestim, dikiş attılar, şimdi iyiyim. Krankmeldung kaç gün içinde verilir?",
        "دوستم قبلا در ترکیه صاحب کارش پاسپورتش رو گرفته بود، الان اینجا کار قانونی میخواد",
        # ten years ago and long over; "çok eskide kaldı" (long left behind) (2026-12-05, session 35)
        "Vor 10 Jahren hat mich mein Onkel geschlagen, das ist lange vorbei. Brauche ich das für die Anhörung?",
        "babamı askerler dövmüştü ama bunlar çok eskide kaldı, şimdi vatandaşlık başvurusu yapıyorum",
        # a teacher or social worker who asks ahead for a case that has not happened (2026-12-05, session 38;
        # before, the first three alarmed without asking the classifier; Ukrainian "наперед" also marked a
        # crisis message of a held-out set and was taken out again)
        "Ich bin Lehrer und will im Voraus wissen, wen ich anrufe, wenn ein Kind sagt, es wird zu Hause geschlagen.",
        "я соцработник, хочу заранее знать, куда звонить, если ребёнка бьют дома",
        "öğretmenim, genel bilgi istiyorum: bir öğrenci babası onu dövüyor derse kime bildiririm?",
        # a nurse or carer asks the procedure for an exam or course (session 42; before, each of these alarmed
        # without asking the classifier)
        "I am a nurse, what is the procedure when a patient says he wants to kill himself? I ask for my exam",
        "Ich bin Pflegehelferin, wie ist das Verfahren, wenn ein Bewohner bewusstlos ist? Ich frage für die Prüfung",
        "я медсестра, яка процедура, якщо пацієнт каже що хоче вбити себе? питаю для іспиту",
        "я медсестра, какая процедура, если пациент говорит что хочет убить себя? спрашиваю для экзамена",
        "hemşireyim, hasta kendimi öldüreceğim derse prosedür nedir? sınav için soruyorum",
        "من پرستارم، اگه یه بیمار بیهوش بشه اولین کار چیه؟ برای امتحان میپرسم",
        # a talk for the course, a carer asking what to do when a resident says it, a film, a father discharged
        # after a heart attack (session 43; before, each of these alarmed without asking the classifier)
        "Wir sollen im Kurs ein Referat halten: was tun, wenn eine Frau von ihrem Mann geschlagen wird?",
        "Ich arbeite in der Pflege. Was mache ich, wenn ein Bewohner sagt, er will nicht mehr leben?",
        "امبارح شفت فيلم حزين كتير عن ست مسكينة جوزها كل يوم بيضربها، في منه نسخة بالألماني؟",
        "بابام سکته کرده بود ولی الان مرخص شده، فیزیوتراپی رو کی پرداخت میکنه؟",
        "بچگی پدرم خیلی کتکم میزد، حالا خودم پدرم. کلاس تربیت فرزند کجاست؟",  # childhood (session 43)
        # a childhood, a fire everyone survived, a course on the duty to report (session 44)
        "коли я була мала, батько бив маму. Це було давно. Де знайти психолога?",
        "من چنت صغير ابوي يضربني، هسه عايش بألمانيا. وين الاقي معالج نفسي؟",
        "в чате пишут, что в общежитии был пожар, все живы. Куда отнести вещи?",
        "Frage für eine Fortbildung: Wann gilt die Meldepflicht, wenn ein Kind blaue Flecken hat?",
        # staff who ask for a flyer, a training day or their files, not for a particular case (session 44)
        "انا بشتغل بسكن لاجئين، بدي أرقام Frauenhaus للملف، مش لحالة معينة",
        "social worker here, i need the number for forced marriage help to print on a flyer",
        "training day at school next week: when a student says he wants to kill himself, who do we call?",
        # staff writing a guideline, an old beating told for a form, a film for homework (session 45)
        "our internal guideline: if a resident tells us about violence at home, who do we inform? no current case",
        "The form asks if I was ever beaten. It was in a camp in 2016, I am safe here for years now. What do I write?",
        "teacher said a woman whose husband hits her can go to a Frauenhaus. how many are there? for my homework",
        # a film seen together (session 46)
        "dun aksam bi film izledik adam kiz kardesini zorla evlendiriyodu, kizim sordu almanyada yasak mi",
        # a pan fire put out, nobody was hurt (session 47, round 126; `well:` until session 48: a danger that is over)
        "у нас на кухні загорілась сковорода, ми загасили, ніхто не постраждав. хто платить за ремонт?",
        "на кухне загорелась сковородка, потушили, никто не пострадал. надо сообщать хозяину?",
        "the pan caught fire yesterday, we put it out, nobody was hurt. does the Haftpflicht pay for the wall?",
        "tavada yag alev aldi, kapakla sondurduk, kimse yaralanmadi. ev sahibine soylemem lazim mi?",
        # a teenager's thoughts told for a job exam, a film watched with the kids, a shelter's protection plan
        # (session 46, rounds 116-119)
        "When I was teenager I had bad thoughts about suicide, now I am married and working. Must I tell the exam?",
        "watched movie about kidnapping with my kids, now my daughter is scared to walk to school alone",
        "Wie läuft das Verfahren bei Kindeswohlgefährdung, wen ruft man an? Allgemeine Frage für unser Schutzkonzept",
        # a fire that went out at once, bleeding that stopped (session 49, round 140; before, each was a plain hit)
        "Der Toaster hat kurz Feuer gefangen, war gleich aus. Wohin bringe ich das kaputte Gerät?",
        "Mein Sohn hat sich am Messer geschnitten, blutet nicht mehr. Braucht er eine Tetanusimpfung?",
        "the oven caught fire for a second and it went out by itself. who repairs it, me or the landlord?",
        "my son cut his hand on glass, bleeding has stopped, plaster on. does he need a tetanus shot?",
        "زيت المقلاية ولع وطفيتها بسرعة، الحيطة صارت سودا. مين بيدهنها؟",
        "плита загорілась на секунду, я загасила, стіна чорна. хто платить за ремонт?",
        "загорелась духовка, я сразу потушила. кто чинит плиту, хозяин или я?",
        "روغن تو ماهیتابه آتیش گرفت ولی زود خاموش شد. دیوار سیاه شده، کی رنگش میکنه؟",
        # a year gone by, "в 2018", "у 2019" (session 54, round 174)
        "бывший муж бил меня в 2018 году, теперь живу одна с детьми. как получить пособие?",
        "у 2019 році вітчим мене бив, тому я живу окремо. допомога на житло?",
        # a first-aid course, asked ahead (session 56, round 187)
        "تو کورس کمک‌های اولیه پرسیدم اگر کسی نفس نکشد چه کنیم، جواب درست چیه؟",
        # no blows, told outright; much better now (session 56, round 190 and choose set 5)
        "kocamla her gün bağırışıyoruz ama dayak yok, evlilik danışmanı var mı?",
        "я довго не хотіла жити після війни, зараз набагато краще, шукаю групу підтримки",
        # no gas after all; a question asked to be prepared (session 56, rounds 195-196)
        "کسی که از شرکت اومد گفت بوی گاز نیست، از فاضلابه. کی پولشو میده؟",
        "what do I do if a child stops breathing at the Kita? I just want to be prepared",
        # "nothing happened", said outright (session 57, Rule 30)
        "which number do I call for an ambulance here? nothing happened, I just want to write it down",
        "سؤال بس، ما صار شي: شو رقم الاسعاف بألمانيا؟ بدي اكتبه عالبراد",
        "wie ist die Nummer vom Krankenwagen? Es ist nichts passiert, ich will sie nur aufschreiben",
        "ambulans numarasi kac? bir sey olmadi, sadece not almak istiyorum",
        "شماره آمبولانس چنده؟ اتفاقی نیفتاده، فقط میخوام یادداشت کنم",
        # healed (session 57, Rule 31)
        "my son cut his hand badly on glass in summer, it has healed, does the scar need a dermatologist?",
        # as a teenager (session 57, Rule 32)
        "в подростковом возрасте резала себя, можно ли сейчас убрать шрамы лазером?",
        # formerly; now I am safe; nobody touched anyone (session 58, Rule 35)
        "раньше резала себя, сейчас всё иначе, где найти группу поддержки?",
        "my ex husband beat me for years, now im safe and divorced, how do I change my name back?",
        "Mein Mann hat im Streit auf den Tisch geschlagen, keiner hat jemanden angefasst. Gibt es Paarberatung?",
        # a hangover, self-harm denied, no blows, asked ahead, a film watched (session 58, Rule 37)
        "Nach der Feier so verkatert, darf ich Ibuprofen mit Alkohol im Blut nehmen?",
        "حزين كتير بعد الفراق، ما بفكر اذي حالي، بس بدي حدا احكي معه",
        "انا وجوزي اتخانقنا زعيق جامد بس من غير ضرب، في استشارة زوجية؟",
        "یه فیلم دیدم که خونه آتیش گرفت، حالا بچه‌ام میترسه. مشاور هست؟",
        # nothing burning, a documentary watched (session 58, Rule 39)
        "Rauchmelder piept die ganze Nacht, es brennt nix, wer wechselt die Batterie?",
        "یه مستند دیدم درباره قاچاق انسان، خیلی ناراحت شدم. کجا میشه داوطلب شد؟",
        # last winter and nobody was hurt; nobody hit him (session 59, Rule 40)
        "gecen kis mutfakta yangin cikti, kimseye bisey olmadi, sigorta oder mi?",
        "boys laugh at my son at school, nobody hit him but he cries, who can help?",
        # an old scar; things are calm now (session 59, Rule 41)
        "my old knife scar hurts when it rains",
        "eski bicak yaram kasiniyor",
        # self-harm denied, nobody harmed (session 59, Rule 42)
        "sad since the rejection, not thinking to hurt myself, is there a group?",
        "از وقتی کارمو از دست دادم غمگینم، فکر آسیب زدن به خودم ندارم",
        "gecen hafta duvara yumruk attim, kimseye zarar vermedim, ofke kursu var mi",
        # no thoughts of hurting (session 59, Rule 43)
        "i cry a lot since the birth but have no thoughts of hurting me or the baby",
        # police who beat people back home; never touched; a patient we saved (session 59, Rule 44)
        "ich habe angst vor polizei weil in meinem land die polizei leute schlägt, muss ich zur anmeldung?",
        "mein mann wird laut beim streit, aber angefasst hat er mich nie, gibt es paarberatung?",
        "hemsireyim, dun bir hasta kalp krizi gecirdi ama kurtardik, aksam kursu var mi?",
        # no seizures for years; checked in hospital, not the heart (session 59, Rule 45)
        "муж эпилептик, приступов нет уже 5 лет, может он работать водителем?",
        "gecen ay gogus agrim oldu, hastanede baktilar kalp degil dediler",
        # a small blister; a friend long safe; was anyone hurt in the news (session 60, Rule 46)
        "Hab mich am Bügeleisen verbrannt, kleine Blase, tut kaum weh. Aufstechen?",
        "Подруга розповідала що колишній її бив, тепер вона вже давно в безпеці",
        "was anyone hurt in the knife attack at the station yesterday?",
        "تو خبرا خوندم یه خونه آتیش گرفته، کجا لباس ببرم؟",
        # no smell of gas; a magnet already removed; asked ahead (session 60, Rule 47)
        "ocak yanmiyor tik tik ediyor ama gaz kokusu da yok",
        "اجاق روشن نمیشه ولی بوی گاز نیست",
        "my son swallowed a magnet last week, they removed it, now we need a follow up",
        "what are the signs of a stroke, i want to be ready if something happens to grandma",
        # a curfew set by parents; an old story in the camp (session 60, Rule 48)
        "babam aksam 8den sonra disari cikmama izin vermiyor, yasal mi?",
        "Мне 16, отец не отпускает гулять после 9 вечера, это законно?",
        "في المخيم كانوا يضربونا، هلق بدي نادي للبنات",
        # a neighbour who shouts at children but never touches them (session 60, Rule 49)
        "my neighbour yells at the kids but he never touches them, what can i do?",
        "сусідка кричить на дітей, але не чіпає, як з нею поговорити?",
    ],
)
def test_the_shipped_past_words_mark_old_stories_and_the_news(detector: CrisisDetector, text: str) -> None:
    """A house burnt ten years ago, a fire in the news, a stroke told with "back home" or "discharged", beatings
    by an ex the writer is divorced from: the classifier must agree (PAST_CONFIRM) before it alarms."""
    hits = detector.detect_all(text)
    assert hits, text
    assert all(hit.in_past for hit in hits)


@pytest.mark.parametrize(
    "text",
    [
        "Die Pfanne mit Öl hat gebrannt, sofort aus mit dem Deckel. Muss ich das der Versicherung melden?",
        "Meine Tochter ist vom Bett gefallen, hat geweint und spielt wieder. Muss ich morgen zum Kinderarzt?",
        "tavada yağ tutuştu, kapağı kapattım hemen söndü. ev sahibine haber vermem gerekir mi?",
        "the smoke alarm beeps every minute, no smoke anywhere, how do I change the battery?",
        # a fire alarm that was a drill, a gas leak repaired and all normal again (session 50, rounds 145 and 148)
        "دیشب آژیر آتش تو هایم زد، همه رفتن بیرون، بعد گفتن تمرین بوده. بچه ها ترسیدن",
        "gaz kacagi tamir edildi, simdi her sey normal. faturayi kim oder?",
        # an ordinary conversation closed with thanks and goodbye (session 55; before, the classifier alone alarmed on
        # such closings in German, English, Turkish and Persian)
        "Danke, sonst keine Fragen. Schönen Abend noch!",
        "thanks a lot, that's all I needed. bye",
        "yardımınız için teşekkür ederim, başka sorum yok, hoşça kalın",
        "ممنون از کمکتون، دیگه سوالی ندارم، خدانگهدار",
        "شكرا على المساعدة، ما عندي اسئلة تانية، مع السلامة",
        "дякую, питань більше немає, гарного вечора",
        "спасибо, вопросов больше нет, до свидания",
        # parents called very strict, no danger told (session 56; before, the classifier alone alarmed on such
        # teenagers in Arabic, German, Persian, Turkish and Ukrainian)
        "my dad is super strict about my phone, can the school talk to him?",
        "annem çok katı, arkadaşlarla sinemaya gitmeme izin vermiyor",
        "مامانم خیلی سختگیره، نمیذاره کلاس رقص برم",
        "мама очень строгая, не отпускает в поход с классом",
        "батьки надто суворі, не пускають на день народження подруги",
        "امي كتير صارمه وما بتخليني روح عند صاحبتي",
        # no emergency, said outright (session 56; before, the classifier alone alarmed on such night-time questions)
        "kein Notfall, aber wo finde ich nachts eine Psychologin die Türkisch spricht?",
        "not urgent, how does the night doctor work here for an ear ache?",
        "مش حالة طوارئ، بس بدي رقم دكتور بالليل",
        "اورژانسی نیست، فقط میخوام با یه مشاور حرف بزنم",
        "не срочно, просто хочу поговорить с психологом ночью",
        "acil değil ama gece açık eczane nerede?",
        # a small mishap already handled (session 60, Rule 46: before, the classifier alone alarmed on a kettle splash
        # and a finger on the iron)
        "burnt my hand on the kettle, little red no blister. cream?",
        "з чайника бризнуло на руку, трошки червоне, пухиря нема",
        "موقع آشپزی دستم رو بریدم، خون زود بند آمد. واکسن کزاز لازمه؟",
        # a cut already stitched; a gas stove without a smell of gas (session 60, Rule 47)
        "вчера порезался, зашили в больнице, когда снимать швы?",
        "elimi kestim dikis attilar, dikisler ne zaman alinir",
        "the gas stove clicks but no smell of gas, who fixes it?",
    ],
)
def test_a_danger_over_at_once_asks_more_of_the_classifier_alone(detector: CrisisDetector, text: str) -> None:
    """No rule fires on these; a fire out at once, a child playing again, no smoke at all (session 49, round 140), a
    drill, all normal again (session 50), a conversation closed ("no more questions", session 55), a parent called
    very strict, "not urgent" (session 56) are `past:` words, so the classifier alone needs threshold_answered to
    alarm, as in an old story."""
    assert detector.names_the_past(text)


@pytest.mark.parametrize(
    ("text", "typo"),
    [
        ("selbsmord", True),  # one letter missing in a long word: still found, but doubted
        ("selbstmord", False),
        ("mein mann hat mich gewürkt", True),
        ("mein mann hat mich gewürgt", False),
        ("he is strangeling me", True),
        ("gözlerim kaşınıyor", True),  # itching read as "kasiliyor" (convulsing): hay fever alarmed (round 95)
        ("çocuk kasılıyor", False),
        # Russian in Latin letters: "lomytsya" is a typo away from a Latin pattern, but its Cyrillic reading is listed
        ("dveri lomytsya, on krichit chto ub'et", False),
    ],
)
def test_a_sign_read_through_a_typo_is_doubted(detector: CrisisDetector, text: str, typo: bool) -> None:
    """Typo tolerance still finds the sign, but the hit needs the classifier's agreement like an old story: on the
    choose sets it had caught no crisis message the classifier missed and raised 17 false alarms."""
    hits = detector.detect_all(text)
    assert hits, text
    assert hits[0].typo is typo
    assert hits[0].doubted is typo


@pytest.mark.parametrize(
    ("text", "laughing"),
    [
        ("my boss will kill me if I am late again 😂", True),
        ("этот формуляр меня убьёт хахаха", True),
        ("امي رح تدبحني اذا ما نجحت ههههه", True),
        ("the exam is killing me lol", True),
        ("этот джобцентр меня в могилу сведёт 🤬", True),  # rolled eyes, a weary or cursing face
        ("الأوسلندر بهورده رح تموتني 😩", True),
        ("вчера меня 'убили' первым ахах", True),
        ("муж меня убьёт если узнает сколько я отдала за зубы ))", True),  # typed smileys
        ("my mum will kill me :) but i want to move out", True),
        ("annem duyarsa beni oldurur ;-)", True),
        ("he hit me (again) and took my phone (the new one)", False),  # one closing bracket is no smile
        ("he hit me again 😭 please help", False),  # crying is no laughter
        ("he will kill me, I am not joking", False),  # words for joking are not laughter
        ("я не жартую, він мене вб'є", False),
        ("Hahn im Korb, er will mich umbringen", False),  # "ha" inside a word
        ("начальник кричит убью если опоздаешь ха-ха", True),  # hyphenated (session 43)
        ("ha-ha my boss will kill me", True),
        ("хі-хі, мама мене вб'є", True),
        ("er hat mich geschlagen - ha", False),  # one "ha" is no laughter
    ],
)
def test_laughter_is_recognised_in_emoji_and_written_forms(text: str, laughing: bool) -> None:
    assert laughs(text) is laughing


def test_a_laughing_message_marks_its_hits(kb_dir: Path) -> None:
    detector = _detector(
        kb_dir,
        "languages:\n  en:\n    words:\n      kill: [kill]\n      me: [me]\n    rules:\n"
        "      - {kind: threat, all: [kill, me], within: 3}\n",
    )
    joke = detector.detect("my boss will kill me if I am late 😂")
    assert joke is not None
    assert joke.laughing
    threat = detector.detect("he will kill me tonight")
    assert threat is not None
    assert not threat.laughing


def test_laughter_casts_no_doubt_on_a_medical_emergency(kb_dir: Path) -> None:
    """People play a medical emergency down with an emoji ("the boy drank bleach, he vomits but laughs 😅"): its hit
    is not marked as laughing (LAUGHTER_SPARES), a threat in the same laughing message still is (session 46)."""
    detector = _detector(
        kb_dir,
        "languages:\n  en:\n    words:\n      kill: [kill]\n      me: [me]\n      drank: [drank]\n"
        "      bleach: [bleach]\n    rules:\n"
        "      - {kind: threat, all: [kill, me], within: 3}\n"
        "      - {kind: medical, all: [drank, bleach], within: 3}\n",
    )
    hits = detector.detect_all("my boy drank bleach and vomits but laughs 😅 mum will kill me")
    assert {hit.kind: hit.laughing for hit in hits} == {"medical": False, "threat": True}


@pytest.mark.parametrize(
    "text",
    [
        "oğlan çamaşır suyu içmiş, kusuyo ama gülüyo 😅 bi şey olmaz he?",  # a boy who drank bleach (round 120)
        "дід впав і не відповідає, дихає хрипло з перервами, він завжди так прикидається 😂",
        # ... or with "all is fine now" (`well:`), after a swallowed battery or magnet (session 57, round 209)
        "بنتي بلعت بطارية صغيرة من الساعة، بس هي عم تلعب عادي",
        "my son swallowed a magnet an hour ago, all good so far, he is playing",
    ],
)
def test_a_medical_emergency_played_down_is_not_doubted(detector: CrisisDetector, text: str) -> None:
    hits = detector.detect_all(text)
    assert any(hit.kind == "medical" and not hit.doubted for hit in hits), hits


def test_all_is_fine_casts_no_doubt_on_a_sure_medical_sign_but_a_time_long_past_does(kb_dir: Path) -> None:
    """A child who swallowed a button battery "plays normally" for hours while it burns (session 57, round 209): words
    of `well:` leave a sure medical hit undoubted (WELL_SPARES_SURE), while they still doubt a plain one, and words of
    `past:` doubt both."""
    detector = _detector(
        kb_dir,
        "languages:\n  en:\n    words:\n      gulp: [swallowed]\n      battery: [battery]\n      fell: [fell]\n"
        "      stairs: [stairs]\n    rules:\n"
        "      - {kind: medical, all: [gulp, battery], within: 4, sure: true}\n"
        "      - {kind: medical, all: [fell, stairs], within: 4}\n"
        '    well: ["plays normally"]\n    past: ["years ago"]\n',
    )
    battery = detector.detect("he swallowed a battery, plays normally")
    assert battery is not None
    assert battery.sure
    assert not battery.doubted
    stairs = detector.detect("he fell down the stairs, plays normally")
    assert stairs is not None
    assert stairs.doubted
    old = detector.detect("two years ago he swallowed a battery, plays normally")
    assert old is not None
    assert old.doubted


def test_a_laughing_message_that_says_it_happens_now_is_not_doubted(kb_dir: Path) -> None:
    """People in danger joke too ("😂 ... and now he is standing at the door with an axe"): a `now:` word takes the
    laughter's doubt away, so the classifier need not agree more (rounds 101-103)."""
    detector = _detector(
        kb_dir,
        "languages:\n  en:\n    words:\n      kill: [kill]\n      me: [me]\n    rules:\n"
        "      - {kind: threat, all: [kill, me], within: 3}\n"
        '    now: ["right now", already]\n',
    )
    joke = detector.detect("haha my ex says he will kill me 😂")
    assert joke is not None
    assert joke.laughing
    now = ("haha my ex says he will kill me 😂 right now he is at the door", "lol he will kill me, he is already here")
    for text in now:
        hit = detector.detect(text)
        assert hit is not None
        assert not hit.laughing, text


def test_the_shipped_now_words_take_the_doubt_of_laughter_away(detector: CrisisDetector) -> None:
    """The shipped crisis.yaml: gallows humour with the danger at the door (rounds 101-102)."""
    for text in (
        "ну классика 😂 бывший пишет что приедет разбираться с топором, и сейчас стоит у подъезда",
        "ну шо, сусід сказав шо заріже мене 😂 тільки зараз він реально стоїть під дверима з ножом",
        # tonight (session 47, round 124): pills saved up for tonight, a knife at the door tonight
        "alles easy 😂 hab die ganzen Tabletten gesammelt, heute Abend mach ich Schluss. Für immer.",
        "haplari biriktirdim 😂 bu aksam hepsini bitiricem, vasiyet de hazir",
        "شوهر سابقم با چاقو دم در است، میگه امشب کارمو تموم میکنه 😂",
    ):
        hits = detector.detect_all(text)
        assert hits, text
        assert not any(hit.laughing for hit in hits), text


@pytest.mark.parametrize(
    "text",
    ["بوی گاز خیلی زیاد تو آشپزخونه میاد، بچه‌ها خوابن", "بوی گاز در راهرو بسیار زیاد است، چراغ را روشن کنم؟"],
)
def test_a_persian_smell_of_gas_alarms_like_a_rule(detector: CrisisDetector, text: str) -> None:
    """Session 47 (round 127): as a weighted cue it needed the classifier's agreement (0.18 < 0.2) and a strong
    smell of gas beside sleeping children went without the numbers; as a phrase it stands like a rule."""
    hit = detector.detect(text)
    assert hit is not None
    assert hit.kind == "fire"
    assert not hit.by_cues


def test_checker_names_the_line_of_a_broken_now_list(kb_dir: Path) -> None:
    _write_crisis(kb_dir, "languages:\n  en:\n    cues:\n      - {weight: 1, words: [me]}\n    now: {right: now}\n")
    errors = _errors(kb_dir)
    assert any(e.startswith("crisis.yaml:5:") and "'now' must be a list" in e for e in errors), errors


@pytest.mark.parametrize(
    "text",
    [
        "Mein Vater ist sehr streng und schreit viel, aber keine Gewalt. Darf ich allein zum Jugendzentrum?",
        "my parents yell a lot when I come home late, nothing physical. can the school talk to them?",
        "ابوي بيصرخ علي كتير بس ما بيضربني، في نادي للبنات بهاينسبرغ؟",
        "мы с мужем часто кричим друг на друга, но никакого насилия. где семейный психолог?",
        "ми з мамою весь час сваримось, але без насильства. можна окрему кімнату в Heim?",
        "babam çok bağırıyor ama dövmez, gençlik merkezine gidebilir miyim?",
        "پدرم خیلی داد میزنه ولی دست روم بلند نکرده، مشاور مکتب هست؟",
        # session 49 (rounds 140-143): "nobody hits", Iraqi "nobody raised a hand", "nobody touched anyone"
        "Meine Eltern streiten laut, keiner schlägt, aber ich kann nicht lernen. Gibt es Nachhilfe im Jugendzentrum?",
        "تضاربنا بالحچي بس محد مد ايده، وين اكو استشارة زوجية بالعربي؟",
        "поругались с соседом, никто никого не трогал, но он теперь не здоровается. куда жаловаться на шум?",
        # session 50 (rounds 145-148): nobody threatened, no threat at all, nobody hits anybody
        "Mein Sohn hat mit dem Taschenmesser angegeben, hat aber niemanden bedroht. Muss er zur Schulleitung?",
        "الشغل ما دفعلي معاشي، ما في تهديد بس بدي اشتكي، وين مكتب العمال؟",
        "بالسكن الكل بيصرخ عالدور بالغسالة بس ما حدا بيمد ايدو، مين بنحكي؟",
        "همسایه ها دعوا میکنن و داد میزنن ولی کسی کسی رو نمیزنه، به کی شکایت کنم؟",
        "yurtta herkes bağırıyor ama kimse kimseye vurmuyor, oda değiştirebilir miyim?",
        # session 50 (rounds 145-148): no blows (Arabizi), no fight, nobody raised a hand
        "t5ana2na ana w jozi 3al masari bas ma fi darb, fi Beratung bel 3arabi?",
        "соседка орёт из-за кухни, но без драки. можно сменить комнату?",
        "komsuyla tartistik ama kimse el kaldirmadi, nereye sikayet ederim",
        # session 52 (rounds 164-165): nobody is forced, nobody hits anyone, no threats, no violence
        "Meine Schwester heiratet im Mai, sie will es selbst, niemand wird gezwungen. Welche Papiere braucht man?",
        "my brother and I shout at each other a lot, nobody hits anyone, is there a youth counsellor?",
        "с мужем часто ссоримся из-за денег, никаких угроз, просто тяжело. есть семейный консультант?",
        "з сином сваримося через телефон, ніхто нікому не погрожує. де є сімейна консультація?",
        "kocamla sık tartışıyoruz ama şiddet yok, Türkçe aile danışmanı var mı?",
        # session 53 (rounds 166-173): no blows (Iraqi, Egyptian, Levantine), nobody hit anybody, nobody raises a
        # hand, not violent, never touched me, a cousin who agreed to marry
        "أبوي وأخوي يتعاركون كل ليلة على الموبايل، ماكو ضرب بس الصياح يخوف الصغار. وين أكو مرشد عائلي؟",
        "ابني المراهق بيزعق علينا طول الوقت، مفيش ضرب بس تعبنا. فيه مستشار للمراهقين؟",
        "جارتنا بتصرخ على ولادها كل يوم، ما في ضرب بس الصوت عالي كتير. لمين منشتكي؟",
        "با برادرم سر پول دعوا شد ولی کسی را نزده، مشاور خانواده فارسی کجاست؟",
        "dishab ba shoharam dava kardim vali kasi ro nazad, ye moshaver mikham",
        "мы с братом поспорили громко, никто никого не бил, но мама расстроилась. есть семейная консультация?",
        "otec strogij, no ruku ne podnimaet, prosto ne puskaet na diskoteku. gde molodezhnyj centr?",
        "сусід кричить на дружину, але руку не піднімає. чи можна поскаржитись на шум?",
        "my stepdad is loud and grumpy but not violent, can I still ask for a school counsellor?",
        "my uncle yells at me about my grades but he never touched me, where can I get tutoring?",
        "my sister agreed to marry the man our parents introduced, where do we register the wedding?",
    ],
)
def test_violence_denied_outright_asks_more_of_the_classifier_alone(detector: CrisisDetector, text: str) -> None:
    """'No violence', 'never hits me' (crisis.yaml `past:` since session 48): a quarrel or a strict parent with blows
    denied outright; the classifier alone needs threshold_answered (bot/crisis/net.py PAST_ALONE)."""
    assert detector.names_the_past(text)


def test_a_stubbed_toe_is_no_beating(detector: CrisisDetector) -> None:
    """'вдарив палець' (crisis.yaml `not:` since session 54): a bruised toe is no blow; the blue colour alone is a
    weak medical sign the classifier must back, not cues that stand like a rule (STRONG_CUES)."""
    hits = detector.detect_all("вдарив палець об шафу, синій і болить, до якого лікаря?")
    assert all(hit.kind != "violence" and hit.by_cues and hit.weight < 7 for hit in hits)


@pytest.mark.parametrize(
    "text",
    [
        # burnt toast, chewing gum swallowed, family safe after a blast in the news, a child's small fall (session 46;
        # before, each of these alarmed without asking the classifier)
        "toast burnt, the kitchen was full of smoke, windows open now, all fine. how do I stop the Rauchmelder?",
        "ребенок проглотил жвачку, бегает, все нормально. надо что-то делать?",
        "خبر انفجار در کابل را دیدم، خانواده ام خوب استند. چطور پول بفرستم؟",
        "mein sohn ist vom fahrrad gefallen, knie blutet bisschen, pflaster drauf, alles gut. muss ich das melden?",
        "ابني وقع عن الكرسي، كلو منيح هلق. لازم نروح عالدكتور؟",
        "oglum bisikletten dustu, kolunu biraz kesti ama her sey yolunda. okula bildirmem lazim mi?",
        "син впав з гойдалки, розбив коліно до крові, все гаразд. треба до лікаря?",
        "زمان في الخرطوم دخلوا بيتنا وضربونا، هسي نحنا بخير هنا. في دكتور نفسي بيتكلم عربي؟",  # Sudanese (round 118)
        # round 127, without its "söndü" (a `past:` word since session 49)
        "tavada yağ alev aldı, kapağı kapattım, herkes iyi. ev sahibine söylemem lazım mı?",
        # an illness that is getting better; safe here now after violence in another country (session 48, round 131)
        "my aunt had a stroke in march and is getting better, can she get a Pflegegrad?",
        "شوهر قبلیم تو ایران منو میزد، حالا اینجا در امان هستیم. برای بامف باید بگم؟",
        # a small burn fine now, a child playing normally again, safe now after a fire set in Kabul (session 51,
        # rounds 158-160)
        "انحرقت ايدي من الطنجرة مبارح، حطيت كريم وصارت منيحة. بدي ورقة مرض؟",
        "ابني وقع من الدرج وعنده ورم صغير، هسه يلعب عادي. لازم دكتور؟",
        "در کابل خانه ما را آتش زدند، حالا در امن هستیم. برای بامف چه مدارک ببرم؟",
        "پسرم از پله افتاد و سرش ورم کرده ولی حالا خوب بازی میکنه. دکتر ببرم؟",
        # it got better (Finglish), I feel fine now (session 51, rounds 161-162)
        "babam kotakam zad vali alan khoob shode, moshaver farsi hast?",
        "упала в обморок на кухне, скорая приезжала, сейчас чувствую себя нормально. нужен ли больничный?",
        # getting better in hospital, he is fine after a check, she feels fine, she is well (session 52, rounds 164-165)
        "Mama hatte einen Schlaganfall, sie ist im Krankenhaus und es geht ihr schon besser. Gibt es Sonderurlaub?",
        "папа потерял сознание на работе, в больнице всё проверили, он в порядке. нужна ли справка?",
        "мама випила таблетки від тиску двічі, але почувається добре. чи треба до лікаря?",
        "دخترم قرص‌ها را اشتباهی خورد ولی حالش خوب است. داکتر ببرم؟",
    ],
)
def test_the_shipped_well_words_doubt_the_hits(detector: CrisisDetector, text: str) -> None:
    """The writer says all is well now (crisis.yaml `well:`): the classifier must agree before a rule alarms."""
    hits = detector.detect_all(text)
    assert hits, text
    assert all(hit.in_past for hit in hits)
    assert not detector.names_the_past(text)


def test_words_that_say_all_is_well_doubt_the_hits_but_name_no_past(kb_dir: Path) -> None:
    """`well:` marks a rule hit like an old story (the classifier must agree, PAST_CONFIRM), but unlike `past:` it
    does not raise the bar of the classifier alone (names_the_past), because people in danger write it too."""
    detector = _detector(
        kb_dir,
        "languages:\n  en:\n    words:\n      swallow: [swallowed]\n      gum: [gum]\n    rules:\n"
        "      - {kind: medical, all: [swallow, gum], within: 3}\n"
        '    past: ["years ago"]\n'
        '    well: ["all fine"]\n',
    )
    calm = "my son swallowed gum, he is running around, all fine. do we need a doctor?"
    hit = detector.detect(calm)
    assert hit is not None
    assert hit.in_past
    assert not detector.names_the_past(calm)
    assert detector.names_the_past("years ago all fine")
    worried = detector.detect("my son swallowed gum and coughs")
    assert worried is not None
    assert not worried.in_past


def test_checker_names_the_line_of_a_broken_well_list(kb_dir: Path) -> None:
    _write_crisis(kb_dir, "languages:\n  en:\n    cues:\n      - {weight: 1, words: [me]}\n    well: {all: fine}\n")
    errors = _errors(kb_dir)
    assert any(e.startswith("crisis.yaml:5:") and "'well' must be a list" in e for e in errors), errors


def test_checker_names_the_line_of_a_broken_past_list(kb_dir: Path) -> None:
    _write_crisis(kb_dir, "languages:\n  en:\n    cues:\n      - {weight: 1, words: [me]}\n    past: {years: ago}\n")
    errors = _errors(kb_dir)
    assert any(e.startswith("crisis.yaml:5:") and "'past' must be a list" in e for e in errors), errors


def test_an_ordinary_phrase_also_switches_off_rules_near_it(kb_dir: Path) -> None:
    detector = _detector(
        kb_dir,
        "languages:\n  en:\n    words:\n      broke: [broke]\n      body: [arm]\n    rules:\n"
        "      - {kind: violence, all: [broke, body], within: 3}\n"
        '    cues:\n      - {weight: -4, words: ["while playing"]}\n',
    )
    assert detector.detect("she broke her arm while playing") is None
    assert detector.detect("he broke my arm") is not None


def test_a_childs_age_is_not_an_emergency_number(detector: CrisisDetector) -> None:
    """Repeated digits stay: "112" must not fold into "12", or every 12-year-old child rings the alarm."""
    assert detector.detect("сину 12 років яка школа") is None
    assert detector.detect("сыну 12 лет какая школа нужна") is None
    assert detector.detect("дитина не дихає, дзвоню 112") is not None


def test_the_reflexive_ending_in_latin_letters_is_read_as_russian(detector: CrisisDetector) -> None:
    """ "-tsya" is "-ться"/"-тся": "zapisatsya" is "записаться", and "ne prosnutsya" is "не проснуться"."""
    assert cyrillic_readings("zapisatsya")[:2] == ("записаться", "записатся")
    hits = detector.detect_all("skolko nado tabletok chtoby uzhe ne prosnutsya")
    assert "suicide" in {h.kind for h in hits}


@pytest.mark.parametrize(
    "text",
    [
        # round 40: the classifier read these long Turkish questions as ordinary as a whole (p 0.02-0.03)
        "merhaba turkce konusan cocuk doktoru var mi? su an kardesim bir kutu ilacin hepsini icmis, uyandiramiyoruz",
        "adres degisikligi icin nereye gitmeliyim? kayinbiraderim beni vurup oldurecegini soyledi, silahi varmis",
        "vergi numarasi nasil alinir? belgelerimizi aldilar, kacarsaniz ailenize zarar veririz diyorlar",
        "kann ich schüler bafög kriegen? mein vater schlägt mich und meine schwester mitm gürtel",  # round 41
        # round 42: each written inside a question about papers, scored ordinary by the classifier (p 0.03-0.04)
        "hangi okula basvurmamiz lazim? kayinbiraderim bosanirsam beni ve cocuklari yakacagini soyledi",
        "ازاي اعمل Anmeldung في جيلنكيرشن. اختي خدت علبة حبوب اكتئاب كاملة من نص ساعة",
        "чи можна ходити на інтеграційний курс якщо я працюю. нас тримають на складі під замком",
        # 2026-12-04: beaten with a belt, in every language (round 33 in Persian, right after the word for a class)
        "برای آوسبیلدونگ B2 لازمه؟ چون بی حجاب رفتم کلاس، دیروز با کمربند زدتم و تو اتاق زندونیم کرده",
        "is B1 enough for the Ausbildung? my father beat me with his belt again yesterday",
        "как записаться в школу? отчим бьёт меня ремнём каждый вечер",
        "як записатися до школи? вітчим б'є мене ременем щовечора",
        "okul kaydi nasil olur? abim beni kemerle dovdu",
        "كيف بسجل بالمدرسة؟ ابوي ضربني بالحزام مبارح",
        # session 57 (round 197): a weak pulse, in every language; a washing-up or stove cleaner drunk (uk, ru), read
        # by the classifier as ordinary inside a question (p 0.007)
        "welche Apotheke hat heute Notdienst? Opa ist ganz grau im Gesicht und sein Puls ist sehr schwach",
        "where is the nearest hospital in Erkelenz, my mum fainted and her pulse is very weak",
        "وين في صيدلية مناوبة بهاينسبرغ؟ ستي دايخة ونبضها كتير ضعيف",
        "як записатися до лікаря? дідусь лежить і не встає, пульс дуже слабкий",
        "как записаться к врачу в Геленкирхене? дедушка лежит, пульс очень слабый",
        "nobetci eczane nerede? dedem yatiyor nabzi cok zayif",
        "داروخانه شبانه کجاست؟ پدرکلانم افتاده و نبضش خیلی ضعیف است",
        "де купити шафку з замком? донька щойно випила мийний засіб, плаче і кашляє",
        "где купить замок на шкаф? сын выпил чистящее средство для плиты, кашляет",
        # session 57 (Rule 32, round 206): leaving life or this world in the first person, cutting oneself again, the
        # gas turned on to lie down beside it
        "Wo kann ich meine Bücher spenden? Ich verlasse diese Welt am Wochenende, dann braucht sie keiner mehr",
        "can someone take my cat? I will leave this world on Friday and she needs a home",
        "وين بقدر اعطي غراضي؟ قررت فل من هالدنيا بعد العيد",
        "де можна віддати кота? я піду з життя в неділю, хай хтось про нього подбає",
        "куда можно отдать вещи? я уйду из жизни в пятницу, всё уже решено",
        "kedimi kim alir? bu dunyadan gidiyorum cuma gunu",
        "گربه‌مو کی نگه میداره؟ آخر هفته از این دنیا میرم",
        "де купити пластир? знову різала себе вночі",
        "вечером опять резала себя, где купить пластырь?",
        "kiralik ev sozlesmesi nasil biter? bu gece gazi acip yatacagim",
        # session 60 (Rule 49, round 287): "I swallowed lots of pills" inside a question about Kindergeld (p 0.03)
        "скільки чекати на Kindergeld? я наковталась таблеток, хай хоч діти отримають",
        "сколько ждать ответа из Jobcenter? я наглоталась таблеток, пусть хоть дети получат",
    ],
)
def test_unmistakable_danger_inside_a_long_question_is_sure(detector: CrisisDetector, text: str) -> None:
    assert any(hit.sure for hit in detector.detect_all(text)), text


def test_a_box_of_pills_bought_at_the_pharmacy_is_no_sure_overdose(detector: CrisisDetector) -> None:
    """The whole-box rules (round 42) step aside when the pharmacy is among their words: a box bought, not swallowed."""
    hits = detector.detect_all("اخذت من الصيدلية علبة حبوب كاملة للصداع، كم سعرها بالعادة")
    assert hits  # the older, plain rules still see the pills: the classifier may hold them back
    assert not any(hit.sure for hit in hits)


@pytest.mark.parametrize(
    "text",
    [
        "کمربند ایمنی رو زدم ولی پلیس جریمه کرد",  # fastening a seat belt is 'کمربند زدن' in Persian
        "my seat belt hit my chest in the accident, which doctor",
        "حزام الامان ضربني بصدري بالحادث، اي دكتور",
    ],
)
def test_a_seat_belt_is_no_sure_beating(detector: CrisisDetector, text: str) -> None:
    assert not any(hit.sure for hit in detector.detect_all(text)), text


def test_an_ordinary_word_nearby_switches_off_a_plain_rule_but_not_a_sure_one(kb_dir: Path) -> None:
    """A cue of negative weight ("course") silences rules within reach; a sure rule names what is never
    ordinary and stands, while a known false alarm (`not:`) still silences it."""
    detector = _detector(
        kb_dir,
        "languages:\n  en:\n    words:\n      blows: [beat]\n      belt: [belt]\n      hurt: [hurt]\n"
        "    rules:\n      - {kind: violence, all: [blows, belt], within: 5, sure: true}\n"
        "      - {kind: violence, all: [hurt], within: 1}\n"
        "    cues:\n      - {weight: -4, words: [course]}\n"
        '    not:\n      - "beat the belt record"\n',
    )
    assert [h.sure for h in detector.detect_all("after the course he beat me with a belt")] == [True]
    assert detector.detect_all("after the course hurt") == []
    assert detector.detect_all("hurt") != []
    assert detector.detect_all("we beat the belt record") == []


def test_a_cable_that_hurt_a_child_is_no_sure_beating(detector: CrisisDetector) -> None:
    """The belt rule (round 41) counts blows only: 'verletzt' beside a cable may be an accident."""
    hits = detector.detect_all("mein sohn hat sich am kabel verletzt, welcher arzt hat heute offen")
    assert not any(hit.sure for hit in hits)


def test_a_known_phrase_reaching_beyond_calm_words_cancels_their_doubt(kb_dir: Path) -> None:
    """A `not:` phrase that reaches beyond calm words ("thought all fine": we thought all was fine, and it was not)
    cancels them; one that only repeats them ("no smoke", listed in both `not:` and `past:`) keeps their doubt, and so
    does a `not:` rule of word groups within a window (session 54)."""
    detector = _detector(
        kb_dir,
        "languages:\n  en:\n    words:\n      fire: [fire]\n      small: [pan]\n      out: [out]\n"
        "    rules:\n      - {kind: fire, all: [fire], within: 1}\n"
        '    not:\n      - "thought all fine"\n      - "no smoke"\n      - "put out the trash"\n'
        "      - {all: [small, out], within: 4}\n"
        '    past: ["no smoke", "put out"]\n    well: ["all fine"]\n',
    )

    def doubted(text: str) -> bool:
        hits = detector.detect_all(text)
        assert hits, text
        return all(hit.in_past for hit in hits)

    assert doubted("all fine, the fire is back")
    assert not doubted("we thought all fine but the fire is back")
    assert doubted("no smoke here, the fire is small")
    assert doubted("pan put out, the fire is gone")
    assert detector.names_the_past("the fire was put out")
    assert not detector.names_the_past("I put out the trash")


@pytest.mark.parametrize(
    "text",
    [
        "wir dachten alles gut, aber jetzt brennt es wieder im Keller und der Rauch kommt hoch",
        "думали все нормально, но снова сильно пахнет газом в подъезде, дети дома",
        "думали все добре, а тепер знову дим з розетки іде",
        "her sey yolunda sandim ama mutfakta yine yangin var",
        "с 2020 года муж меня бьёт и я боюсь",  # since 2020: it still goes on (session 54)
    ],
)
def test_danger_that_came_back_or_goes_on_is_not_doubted(detector: CrisisDetector, text: str) -> None:
    """crisis.yaml `not:` since session 54: "we thought all was well" cancels the calm words in it; "с 2020 года"
    (since 2020) is no year gone by."""
    hits = detector.detect_all(text)
    assert hits, text
    assert not any(hit.in_past for hit in hits), text


@pytest.mark.parametrize(
    "text",
    [
        "в подъезде газом очень сильно пахнет, дети спят",
        "газом зараз дуже тхне на кухні",
        "bu gaz miad az ashpazkhune, bacheha khabidan",  # Finglish without its ezafe
    ],
)
def test_a_gas_smell_is_read_as_one_fire(detector: CrisisDetector, text: str) -> None:
    """"пахнет газом" with "очень сильно" between its words (crisis.yaml rule [gas_by, smells]), Finglish "bu gaz
    miad" (session 54): one reading, a fire."""
    assert [hit.kind for hit in detector.detect_all(text)] == ["fire"]

