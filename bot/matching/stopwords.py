"""Curated filler words per language: words that say *how* someone asks, never *what* about.

STOP words carry no weight at all (articles, pronouns, question words, auxiliaries). FILLER words are
request verbs and politeness ("bekomme", "suche", "help", "need") that a topic rarely hinges on: they keep
a little weight, so "Hilfe" alone is not nothing, but they cannot outvote a topic word. The lists are
normalised by `normalise()` before use, so write them as people type them. Arabic and Persian have a
second list in Latin letters, for Arabizi ("bdi", "3ndi") and Finglish ("mikham", "koja"); Finglish "ki" (who) is
a filler, not a stop word: in "KI چیست" it is the Kommunales Integrationszentrum. Keep them to function words:
a topic word here would blind the matcher to that topic. The FAQ drops each example's own language's stop
words; a question drops those of its detected language, and other languages' ones only where no example
uses them, so English "is" does not silence Turkish "iş" (work).
"""

from __future__ import annotations

STOP: dict[str, str] = {
    "de": """
        ich du er sie es wir ihr mich mir dich dir uns euch sich mein meine meinen meinem meiner meines dein deine
        sein seine ihre ihren ihrem unser unsere euer eure der die das den dem des ein eine einen einem einer eines
        kein keine keinen und oder aber auch noch schon nur doch denn dann so sehr ganz mal ja nein nicht nichts
        wie wo was wer wen wem wann warum wieso weshalb welche welcher welches welchen woher wohin womit wofur
        ist sind bin bist war waren sei wird werden wurde wurden kann kannst konnen konnte muss musst mussen
        soll sollte sollen darf durfen mochte will wollen habe hast hat haben hatte hatten gibt gab es gibt
        zu zum zur im in am an auf aus bei mit nach von vor fur uber unter um bis ab ob dass wenn weil als
        hier da dort jetzt heute bitte danke hallo guten tag gerne man etwas jemand
        seit selber selbst immer wieder vielleicht eigentlich genau gerade trotzdem also dieser diese dieses
        diesem diesen jeder jede jedes alle alles viel viele mehr wenig einfach sonst oft nie irgendwo irgendwie
        nix sagt gesagt bzw usw ca sowie damit dafur dazu davon darum deshalb moin servus gruss gott entschuldigung
        leider hab
    """,
    "en": """
        i me my mine you your yours he him his she her it its we us our they them their this that these those
        a an the and or but also only just so very too not no yes any some
        how where what who whom which when why whose is are am was were be been being do does did done doing
        can could must should shall will would may might have has had having get got there here
        to of in on at by for with from about into over under after before up out as if than then
        please thanks thank hello hi dear pls plz
        im ive dont doesnt didnt cant cannot wont wouldnt isnt arent wasnt whats wheres hows thats theres u ur r asap
        even still already now yet again ever never always lot lots much many more most other another same such every
        each something anything nothing somebody anybody really actually maybe exactly currently while during because
        since until though although sir madam okay ok all ago hey sorry excuse bro good morning evening
    """,
    "tr": """
        ben sen o biz siz onlar beni bana benim seni sana senin onu ona onun bizim sizin
        bu su bunu sunu bir ve veya ya da de ile icin gibi kadar daha cok az cok cok
        nasil nerede nereden nereye ne neden nicin niye hangi kim kime kimin zaman mi mu mı mü misin miyim musun
        var yok degil evet hayir lazim gerek gerekiyor acaba lutfen tesekkur merhaba selam abi abla hocam
        mi mu
        simdi burada orada burda orda sonra hala artik hic her hep bazi baska kendi sadece bile cunku ama fakat ancak
        eger yani tamam peki ki en bunun bunlar sunlar bize size onlara musunuz miyiz tesekkurler iyi gunler
    """,
    "ru": """
        я ты он она оно мы вы они меня мне мой моя мое мои моего моей моим тебя тебе твой твоя твои
        его ее их нас нам наш наша наши вас вам ваш ваша ваши себя свой своя свои это этот эта эти тот та те
        и или но а же ли бы не ни нет да то так уже еще только тоже также очень
        как где что чё чо че ща кто когда почему зачем какой какая какое какие куда откуда сколько чем чего кого кому
        в во на с со к ко по за из у о об от до для при про через над под без
        есть был была было были будет быть можно нужно надо нужен нужна могу может можете хочу
        пожалуйста спасибо здравствуйте привет подскажите скажите
        теперь тут там здесь сейчас потом тогда всё все весь вся всех всем вот ведь вообще просто даже если чтобы чтоб
        который которая которое которые которых ним ней них нему него ему ей им сам сама сами самый другой другие
        каждый короче блин типа слушайте ну плиз шо щас добрый день извините буду
    """,
    "uk": """
        я ти він вона воно ми ви вони мене мені мій моя моє мої мого моєї моїм тебе тобі твій твоя твої
        його її їх нас нам наш наша наші вас вам ваш ваша ваші себе свій своя свої це цей ця ці той та ті
        і й та або але а ж чи би б не ні так вже ще тільки теж також дуже
        як де що шо чо хто коли чому навіщо який яка яке які куди звідки скільки чим чого кого кому
        в у на з із зі к до по за від о про через над під без для при
        є був була було були буде бути можна треба потрібно потрібен потрібна можу може можете хочу
        будь ласка дякую привіт підкажіть скажіть от тоже
        якщо тут там зараз тепер потім тоді все всі весь вся всіх всім ось адже взагалі просто навіть щоб шоб котрий
        котра котре котрі ним нею них йому їм нього неї сам сама самі інший інші кожен кожний хтось щось якось ну тих
        цих цього цієї цим тому бо нічого всюди краще тіки щас нада добрий день вибачте турбую буду
    """,
    "ar": """
        انا أنا انت أنت انتي هو هي نحن احنا انتم هم هن ني لي لك له لها لنا لكم لهم
        هذا هذه هاد هاي هيك ذلك تلك اللي الذي التي الذين دول كذا لحد بقاله يبي عاوز نبغى
        و او أو ثم بس لكن كمان ايضا أيضا فقط لا لم لن ما مش مو نعم اي أي
        كيف كيفية وين أين اين فين شو ايش إيش ماذا مين من متى ليش لماذا لما قديش كم هل
        في على عن الى إلى مع عند من ب ل ك يا
        كان كانت يكون تكون بدي بدك بدنا اريد أريد ممكن لازم يجب عندي عندك فيه فيها في فيني بقدر اقدر أقدر
        لو سمحت رجاء من فضلك شكرا مرحبا السلام عليكم اخي أخي
        معو معي معه معها معهم معنا معك هون هنا هناك هنيك هلق هلا هلأ هسا هسه الحين دلوقتي دلوقت كده كدا هيج هادا
        هادي هذي هذول هدول هاذا يلي شي شيء اشي حاجة حاجه كل كتير كثير شوي شوية شويه بعض غير مثل متل زي زاي لسا
        لسه بعدين فوق تحت عشان علشان لانو لأنو لأن لان مشان منشان لحتى حتى اذا إذا برضو بردو يعني طيب
        تمام ازاي إزاي ليه ايه إيه وش اشلون شلون شنو وشو اشو منو ماكو اكو أكو مافي مب بيكون بتكون بكون صار صارت
        رح راح عايز عايزه كيفاش ابغى ابغا ده دي والله الله اخوان اخوي يجزيكم الخير صباح مساء حدا محد امتى امته
        هيدا هيدي عم حيكون كنت صارلي وشلون شكو
        ana enta enti inta inti howa hiya e7na ehna fi fe 3la 3ala 3al mn min ma msh mesh mish mush la w wa aw
        bs bas shu sho shou esh eish wen wein fein fen kif kef keef ezay izay shlon leh lesh laish meen mta emta
        imta bdi badi biddi 3ayez 3ayz 3ayza abga ab8a 3ndi 3andi andi 3ndk momken mumkin lazem lazim hal ya el
        il hon hena hnak halla2 delwa2ti kaman kteer ktir shi 7aga 7aja kol kul 3shan 3ashan la2en la2anno iza
        eza y3ni ya3ni tayeb salam marhaba mar7aba shukran shokran ahlan ra7 3am 3m sarli gama3a jama3a wallah
    """,
    "fa": """
        من تو او ما شما ایشان آنها انها مرا به برای براى را از با در تا که این آن اون این ها های ای
        و یا ولی اما هم فقط نه نمی آره بله
        چطور چطوری چگونه کجا کجاست چه چی چیه کی چرا کدام کدوم چند چقدر آیا ایا
        چیست چیه است هست هستم هستی هستید هستیم هستند نیست بود باشد شد میشه میشود می شود باید
        میخواهم میخوام میتونم میتوانم
        لطفا ممنون سلام مرسی دارم داره دارد میکند میکنه میخواهد میخواد خواهم خواهد
        هر همه همین همان همون اینجا انجا اونجا الان حالا هنوز دیگه دیگر خیلی یک یه بی مثل مثلا مانند اگر
        اگه وقتی چون زیرا کسی چیزی جایی خود خودم خودش اینها ایشون باشه بشه شده بکنم بکنیم
        علیکم ببخشید تشکر مه اس تان هستیم داریم خواهش جان عزیز
        man shoma ma ba az dar be ro ra va ya ke ham ye yek in oon un chi chera koja kojast chetor chetori chejoori
        chejori chand cheghadr kodoom kodam mishe mitoonam mitunam mitavanam bayad hast hastam nist daram dare
        dashtam mikham mikhastam mikhaym lotfan salam slm mamnoon mamnun merci baraye bara age vali hanooz alan
        inja unja kheili khaili bebakhshid soal konam kone konim beram key aya ast
        بگید بگین چیکار چکار کنم رو ره بخاطر خاطر میتانم خب
    """,
}

FILLER: dict[str, str] = {
    "de": """
        bekomme bekommen bekommt kriege kriegen kriegt suche suchen sucht finde finden findet brauche brauchen
        braucht helfen hilfe hilft
        machen mache macht tun frage fragen wissen weiss infos info information informationen moglich geht gehen
        jemand leute bitte schnell schreiben schreibe schreib kaufen kaufe kauft holen hole holt abholen
        jahre jahr jahrig alt
    """,
    "en": """
        need want find looking look search help helps know tell info information possible make
        someone somebody anyone people way buy
        years year old age aged
    """,
    "tr": """
        istiyorum isterim ariyorum bulabilirim bulurum yardim yardimci edin eder olur olabilir yapmam yapmak
        bilgi ogrenmek bilmek satin almak alabilirim
        yasinda yasindayim yasinda yas
    """,
    "ru": """
        получить найти ищу искать помочь помогите помощь сделать узнать информация хочу оформить купить куплю
        лет год года возраст
    """,
    "uk": """
        отримати знайти шукаю шукати допомогти допоможіть допомога зробити дізнатися інформація оформити купити
        років рік роки вік віку
    """,
    "ar": """
        احصل أحصل بحصل اطلع بطلع الاقي ألاقي دور بدور ابحث مساعده مساعدة ساعدوني ساعدني اعرف أعرف بعرف
        معلومات اعمل أعمل بعمل طريقة طريقه اشتري بشتري شراء
        عمره عمرها عمري عمر سنين سنوات سنة
    """,
    "fa": """
        بگیرم گرفتن پیدا کنم کنم کمک بدانم بدونم اطلاعات انجام بدهم بدم بخرم خرید خریدن
        ki
        ساله سال سالشه سن
    """,
}
