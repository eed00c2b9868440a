/// Realistic paragraphs (a few hundred bytes each) in the languages whose legacy encodings `TextDecoding` detects.
/// ICU's detector works from byte statistics, so a test text must read like real prose, not a word or two.
enum EncodingSamples {
    static let french = """
        Le cycle de l'eau décrit le trajet que suit l'eau entre la terre, les océans et l'atmosphère. Sous l'effet \
        de la chaleur du soleil, l'eau des mers et des lacs s'évapore, puis la vapeur se refroidit en altitude et \
        forme des nuages. Lorsque les gouttelettes deviennent trop lourdes, elles retombent sous forme de pluie, de \
        neige ou de grêle. Une partie de cette eau ruisselle vers les rivières, une autre s'infiltre dans le sol et \
        alimente les nappes souterraines, où elle peut séjourner pendant des siècles avant de rejoindre la mer.

        """

    static let german = """
        Der Wasserkreislauf beschreibt den Weg, den das Wasser zwischen Meer, Land und Atmosphäre zurücklegt. Die \
        Sonne erwärmt die Oberfläche der Ozeane, und das Wasser verdunstet. Der Wasserdampf steigt auf, kühlt sich \
        ab und bildet Wolken. Wenn die Tröpfchen zu schwer werden, fallen sie als Regen, Schnee oder Hagel zur Erde \
        zurück. Ein Teil fließt über Bäche und Flüsse ins Meer, ein anderer versickert im Boden und füllt das \
        Grundwasser auf, das über größere Zeiträume gespeichert bleibt.

        """

    static let spanish = """
        El ciclo del agua describe el recorrido que sigue el agua entre los océanos, la tierra y la atmósfera. El \
        calor del sol evapora el agua de los mares y los lagos; el vapor asciende, se enfría y forma las nubes. \
        Cuando las gotas son demasiado pesadas, caen en forma de lluvia, nieve o granizo. Una parte del agua corre \
        por los ríos hacia el mar, y otra se filtra en el suelo y alimenta los acuíferos, donde puede permanecer \
        durante años. ¿Sabías que el agua que bebemos hoy quizá cayó como lluvia hace siglos?

        """

    /// Uses the characters where Windows-1252 differs from ISO-8859-1 (curly quotes, the euro sign, œ).
    static let frenchTypographic = """
        « Le cœur du problème », explique l’ingénieure, « c’est que l’eau potable coûte désormais 4 € le mètre \
        cube. » Les communes rurales doivent entretenir des kilomètres de canalisations anciennes – parfois plus \
        d’un siècle – et chaque fuite représente une perte qu’il faut compenser. Les œuvres de génie civil \
        nécessaires sont coûteuses ; l’État promet des aides, mais les délais restent longs… 

        """

    static let russian = """
        Круговорот воды в природе - это непрерывное движение воды между океаном, сушей и атмосферой. Солнце \
        нагревает поверхность морей и озёр, и вода испаряется. Водяной пар поднимается вверх, охлаждается и \
        образует облака. Когда капли становятся слишком тяжёлыми, они выпадают на землю в виде дождя или снега. \
        Часть воды стекает по рекам обратно в море, а часть просачивается в почву и пополняет подземные воды.

        """

    static let japanese = """
        水の循環とは、水が海と陸と大気の間を絶えず移動する仕組みのことです。太陽の熱によって海や湖の水が蒸発し、\
        水蒸気は上空で冷やされて雲になります。雲の中の水滴が大きく重くなると、雨や雪となって地上に降ります。\
        地上に降った水の一部は川を流れて海へ戻り、一部は地面にしみ込んで地下水となります。\
        こうして水は長い時間をかけて地球の上をめぐり続けているのです。

        """

    static let simplifiedChinese = """
        水循环是指水在海洋、陆地和大气之间不断运动的过程。太阳的热量使海洋和湖泊中的水蒸发，水蒸气上升到高空后\
        遇冷凝结成云。当云中的水滴变得足够大时，就会以雨、雪或冰雹的形式降落到地面。落到地面的水一部分沿着河流\
        流回大海，一部分渗入地下成为地下水。水循环使地球上的水资源不断更新，对气候和生命都十分重要。

        """

    static let traditionalChinese = """
        水循環是指水在海洋、陸地和大氣之間不斷運動的過程。太陽的熱量使海洋和湖泊中的水蒸發，水蒸氣上升到高空後\
        遇冷凝結成雲。當雲中的水滴變得足夠大時，就會以雨、雪或冰雹的形式降落到地面。落到地面的水一部分沿著河流\
        流回大海，一部分滲入地下成為地下水。水循環使地球上的水資源不斷更新，對氣候和生命都十分重要。

        """

    static let greek = """
        Ο κύκλος του νερού περιγράφει τη διαδρομή που ακολουθεί το νερό ανάμεσα στη θάλασσα, την ξηρά και την \
        ατμόσφαιρα. Ο ήλιος θερμαίνει την επιφάνεια των θαλασσών και το νερό εξατμίζεται. Οι υδρατμοί ανεβαίνουν \
        ψηλά, ψύχονται και σχηματίζουν σύννεφα. Όταν οι σταγόνες γίνουν πολύ βαριές, πέφτουν στη γη ως βροχή ή \
        χιόνι. Ένα μέρος του νερού επιστρέφει στη θάλασσα μέσω των ποταμών.

        """
}
