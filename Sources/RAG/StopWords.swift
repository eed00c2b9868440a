/// Compact stop-word lists (articles, pronouns, auxiliaries, prepositions, conjunctions and a few fillers) for the
/// languages Ferret answers in most, written folded (lower case, no accents) as `TextWords.fold` leaves words.
/// A claim's language is the one whose list covers most of its words; only that list is applied, so `die` stays a
/// content word in English and `son` in Spanish.
public enum StopWords {
    static let lists: [(language: String, words: Set<String>)] = [
        ("en", words("""
            a an the and or but if then so of to in on at by for with from into onto over under about as than that
            this these those there here it its it's is are was were be been being am do does did done have has had
            having will would shall should can could may might must not no nor only also very just too more most
            such some any each every all both other which who whom whose what when where why how i me my we our you
            your he him his she her they them their one ones s t up out off again further once per via according
            """)),
        ("fr", words("""
            le la les l un une des du de d au aux et ou mais donc or ni car que qu qui quoi dont ou ce cet cette ces
            c il elle ils elles on nous vous je j me m te t se s son sa ses leur leurs mon ma mes ton ta tes notre
            nos votre vos lui y en est sont etait etaient ete etre a ai as avons avez ont avait avoir fait faire
            dans sur sous par pour avec sans chez entre vers pas ne n plus tres aussi tout tous toute toutes comme
            si se sa cela ca ceci
            """)),
        ("de", words("""
            der die das den dem des ein eine einer einem einen eines und oder aber denn doch sondern dass ob wenn
            als wie so zu im in am an auf aus bei mit nach von vor fur uber unter um durch gegen ohne ist sind war
            waren sein gewesen hat haben hatte hatten wird werden wurde wurden kann konnen muss mussen soll sollen
            nicht kein keine auch noch nur sehr schon es er sie wir ihr ich du man sich sein seine ihre ihr dies
            diese dieser dieses jener welche welcher welches zum zur vom beim
            """)),
        ("es", words("""
            el la los las lo un una unos unas y e o u pero sino que de del a al en con por para sin sobre entre
            hasta desde es son era eran fue fueron ser estar esta estan estaba ha han habia haber hay se su sus
            mi mis tu tus nuestro nuestra le les me te nos os yo el ella ellos ellas usted no ni muy mas tambien
            como cuando donde este esta estos estas ese esa esos esas aquel cual cuales quien
            """)),
        ("it", words("""
            il lo la i gli le l un uno una un' e ed o ma che di del dello della dei degli delle a al allo alla ai
            agli alle da dal dalla dai in nel nello nella nei negli nelle con su sul sulla per tra fra e sono era
            erano essere stato stata ha hanno aveva avere si suo sua suoi sue mio mia non piu molto anche come
            quando dove questo questa questi queste quello quella quale chi cui ne ci vi
            """)),
        ("pt", words("""
            o a os as um uma uns umas e ou mas que de do da dos das em no na nos nas ao aos por pelo pela pelos
            pelas para com sem sobre entre ate desde e sao era eram foi foram ser estar esta estao estava ha tem
            tinha ter se seu sua seus suas meu minha nao mais muito tambem como quando onde este esta estes estas
            esse essa isso isto aquele qual quais quem lhe lhes eu ele ela eles elas voce
            """)),
        ("nl", words("""
            de het een en of maar want dat die dit deze van in op aan te met voor door naar bij uit over onder om
            tot als dan zo is zijn was waren ben bent wordt worden werd werden heeft hebben had hadden kan kunnen
            moet moeten zal zullen niet geen ook nog al wel er hij zij ze wij we jij je u ik het zich hun haar
            zijn mijn ons onze welke wie wat waar hoe
            """)),
    ]

    /// Common Chinese and Japanese function characters (particles written in Hiragana are dropped as a class).
    /// A claim's character pair containing one is not a content unit (`是日`, `的首`).
    static let ideographs: Set<Character> = ["的", "了", "是", "在", "和", "与", "及", "也", "就", "而", "这", "那", "之", "其",
                                             "个", "等", "或", "被", "把", "对", "从", "为", "以", "・"]

    /// Every list at once, plus question words and the Chinese and Japanese question words and particles as ICU
    /// segments them: for a question, whose language a few words do not tell, where a function word of any
    /// language says nothing about relevance (`LexicalCoverage`).
    public static let anyLanguage: Set<String> = lists.reduce(into: Set<String>()) { $0.formUnion($1.words) }
        .union(questionWords).union(cjkQuestionWords)

    static let questionWords: Set<String> = [
        "often", "much", "many", "get", "use", "woher", "wohin", "wann", "warum", "wer", "was", "wo", "oft", "viel",
        "viele", "meiste", "comment", "pourquoi", "quand", "combien", "quel", "quelle", "quels", "quelles", "faut",
        "cuando", "cuanto", "cuantos", "cuanta", "porque", "que", "perche", "quanto", "waarom", "wanneer",
    ]

    static let cjkQuestionWords: Set<String> = [
        "的", "了", "是", "吗", "呢", "什么", "哪里", "哪儿", "哪", "谁", "怎么", "怎样", "如何", "为什么", "多少", "几",
        "在", "和", "与", "有", "一", "个", "这", "那", "主要", "哪一", "年", "用",
        "は", "が", "を", "に", "の", "で", "と", "も", "へ", "から", "まで", "です", "ます", "か", "ですか", "ますか",
        "何", "なに", "なん", "どこ", "いつ", "だれ", "誰", "どう", "どの", "どのくらい", "くらい", "よい", "いい",
        "ください", "とは", "について", "する", "します", "なり", "なる", "ば", "ありますか", "いますか", "こと",
    ]

    /// The language code whose list holds most of `folded` (ties: earlier in `lists`, English first).
    static func language(of folded: [String]) -> String {
        var best = (language: "en", hits: 0)
        for (language, words) in lists {
            let hits = folded.filter { words.contains($0) }.count
            if hits > best.hits { best = (language, hits) }
        }
        return best.language
    }

    static func contains(_ folded: String, language: String) -> Bool {
        lists.first { $0.language == language }?.words.contains(folded) ?? false
    }

    private static func words(_ text: String) -> Set<String> {
        Set(text.split(whereSeparator: \.isWhitespace).map(String.init))
    }
}
