/// Function words of the languages Ferret's sample corpus and most users write in: articles, pronouns,
/// prepositions, auxiliaries and question words. Lexical coverage ignores them, so "the", "der" or "de" shared with a
/// passage says nothing about whether it answers. Folded (lower-case, no diacritics), as `QuestionTerms` compares.
/// IDF weighting already makes common words count little; these lists matter when a function word of one language
/// is rare in an index of another (an English question over German notes).
enum StopWords {
    static let all: Set<String> = english.union(german).union(french).union(spanish).union(italian).union(portuguese)
        .union(dutch).union(chinese).union(japanese)

    static let english: Set<String> = [
        "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "by", "for", "with", "from", "about", "into",
        "is", "are", "was", "were", "be", "been", "being", "do", "does", "did", "have", "has", "had", "can", "could",
        "should", "would", "will", "shall", "may", "might", "must", "it", "its", "this", "that", "these", "those", "i",
        "you", "he", "she", "we", "they", "me", "my", "your", "his", "her", "our", "their", "what", "which", "who",
        "whom", "whose", "when", "where", "why", "how", "often", "much", "many", "there", "if", "not", "no", "as", "than",
        "so", "any", "some", "one", "get", "use",
    ]
    static let german: Set<String> = [
        "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "und", "oder", "aber", "von",
        "zu", "zum", "zur", "im", "in", "am", "an", "auf", "aus", "mit", "fur", "bei", "nach", "ist", "sind", "war",
        "wird", "werden", "hat", "haben", "kann", "man", "wie", "was", "wer", "wo", "wann", "warum", "welche", "welcher",
        "welches", "es", "sie", "er", "wir", "ich", "nicht", "oft", "viel", "viele",
    ]
    static let french: Set<String> = [
        "le", "la", "les", "l", "un", "une", "des", "du", "de", "d", "et", "ou", "mais", "a", "au", "aux", "en", "dans",
        "sur", "par", "pour", "avec", "est", "sont", "etait", "qui", "que", "qu", "quoi", "quel", "quelle", "quels",
        "quelles", "comment", "pourquoi", "quand", "ou", "combien", "il", "elle", "on", "nous", "vous", "ils", "elles",
        "ce", "cette", "ces", "se", "ne", "pas", "faut", "fait",
    ]
    static let spanish: Set<String> = [
        "el", "la", "los", "las", "un", "una", "unos", "unas", "y", "o", "pero", "de", "del", "a", "al", "en", "con",
        "por", "para", "es", "son", "fue", "que", "quien", "cual", "cuales", "como", "cuando", "donde", "por", "que",
        "cuanto", "cuantos", "se", "lo", "su", "sus", "no",
    ]
    static let italian: Set<String> = [
        "il", "lo", "la", "i", "gli", "le", "un", "uno", "una", "e", "o", "di", "da", "in", "con", "su", "per", "che",
        "chi", "come", "quando", "dove", "perche", "quanto", "e", "sono", "non",
    ]
    static let portuguese: Set<String> = [
        "o", "a", "os", "as", "um", "uma", "e", "ou", "de", "do", "da", "dos", "das", "em", "no", "na", "com", "por",
        "para", "que", "quem", "qual", "como", "quando", "onde", "porque", "e", "sao", "nao",
    ]
    /// Question words and particles as ICU segments them.
    static let chinese: Set<String> = [
        "的", "了", "是", "吗", "呢", "什么", "哪里", "哪儿", "哪", "谁", "怎么", "怎样", "如何", "为什么", "多少", "几",
        "在", "和", "与", "有", "一", "个", "这", "那", "主要", "哪一", "年", "用",
    ]
    static let japanese: Set<String> = [
        "は", "が", "を", "に", "の", "で", "と", "も", "へ", "から", "まで", "です", "ます", "か", "ですか", "ますか",
        "何", "なに", "なん", "どこ", "いつ", "だれ", "誰", "どう", "どの", "どのくらい", "くらい", "よい", "いい",
        "ください", "とは", "について", "する", "します", "なり", "なる", "ば", "ありますか", "いますか", "こと",
    ]
    static let dutch: Set<String> = [
        "de", "het", "een", "en", "of", "van", "in", "op", "met", "voor", "is", "zijn", "wat", "wie", "hoe", "waar",
        "wanneer", "waarom", "niet",
    ]
}
